// One quiz item written in the content format's `::: quiz <id> <type>` block syntax, read into
// the row the app stores: what the learner types to make a quiz item, and what device sync sends
// of one (src/main/sync/README.md, "Quiz items").
import { ValidationError } from '../../shared/errors'
import type { QuizItemText } from '../store/entity-rows'
import { parseTopicFile } from './parse-topic'

/** The item the block holds; a ValidationError says what is wrong and on which line of the block. */
export function parseQuizItemBlock(deckId: string, block: string): QuizItemText {
  const parsed = parseTopicFile(`---\nid: user-quiz-item\n---\n${block.trim()}\n`, 'new quiz item', deckId)
  const error = parsed.problems.find((p) => p.severity === 'error')
  // The three lines of frontmatter above the block are not the learner's.
  if (error) throw new ValidationError(`line ${error.line - 3}: ${error.message}`)
  const item = parsed.quizItems[0]
  if (!item || parsed.quizItems.length !== 1 || parsed.cards.length > 0) {
    throw new ValidationError('write exactly one `::: quiz <id> <type>` block')
  }
  return {
    id: item.id,
    deckId,
    cardId: item.cardId,
    type: item.type,
    prompt: item.prompt,
    data: JSON.stringify(item.data),
    explanation: item.explanation,
    tags: item.tags.join(' '),
    drills: item.drills.join(' ')
  }
}
