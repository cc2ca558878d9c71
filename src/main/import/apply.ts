// Compares an ImportPlan with what the collection holds, id by id, and (when asked) writes the
// difference. The same code computes the preview and does the import, so a dry run reports
// exactly what a real run would do. Callers wrap a writing run in one transaction.
import { contentHash, decideUpsert } from '../content/row-hash'
import { studyDay } from '../scheduler/study-day'
import type { Db } from '../store/db'
import { cardColumns, noteColumns, quizColumns } from '../store/entity-rows'
import {
  createImportStore,
  type ImportedCardRow,
  type ImportedCardSchedule,
  type ImportedNoteRow,
  type ImportedQuizRow,
  type ImportedReviewRow,
  type ImportStore,
  type ImportTable,
  type NewImportedCard
} from '../store/imports'
import { plainLine } from '../../shared/plain-line'
import { legacyIdOf } from './ids'
import type { ImportPlan, ImportPreviewItem, ImportWarning, PlannedCard, PlannedNote, PlannedQuizItem } from './types'

export interface ApplyResult {
  created: number
  updated: number
  unchanged: number
  /** Answers carried over into the review log (or that would be, in a preview). */
  reviews: number
  items: ImportPreviewItem[]
  warnings: ImportWarning[]
}

export interface ApplyOptions {
  now: number
  write: boolean
  /** The hour a study day starts (default 4): imported answers are counted by study day. */
  dayStartHour?: number
  onProgress?: (fraction: number) => void
}

type Action = ImportPreviewItem['action'] | 'skip'

/** Anki's and Retransmit's default: a study day starts at 04:00 local time. */
const DEFAULT_DAY_START_HOUR = 4

/** Report progress about this often while walking rows (rows). */
const PROGRESS_EVERY = 200

const noteRow = (n: PlannedNote, file: string): ImportedNoteRow => ({
  ...noteColumns(n),
  source_file: n.file ?? file,
  source_line: n.line
})
const cardRow = (c: PlannedCard, file: string): ImportedCardRow => ({
  ...cardColumns(c),
  source_file: c.file ?? file,
  source_line: c.line
})
const quizRow = (q: PlannedQuizItem, file: string): ImportedQuizRow => ({
  ...quizColumns(q),
  source_file: q.file ?? file,
  source_line: q.line
})

/** Hash of what a row says, as content sync computes it (placement left out). */
const hashRow = (row: object): string => contentHash(row as Record<string, unknown>)

export function applyPlan(db: Db, given: ImportPlan, options: ApplyOptions): ApplyResult {
  const store = createImportStore(db)
  const plan = withLegacyIds(store, given)
  const result: ApplyResult = { created: 0, updated: 0, unchanged: 0, reviews: 0, items: [], warnings: [] }
  const { now, write } = options
  const file = plan.sourceFile

  for (const deck of plan.decks) {
    const stored = store.deck(deck.id)
    const row = { id: deck.id, title: deck.title, description: deck.description, source_file: file }
    if (!stored) {
      if (write) store.insertDeck(row, now)
    } else if (
      stored.origin === 'import' &&
      (stored.title !== deck.title || stored.description !== deck.description || stored.retiredAt !== null)
    ) {
      if (write) store.updateDeck(row, now)
    }
  }

  const total = plan.notes.length + plan.cards.length + plan.quizItems.length
  let done = 0
  const tick = () => {
    done++
    if (options.onProgress && (done % PROGRESS_EVERY === 0 || done === total)) options.onProgress(done / total)
  }
  const seen = new Set<string>()
  const decide = (table: ImportTable, id: string, hash: string, line: number): Action => {
    const key = `${table}:${id}`
    if (seen.has(key)) {
      result.warnings.push({ line, message: `id \`${id}\` appears twice in this file; the second one is skipped` })
      return 'skip'
    }
    seen.add(key)
    const before = store.state(table, id)
    if (!before) return 'create'
    if (before.origin !== 'import') {
      result.warnings.push({
        line,
        message: `id \`${id}\` already belongs to ${describeOrigin(before.origin)}; this one is skipped`
      })
      return 'skip'
    }
    return decideUpsert(before, hash) === 'unchanged' ? 'unchanged' : 'update'
  }
  const record = (
    kind: ImportPreviewItem['kind'],
    id: string,
    title: string,
    action: Action,
    source: { line: number; endLine?: number; incomplete?: boolean }
  ) => {
    if (action === 'skip') return
    if (action === 'create') result.created++
    else if (action === 'update') result.updated++
    else result.unchanged++
    result.items.push({
      kind,
      id,
      title,
      action,
      ...(source.line > 0 && plan.format !== 'apkg'
        ? { lines: { from: source.line, to: Math.max(source.line, source.endLine ?? source.line) } }
        : {}),
      ...(source.incomplete ? { incomplete: true } : {})
    })
  }
  /** Decides what the row's import does and, when writing, does it; a row the user edited is parked beside the edit. */
  const upsert = <R extends { id: string }>(
    table: ImportTable,
    row: R,
    line: number,
    insert: (hash: string) => void,
    update: (hash: string) => void
  ): Action => {
    const hash = hashRow(row)
    const action = decide(table, row.id, hash, line)
    if (!write || action === 'skip' || action === 'unchanged') return action
    if (action === 'create') insert(hash)
    else if (store.state(table, row.id)?.userEditedAt != null) store.park(table, row.id, row, hash, now)
    else update(hash)
    return action
  }

  for (const note of plan.notes) {
    const row = noteRow(note, file)
    const action = upsert(
      'notes',
      row,
      note.line,
      (hash) => store.insertNote(row, hash, now),
      (hash) => store.updateNote(row, hash, now)
    )
    record('note', note.id, note.title, action, note)
    tick()
  }
  const nextCard = positionCounter(store, 'cards')
  // New cards and their answers are written after the loop, many rows per statement (see
  // store/batch-insert.ts); nothing in the loop reads them back (an id seen twice is caught first).
  const created: NewImportedCard[] = []
  const reviews: ImportedReviewRow[] = []
  for (const card of plan.cards) {
    const row = cardRow(card, file)
    const action = upsert(
      'cards',
      row,
      card.line,
      (hash) =>
        created.push({
          row,
          position: nextCard(card.deckId),
          hash,
          schedule: card.schedule ? scheduleOf(card, options) : null
        }),
      (hash) => store.updateCard(row, hash, now)
    )
    if (action !== 'skip') result.reviews += carryOver(store, card, action, options, reviews)
    record('card', card.id, firstLine(card.front), action, card)
    tick()
  }
  store.insertCards(created, now)
  store.insertReviews(reviews)
  const nextQuiz = positionCounter(store, 'quiz_items')
  for (const item of plan.quizItems) {
    const row = quizRow(item, file)
    const action = upsert(
      'quiz_items',
      row,
      item.line,
      (hash) => store.insertQuizItem(row, nextQuiz(item.deckId), hash, now),
      (hash) => store.updateQuizItem(row, hash, now)
    )
    record('quiz', item.id, firstLine(item.prompt), action, item)
    tick()
  }
  return result
}

