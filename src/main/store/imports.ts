// The statements importers and the exporter need: look up what an id already holds, insert
// and update imported decks, notes, cards and quiz items (origin 'import', through the same
// upsert statements as content sync: content-rows.ts), carry over a schedule and answers
// from another app, and read a deck back out for export.
import type { LoggedState } from '../scheduler/fsrs'
import { batchInsert } from './batch-insert'
import { contentRowStatements, type StoredRowState } from './content-rows'
import type { Db } from './db'
import type { cardColumns, CardText, noteColumns, QuizItemText, quizColumns } from './entity-rows'

export type { StoredRowState } from './content-rows'

export type ImportTable = 'notes' | 'cards' | 'quiz_items'

export interface StoredDeck {
  id: string
  title: string
  description: string
  position: number
  origin: string
  retiredAt: number | null
}

export interface ImportedDeckRow {
  id: string
  title: string
  description: string
  source_file: string
}

/** Where an imported row came from (its position in its deck is kept apart). */
type ImportPlacement = { source_file: string; source_line: number }

export type ImportedNoteRow = ReturnType<typeof noteColumns> & ImportPlacement
export type ImportedCardRow = ReturnType<typeof cardColumns<'basic' | 'cloze'>> & ImportPlacement
export type ImportedQuizRow = ReturnType<typeof quizColumns> & ImportPlacement

export interface ImportedCardSchedule {
  state: number
  due: number
  stability: number
  difficulty: number
  scheduledDays: number
  reps: number
  lapses: number
  lastReview: number | null
  suspended: boolean
  buriedUntil: number | null
  /** 0 none, 1-7 Anki's flag colours (the same numbers Retransmit uses). */
  flag: number
}

/** A card an import creates, with its place in its deck and what it brings. */
export interface NewImportedCard {
  row: ImportedCardRow
  position: number
  hash: string
  schedule: ImportedCardSchedule | null
}

export interface ImportedReviewRow extends LoggedState {
  cardId: string
  deckId: string
  reviewedAt: number
  studyDay: number
  rating: number
  durationMs: number
}

/** The review_log columns an imported answer fills, in the order the insert lists them. */
const REVIEW_FIELDS = [
  'cardId',
  'deckId',
  'reviewedAt',
  'studyDay',
  'rating',
  'state',
  'due',
  'stability',
  'difficulty',
  'elapsedDays',
  'lastElapsedDays',
  'scheduledDays',
  'durationMs'
] as const satisfies readonly (keyof ImportedReviewRow)[]

export interface ExportNote {
  id: string
  title: string
  body: string
  tags: string
}

export type ExportCard = Omit<CardText, 'deckId'>
export type ExportQuizItem = Omit<QuizItemText, 'deckId'>

const NOTE_COLUMNS = ['deck_id', 'title', 'body', 'tags', 'source_file', 'source_line'] as const
const CARD_COLUMNS = [
  'deck_id',
  'note_id',
  'kind',
  'cloze_ordinal',
  'front',
  'back',
  'tags',
  'drills',
  'source_file',
  'source_line'
] as const
const QUIZ_COLUMNS = [
  'deck_id',
  'card_id',
  'type',
  'prompt',
  'data',
  'explanation',
  'tags',
  'drills',
  'source_file',
  'source_line'
] as const

/** The scheduling columns an imported schedule sets: the schedule's field, or a constant. */
const SCHEDULE_COLUMNS: readonly (readonly [string, keyof ImportedCardSchedule | 0])[] = [
  ['state', 'state'],
  ['due', 'due'],
  ['stability', 'stability'],
  ['difficulty', 'difficulty'],
  ['elapsed_days', 0],
  ['scheduled_days', 'scheduledDays'],
  ['learning_steps', 0],
  ['reps', 'reps'],
  ['lapses', 'lapses'],
  ['last_review', 'lastReview'],
  ['suspended', 'suspended'],
  ['buried_until', 'buriedUntil'],
  ['flag', 'flag']
]
const scheduleValue = (schedule: ImportedCardSchedule, field: keyof ImportedCardSchedule) =>
  field === 'suspended' ? (schedule.suspended ? 1 : 0) : schedule[field]

