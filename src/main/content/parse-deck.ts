// deck.md: the deck's title, description and position.
import { problem } from './blocks'
import { splitFrontmatter } from './frontmatter'
import type { ParsedDeck } from './types'
import type { ContentProblem } from '../../shared/domain'

const DECK_FIELDS = new Set(['title', 'description', 'position'])

export function parseDeckFile(
  text: string,
  file: string,
  deckId: string
): { deck: ParsedDeck | null; problems: ContentProblem[] } {
  const front = splitFrontmatter(text, file)
  if (!front.ok) return { deck: null, problems: [front.problem] }
  const { data, keyLines } = front.value
  const problems: ContentProblem[] = []
  const lineOf = (key: string) => keyLines.get(key) ?? 1
  for (const key of Object.keys(data)) {
    if (!DECK_FIELDS.has(key))
      problems.push(problem(file, lineOf(key), `unknown deck field \`${key}\` (allowed: title, description, position)`))
  }
  if (typeof data.title !== 'string' || data.title.trim() === '')
    problems.push(problem(file, lineOf('title'), 'deck.md needs a `title`'))
  if (data.description !== undefined && typeof data.description !== 'string')
    problems.push(problem(file, lineOf('description'), '`description` must be text'))
  if (data.position !== undefined && !Number.isInteger(data.position))
    problems.push(problem(file, lineOf('position'), '`position` must be a whole number'))
  if (problems.length > 0) return { deck: null, problems }
  return {
    deck: {
      id: deckId,
      title: (data.title as string).trim(),
      description: ((data.description as string | undefined) ?? '').trim(),
      position: (data.position as number | undefined) ?? 0,
      file,
      line: 1
    },
    problems
  }
}
