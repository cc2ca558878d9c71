// The learner's own quiz items in the edits document (README.md, "Quiz items"): `quiz:<id>`
// holds the item as the block the learner writes (`::: quiz <id> <type>`, the content format) as
// Automerge text, so two edits of one item merge character by character like card text, and
// every device reads it back with the parser that reads what the learner types.
import * as A from '@automerge/automerge'
import type { DocHandle, UrlHeads } from '@automerge/automerge-repo'
import type { QuizData } from '../../shared/domain'
import { parseQuizItemBlock } from '../content/quiz-item-block'
import type { QuizItemText } from '../store/entity-rows'
import { quizBlock } from '../import/write-content'
import type { SyncQuizStore } from '../store/sync-quiz'
import type { EditsDoc, QuizEntry } from './documents'

const PREFIX = 'quiz:'
/** The longest block taken in (characters): what createQuizItem accepts. */
const MAX_BLOCK = 100_000

const blockOf = (item: QuizItemText): string =>
  quizBlock({
    id: item.id,
    cardId: item.cardId,
    prompt: item.prompt,
    data: JSON.parse(item.data) as QuizData,
    explanation: item.explanation,
    tags: item.tags.split(' ').filter(Boolean),
    drills: item.drills.split(' ').filter(Boolean)
  }).trim()

const blockIn = (doc: EditsDoc, key: string): string | undefined => {
  const entry = doc[key] as QuizEntry | undefined
  return entry === undefined ? undefined : String(entry.block)
}

/** Whether `block` reads as `item` (another device may have written the same item in other words). */
function reads(block: string | undefined, item: QuizItemText): boolean {
  if (block === undefined) return false
  try {
    const read = parseQuizItemBlock(item.deckId, block)
    return (Object.keys(item) as (keyof QuizItemText)[]).every((field) => read[field] === item[field])
  } catch {
    return false
  }
}

/**
 * Writes this device's own quiz items changed since the last round: a new one in one change, a
 * changed one diffed against the version taken in (`applied`), so it never undoes another device's
 * edit. Returns how many items were written.
 */
export function pushQuizItems(handle: DocHandle<EditsDoc>, applied: UrlHeads | null, items: QuizItemText[]): number {
  const current = handle.doc()
  const seen = applied ? (handle.view(applied).doc() as EditsDoc) : ({} as EditsDoc)
  const made: [string, QuizItemText, string][] = []
  let written = 0
  for (const item of items) {
    const key = `${PREFIX}${item.id}`
    const block = blockOf(item)
    const present = blockIn(current, key)
    if (present === undefined) made.push([key, item, block])
    // Changed here: it reads neither as the document does nor as the version taken in (else the
    // change came from elsewhere, and comes in next).
    else if (applied && !reads(present, item) && !reads(blockIn(seen, key), item)) {
      handle.changeAt(applied, (d) => A.updateText(d, [key, 'block'], block))
      written++
    }
  }
  if (made.length > 0) {
    handle.change((d) => {
      for (const [key, item, block] of made) d[key] = { block, deck: new A.ImmutableString(item.deckId) }
    })
  }
  return written + made.length
}

/**
 * Takes every quiz item of the document in (call inside the transaction that applies the edits
 * document): a known item gets the merged text, a new one is made when its deck is here (or comes
 * in the same document). A block that does not parse, or names another id, is refused with the
 * reason and the item stays as it is here.
 */
export function takeQuizItems(
  store: SyncQuizStore,
  doc: EditsDoc,
  hasDeck: (deckId: string) => boolean,
  now: number,
  refused: string[]
): void {
  for (const [key, value] of Object.entries(doc)) {
    if (!key.startsWith(PREFIX)) continue
    const id = key.slice(PREFIX.length)
    const entry = value as Partial<QuizEntry>
    try {
      const deck = String(entry.deck ?? '')
      const block = String(entry.block ?? '')
      if (block.length > MAX_BLOCK) throw new Error(`the block is over ${MAX_BLOCK} characters`)
      const item = parseQuizItemBlock(store.deckOf(id) ?? deck, block)
      if (item.id !== id) throw new Error(`the block is quiz item ${item.id}`)
      if (store.deckOf(id) !== null) store.update(item, now)
      else if (hasDeck(item.deckId)) store.insert(item, now)
    } catch (error) {
      refused.push(`${key}: ${(error as Error).message}`)
    }
  }
}