/**
 * Scheduling and review history from another app: the state is taken when the card is new
 * here or the source has seen a later review than this collection; answers not yet logged
 * (by card and time) are added. Returns how many answers were (or would be) added.
 */
function carryOver(
  store: ImportStore,
  card: PlannedCard,
  action: Action,
  options: ApplyOptions,
  into: ImportedReviewRow[]
): number {
  const { schedule, reviews } = card
  if (!schedule) return 0
  const known = action === 'create' ? new Set<number>() : store.reviewTimes(card.id)
  const fresh = (reviews ?? []).filter((r) => !known.has(r.reviewedAt))
  if (!options.write) return fresh.length
  // A created card was inserted with its schedule (see the card loop).
  if (action !== 'create' && (schedule.lastReview ?? 0) > (store.cardLastReview(card.id) ?? -1))
    store.setCardSchedule(card.id, scheduleOf(card, options), options.now)
  const dayStart = options.dayStartHour ?? DEFAULT_DAY_START_HOUR
  for (const r of fresh) {
    const day = studyDay(r.reviewedAt, dayStart, new Date(r.reviewedAt).getTimezoneOffset()).number
    into.push({ cardId: card.id, deckId: card.deckId, studyDay: day, ...r })
  }
  return fresh.length
}

/** The schedule a card brings, as stored: a buried card stays buried until this study day ends. */
function scheduleOf(card: PlannedCard, options: ApplyOptions): ImportedCardSchedule {
  const schedule = card.schedule!
  const dayStart = options.dayStartHour ?? DEFAULT_DAY_START_HOUR
  const buriedUntil = schedule.buried
    ? studyDay(options.now, dayStart, new Date(options.now).getTimezoneOffset()).endMs
    : null
  return { ...schedule, buriedUntil }
}

/**
 * Rows imported when ids had 10 hex digits keep their ids: a planned row whose new id is not
 * stored but whose old-width id is (imported, and not claimed by another row of this plan)
 * takes the old id, and links to it (a card's note, a quiz item's card) follow.
 */
function withLegacyIds(store: ImportStore, plan: ImportPlan): ImportPlan {
  const claimed = new Set<string>()
  const renames = {
    notes: new Map<string, string>(),
    cards: new Map<string, string>(),
    quiz_items: new Map<string, string>()
  }
  const resolve = (table: ImportTable, id: string): string => {
    if (store.state(table, id)) return id
    const legacy = legacyIdOf(id)
    if (!legacy || claimed.has(`${table}:${legacy}`) || store.state(table, legacy)?.origin !== 'import') return id
    claimed.add(`${table}:${legacy}`)
    renames[table].set(id, legacy)
    return legacy
  }
  const notes = plan.notes.map((n) => ({ ...n, id: resolve('notes', n.id) }))
  const cards = plan.cards.map((c) => ({
    ...c,
    id: resolve('cards', c.id),
    noteId: c.noteId === null ? null : (renames.notes.get(c.noteId) ?? c.noteId)
  }))
  const quizItems = plan.quizItems.map((q) => ({
    ...q,
    id: resolve('quiz_items', q.id),
    cardId: q.cardId === null ? null : (renames.cards.get(q.cardId) ?? q.cardId)
  }))
  return renames.notes.size + renames.cards.size + renames.quiz_items.size === 0
    ? plan
    : { ...plan, notes, cards, quizItems }
}

/** New rows go after what the deck already holds, in file order. */
function positionCounter(store: ImportStore, table: 'cards' | 'quiz_items'): (deckId: string) => number {
  const next = new Map<string, number>()
  return (deckId) => {
    const position = next.get(deckId) ?? store.nextPosition(table, deckId)
    next.set(deckId, position + 1)
    return position
  }
}

function describeOrigin(origin: string): string {
  return origin === 'content'
    ? 'the shipped content'
    : origin === 'user'
      ? 'a card you created in the app'
      : `a ${origin} row`
}

/** The preview's name for a card or quiz item: its first words as plain text (see plain-line.ts). */
function firstLine(text: string): string {
  return plainLine(text, 120)
}
