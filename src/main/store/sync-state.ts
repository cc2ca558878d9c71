// Everything device sync reads and writes in SQLite (src/main/sync/ holds no SQL): the device's
// own facts, which answers went out, which document versions came in, and the writes that
// apply a merged document to the collection. The sync service calls these inside transactions.
import type { CardState } from '../../shared/study'
import type { LoggedState } from '../scheduler/fsrs'
import type { Db } from './db'

/** One answer as it travels between devices: what FSRS needs to replay it, nothing derived. */
export interface SyncedAnswer {
  uid: string
  cardId: string
  reviewedAt: number
  rating: 1 | 2 | 3 | 4
  durationMs: number
  source: 'review' | 'quiz' | 'drill'
}

/** A logged answer with the scheduling state it was given in, as the review_log row holds it. */
export interface StoredAnswer extends SyncedAnswer, LoggedState {
  id: number
  deckId: string
  studyDay: number
  learningSteps: number
  previous: string
}

/** A card whose text this device may have changed, with the text it had before its first edit. */
export interface EditableCard {
  id: string
  deckId: string
  kind: string
  origin: string
  front: string
  back: string
  tags: string
  baseFront: string | null
  baseBack: string | null
  retired: boolean
}

export interface SyncDeck {
  id: string
  title: string
  origin: string
  retired: boolean
}

export interface SyncStateStore {
  meta(key: string): string | null
  setMeta(key: string, value: string): void
  /** Gives every answer logged here without a uid its uid ('<device>:<row id>-<random>'). */
  assignUids(deviceId: string): void
  /** The lowest row id of an answer without a uid (not sent yet), or null. */
  firstUnsent(): number | null
  /** This device's own answers after row `afterId`, in row order (at most `limit`). */
  ownAnswersAfter(deviceId: string, afterId: number, limit: number): (SyncedAnswer & { id: number })[]
  hasAnswer(uid: string): boolean
  appliedHeads(url: string): string[] | null
  setAppliedHeads(url: string, heads: string[]): void
  cardDeck(cardId: string): string | null
  answersOfCard(cardId: string): StoredAnswer[]
  /** Replaces a card's log rows by `rows` (ids kept where given), so the daily totals' triggers stay right. */
  rewriteCardLog(cardId: string, rows: (Omit<StoredAnswer, 'id'> & { id: number | null })[]): void
  writeCardState(cardId: string, state: CardState, now: number): void
  /** This device's answers undone after they were sent (absent from the log now), not yet tombstoned. */
  undone(): { uid: string; reviewedAt: number }[]
  clearUndone(uids: readonly string[]): void
  /** The card an answer here belongs to, or null. */
  cardOfAnswer(uid: string): string | null
  /** Forgets an answer waiting for its card (it was undone where it was given). */
  dropPendingAnswer(uid: string): void
  addPending(answer: SyncedAnswer): void
  takePending(cardId: string): SyncedAnswer[]
  pendingCardIds(): string[]
  /** Cards this device may have changed (edited, or its own), touched at or after `sinceMs`. */
  editableCards(sinceMs: number): EditableCard[]
  setCardText(cardId: string, front: string, back: string, now: number): void
  insertCard(card: { id: string; deckId: string; front: string; back: string; tags: string }, now: number): void
  decks(): SyncDeck[]
  insertDeck(deck: { id: string; title: string }, now: number): void
  /** Retires a deck and everything in it (nothing is removed: answers and text stay). */
  retireDeck(deckId: string, now: number): boolean
}

const ANSWER_COLUMNS = `uid, card_id AS cardId, reviewed_at AS reviewedAt, rating, duration_ms AS durationMs, source`

