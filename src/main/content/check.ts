// `checkContent`: a content folder parsed and counted per deck, nothing written. Authors run
// it (`retransmit check`) before a sync; problems carry file and line.
import type { ContentCheckReport, QuizType } from '../../shared/domain'
import { loadContentTree } from './load'

export function checkContentDir(dir: string): ContentCheckReport {
  const tree = loadContentTree(dir)
  const decks = tree.decks.map((deck) => {
    const cards = tree.cards.filter((c) => c.deckId === deck.id && c.kind !== 'drill')
    const quiz = tree.quizItems.filter((q) => q.deckId === deck.id)
    const quizTypes: Partial<Record<QuizType, number>> = {}
    for (const q of quiz) quizTypes[q.type] = (quizTypes[q.type] ?? 0) + 1
    return {
      id: deck.id,
      notes: tree.notes.filter((n) => n.deckId === deck.id).length,
      cards: cards.length,
      clozeCards: cards.filter((c) => c.kind === 'cloze').length,
      quizItems: quiz.length,
      quizTypes,
      drills: tree.drills.filter((d) => d.deckId === deck.id).map((d) => d.id)
    }
  })
  return { decks, problems: tree.problems }
}