/** The import's upsert statements for one table: an update leaves the row's position as it was. */
function upsertStatements(db: Db, table: ImportTable, columns: readonly string[], positioned: boolean) {
  const statements = contentRowStatements(db, table, positioned ? [...columns, 'position'] : columns, {
    origin: 'import',
    updateColumns: columns
  })
  return {
    ...statements,
    insert(row: ImportedNoteRow | ImportedQuizRow, hash: string, now: number, position?: number): void {
      // The plan looked the id up first (state): a taken id here is a bug, never a silent skip.
      if (!statements.insert(position === undefined ? row : { ...row, position }, hash, now))
        throw new Error(`import: ${table} id ${row.id} is already taken`)
    }
  }
}

export function createImportStore(db: Db) {
  const notes = upsertStatements(db, 'notes', NOTE_COLUMNS, false)
  const cards = upsertStatements(db, 'cards', CARD_COLUMNS, true)
  const quizItems = upsertStatements(db, 'quiz_items', QUIZ_COLUMNS, true)
  const byTable = { notes, cards, quiz_items: quizItems }

  const deck = db.prepare<[string], StoredDeck>(
    'SELECT id, title, description, position, origin, retired_at AS retiredAt FROM decks WHERE id = ?'
  )
  const nextDeckPosition = db.prepare<[], { next: number }>('SELECT coalesce(max(position), 0) + 1 AS next FROM decks')
  const insertDeck = db.prepare(
    `INSERT INTO decks (id, title, description, position, origin, source_file, created_at, updated_at)
     VALUES (@id, @title, @description, @position, 'import', @source_file, @now, @now)`
  )
  const updateDeck = db.prepare(
    `UPDATE decks SET title = @title, description = @description, source_file = @source_file,
            retired_at = NULL, updated_at = @now
      WHERE id = @id AND origin = 'import'`
  )
  const nextCardPosition = db.prepare<[string], { next: number }>(
    'SELECT coalesce(max(position) + 1, 0) AS next FROM cards WHERE deck_id = ?'
  )
  const nextQuizPosition = db.prepare<[string], { next: number }>(
    'SELECT coalesce(max(position) + 1, 0) AS next FROM quiz_items WHERE deck_id = ?'
  )

  // A card new to the collection is written once, with the schedule it brings (an INSERT and
  // then an UPDATE would move it through every index and count twice), in batches.
  const rowColumns = ['id', ...CARD_COLUMNS] as const
  const cardColumns = [...rowColumns, 'position', 'content_hash', 'created_at', 'updated_at'] as const
  const cardTuple = cardColumns.map(() => '?')
  const insertNewCards = batchInsert(
    db,
    `INSERT INTO cards (${cardColumns.join(', ')}, origin)`,
    `(${[...cardTuple, "'import'"].join(', ')})`
  )
  const insertScheduledCards = batchInsert(
    db,
    `INSERT INTO cards (${cardColumns.join(', ')}, origin, ${SCHEDULE_COLUMNS.map(([column]) => column).join(', ')})`,
    `(${[...cardTuple, "'import'", ...SCHEDULE_COLUMNS.map(([, field]) => (field === 0 ? '0' : '?'))].join(', ')})`
  )
  const cardSchedule = db.prepare<[string], { lastReview: number | null }>(
    'SELECT last_review AS lastReview FROM cards WHERE id = ?'
  )
  const setSchedule = db.prepare(
    `UPDATE cards SET ${SCHEDULE_COLUMNS.map(([column, field]) => `${column} = ${field === 0 ? '0' : `@${field}`}`).join(', ')}, updated_at = @now
      WHERE id = @id AND origin = 'import'`
  )
  const reviewTimes = db.prepare<[string], { at: number }>(
    'SELECT reviewed_at AS at FROM review_log INDEXED BY review_log_card WHERE card_id = ?'
  )
  // Imported answers are source 'manual': they were not given in this app, so undo never
  // takes them back; stats, the optimizer and the scheduler read them like any answer.
  const insertReviews = batchInsert(
    db,
    `INSERT INTO review_log (card_id, deck_id, reviewed_at, study_day, rating, state, due, stability, difficulty,
       elapsed_days, last_elapsed_days, scheduled_days, duration_ms, learning_steps, source, prev_card)`,
    `(${REVIEW_FIELDS.map(() => '?').join(', ')}, 0, 'manual', '{"imported":true}')`
  )

  const exportDecks = db.prepare<[], StoredDeck>(
    `SELECT id, title, description, position, origin, retired_at AS retiredAt FROM decks
      WHERE retired_at IS NULL ORDER BY position, title`
  )
  const exportNotes = db.prepare<[string], ExportNote>(
    'SELECT id, title, body, tags FROM notes WHERE deck_id = ? AND retired_at IS NULL ORDER BY seq'
  )
  const exportCards = db.prepare<[string], ExportCard>(
    `SELECT id, note_id AS noteId, kind, cloze_ordinal AS clozeOrdinal, front, back, tags, drills FROM cards
      WHERE deck_id = ? AND retired_at IS NULL AND kind IN ('basic', 'cloze') ORDER BY position, seq`
  )
  const exportQuizItems = db.prepare<[string], ExportQuizItem>(
    `SELECT id, card_id AS cardId, type, prompt, data, explanation, tags, drills FROM quiz_items
      WHERE deck_id = ? AND retired_at IS NULL ORDER BY position, seq`
  )

  return {
    deck: (id: string): StoredDeck | undefined => deck.get(id),
    insertDeck(row: ImportedDeckRow, now: number): void {
      insertDeck.run({ ...row, position: nextDeckPosition.get()!.next, now })
    },
    /** Refreshes a deck an earlier import created; decks from content or the user are left alone. */
    updateDeck(row: ImportedDeckRow, now: number): void {
      updateDeck.run({ ...row, now })
    },
    state: (table: ImportTable, id: string): StoredRowState | undefined => byTable[table].state(id),
    nextPosition(table: 'cards' | 'quiz_items', deckId: string): number {
      return (table === 'cards' ? nextCardPosition : nextQuizPosition).get(deckId)!.next
    },
    insertNote: (row: ImportedNoteRow, hash: string, now: number) => notes.insert(row, hash, now),
    updateNote: (row: ImportedNoteRow, hash: string, now: number) => notes.update(row, hash, now),
    /** Cards new to the collection, in the order given: as new to study, or with the schedule they bring. */
    insertCards(created: readonly NewImportedCard[], now: number): void {
      const values = ({ row, position, hash }: NewImportedCard) => [
        ...rowColumns.map((column) => row[column]),
        position,
        hash,
        now,
        now
      ]
      // Consecutive cards of the same kind share statements; the order (and so seq) is kept.
      for (let start = 0; start < created.length;) {
        const scheduled = created[start]!.schedule !== null
        let end = start
        while (end < created.length && (created[end]!.schedule !== null) === scheduled) end++
        const run = created.slice(start, end)
        if (scheduled)
          insertScheduledCards(
            run.map((card) => [
              ...values(card),
              ...SCHEDULE_COLUMNS.flatMap(([, field]) => (field === 0 ? [] : [scheduleValue(card.schedule!, field)]))
            ])
          )
        else insertNewCards(run.map(values))
        start = end
      }
    },
    updateCard: (row: ImportedCardRow, hash: string, now: number) => cards.update(row, hash, now),
    insertQuizItem: (row: ImportedQuizRow, position: number, hash: string, now: number) =>
      quizItems.insert(row, hash, now, position),
    updateQuizItem: (row: ImportedQuizRow, hash: string, now: number) => quizItems.update(row, hash, now),
    /** The card's last review in this collection (ms), or null. */
    cardLastReview: (id: string): number | null => cardSchedule.get(id)?.lastReview ?? null,
    setCardSchedule(id: string, schedule: ImportedCardSchedule, now: number): void {
      setSchedule.run({ id, ...schedule, suspended: scheduleValue(schedule, 'suspended'), now })
    },
    /** Times (ms) of the answers already logged for a card. */
    reviewTimes: (cardId: string): Set<number> => new Set(reviewTimes.all(cardId).map((r) => r.at)),
    /** Adds imported answers to the review log, in the order given. */
    insertReviews(rows: readonly ImportedReviewRow[]): void {
      insertReviews(rows.map((row) => REVIEW_FIELDS.map((field) => row[field])))
    },
    park(table: ImportTable, id: string, row: object, hash: string, now: number): void {
      byTable[table].park(id, row, hash, now)
    },

    exportDecks: (): StoredDeck[] => exportDecks.all(),
    exportNotes: (deckId: string): ExportNote[] => exportNotes.all(deckId),
    exportCards: (deckId: string): ExportCard[] => exportCards.all(deckId),
    exportQuizItems: (deckId: string): ExportQuizItem[] => exportQuizItems.all(deckId)
  }
}

export type ImportStore = ReturnType<typeof createImportStore>