export function createSyncStateStore(db: Db): SyncStateStore {
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM sync_meta WHERE key = ?')
  const putMeta = db.prepare(
    'INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
  )
  // Row ids can come back after an undo removed the last row, so a uid also carries random bits:
  // an answer given after an undo never takes the uid of the one undone.
  const assign = db.prepare(
    `UPDATE review_log SET uid = ? || ':' || id || '-' || lower(hex(randomblob(4))) WHERE uid IS NULL`
  )
  const own = db.prepare<[number, string, string, number], SyncedAnswer & { id: number }>(
    `SELECT id, ${ANSWER_COLUMNS} FROM review_log WHERE id > ? AND uid > ? AND uid < ? AND rating BETWEEN 1 AND 4
      ORDER BY id LIMIT ?`
  )
  const firstUnsent = db
    .prepare<[], number | null>('SELECT min(id) FROM review_log WHERE uid IS NULL AND rating BETWEEN 1 AND 4')
    .pluck()
  const has = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM review_log WHERE uid = ?')
  const getHeads = db.prepare<[string], { heads: string }>('SELECT heads FROM sync_docs WHERE url = ?')
  const putHeads = db.prepare(
    'INSERT INTO sync_docs (url, heads) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET heads = excluded.heads'
  )
  const deckOf = db.prepare<[string], { deckId: string }>('SELECT deck_id AS deckId FROM cards WHERE id = ?')
  const ofCard = db.prepare<[string], StoredAnswer>(
    `SELECT id, ${ANSWER_COLUMNS}, deck_id AS deckId, study_day AS studyDay, state, due, stability, difficulty,
            elapsed_days AS elapsedDays, last_elapsed_days AS lastElapsedDays, scheduled_days AS scheduledDays,
            learning_steps AS learningSteps, prev_card AS previous
       FROM review_log WHERE card_id = ? AND rating BETWEEN 1 AND 4`
  )
  const removeCardLog = db.prepare('DELETE FROM review_log WHERE card_id = ? AND rating BETWEEN 1 AND 4')
  const insertLog = db.prepare(`
    INSERT INTO review_log (id, uid, card_id, deck_id, reviewed_at, study_day, rating, state, due, stability, difficulty,
      elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms, source, prev_card)
    VALUES (@id, @uid, @cardId, @deckId, @reviewedAt, @studyDay, @rating, @state, @due, @stability, @difficulty,
      @elapsedDays, @lastElapsedDays, @scheduledDays, @learningSteps, @durationMs, @source, @previous)`)
  const writeState = db.prepare(`
    UPDATE cards SET state = @state, due = @due, stability = @stability, difficulty = @difficulty,
      elapsed_days = @elapsedDays, scheduled_days = @scheduledDays, learning_steps = @learningSteps,
      reps = @reps, lapses = @lapses, last_review = @lastReview, updated_at = @now WHERE id = @id`)
  const undone = db.prepare<[], { uid: string; reviewedAt: number }>(`
    SELECT u.uid, u.reviewed_at AS reviewedAt FROM sync_undone u
     WHERE NOT EXISTS (SELECT 1 FROM review_log r WHERE r.uid = u.uid) ORDER BY u.uid`)
  const keptUndone = db.prepare(
    'DELETE FROM sync_undone WHERE uid IN (SELECT uid FROM review_log WHERE card_id = ? AND uid IS NOT NULL)'
  )
  const clearUndone = db.prepare('DELETE FROM sync_undone WHERE uid = ?')
  const cardOfAnswer = db.prepare<[string], string>('SELECT card_id FROM review_log WHERE uid = ?').pluck()
  const dropPendingAnswer = db.prepare('DELETE FROM sync_pending WHERE uid = ?')
  const putPending = db.prepare('INSERT OR IGNORE INTO sync_pending (uid, card_id, entry) VALUES (?, ?, ?)')
  const pendingOf = db.prepare<[string], { entry: string }>('SELECT entry FROM sync_pending WHERE card_id = ?')
  const dropPending = db.prepare('DELETE FROM sync_pending WHERE card_id = ?')
  const pendingCards = db.prepare<[], { cardId: string }>(
    'SELECT DISTINCT p.card_id AS cardId FROM sync_pending p JOIN cards c ON c.id = p.card_id'
  )
  const editable = db.prepare<[number], Omit<EditableCard, 'retired'> & { retired: number }>(`
    SELECT c.id, c.deck_id AS deckId, c.kind, c.origin, c.front, c.back, c.tags, b.front AS baseFront, b.back AS baseBack,
           c.retired_at IS NOT NULL AS retired
      FROM cards c LEFT JOIN sync_card_base b ON b.card_id = c.id
     WHERE (c.user_edited_at IS NOT NULL OR c.origin = 'user') AND c.updated_at >= ?`)
  const setText = db.prepare(`
    UPDATE cards SET front = @front, back = @back, user_edited_at = coalesce(user_edited_at, @now), updated_at = @now
     WHERE id = @id AND (front != @front OR back != @back)`)
  const newCard = db.prepare(`
    INSERT OR IGNORE INTO cards (id, deck_id, kind, front, back, tags, position, origin, created_at, updated_at)
    VALUES (@id, @deckId, 'basic', @front, @back, @tags, (SELECT coalesce(max(position), 0) + 1 FROM cards), 'user', @now, @now)`)
  const allDecks = db.prepare<[], { id: string; title: string; origin: string; retired: number }>(
    'SELECT id, title, origin, retired_at IS NOT NULL AS retired FROM decks'
  )
  const newDeck = db.prepare(`
    INSERT OR IGNORE INTO decks (id, title, position, origin, created_at, updated_at)
    VALUES (@id, @title, (SELECT coalesce(max(position), 0) + 1 FROM decks), 'user', @now, @now)`)
  const retire = ['decks', 'cards', 'notes', 'quiz_items'].map((table) =>
    db.prepare(
      `UPDATE ${table} SET retired_at = @now, updated_at = @now WHERE ${table === 'decks' ? 'id' : 'deck_id'} = @id AND retired_at IS NULL`
    )
  )

  return {
    meta: (key) => getMeta.get(key)?.value ?? null,
    setMeta: (key, value) => void putMeta.run(key, value),
    assignUids: (deviceId) => void assign.run(deviceId),
    firstUnsent: () => firstUnsent.get() ?? null,
    ownAnswersAfter: (deviceId, afterId, limit) => own.all(afterId, `${deviceId}:`, `${deviceId};`, limit),
    hasAnswer: (uid) => has.get(uid) !== undefined,
    appliedHeads(url) {
      const row = getHeads.get(url)
      return row ? (JSON.parse(row.heads) as string[]) : null
    },
    setAppliedHeads: (url, heads) => void putHeads.run(url, JSON.stringify(heads)),
    cardDeck: (cardId) => deckOf.get(cardId)?.deckId ?? null,
    answersOfCard: (cardId) => ofCard.all(cardId),
    rewriteCardLog(cardId, rows) {
      removeCardLog.run(cardId)
      // Rows that keep their id go back first: a new row must not take an id one of them holds.
      for (const row of rows) if (row.id !== null) insertLog.run(row)
      for (const row of rows) if (row.id === null) insertLog.run(row)
      // The delete above noted this device's answers as undone: those put back were not.
      keptUndone.run(cardId)
    },
    undone: () => undone.all(),
    clearUndone(uids) {
      for (const uid of uids) clearUndone.run(uid)
    },
    cardOfAnswer: (uid) => cardOfAnswer.get(uid) ?? null,
    dropPendingAnswer: (uid) => void dropPendingAnswer.run(uid),
    writeCardState: (cardId, state, now) => void writeState.run({ ...state, id: cardId, now }),
    addPending: (answer) => void putPending.run(answer.uid, answer.cardId, JSON.stringify(answer)),
    takePending(cardId) {
      const rows = pendingOf.all(cardId).map((row) => JSON.parse(row.entry) as SyncedAnswer)
      dropPending.run(cardId)
      return rows
    },
    pendingCardIds: () => pendingCards.all().map((row) => row.cardId),
    editableCards: (sinceMs) => editable.all(sinceMs).map((row) => ({ ...row, retired: row.retired === 1 })),
    setCardText: (cardId, front, back, now) => void setText.run({ id: cardId, front, back, now }),
    insertCard: (card, now) => void newCard.run({ ...card, now }),
    decks: () => allDecks.all().map((row) => ({ ...row, retired: row.retired === 1 })),
    insertDeck: (deck, now) => void newDeck.run({ ...deck, now }),
    retireDeck(deckId, now) {
      const changed = retire[0]!.run({ id: deckId, now }).changes > 0
      for (const statement of retire.slice(1)) statement.run({ id: deckId, now })
      return changed
    }
  }
}
