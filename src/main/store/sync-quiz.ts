// What device sync reads and writes for quiz items: the learner's own (made in the app) changed
// since a time, and the writes that take another device's in.
import type { QuizItemText } from './entity-rows'
import type { Db } from './db'

export interface SyncQuizStore {
  /** The learner's own quiz items touched at or after `sinceMs`. */
  own(sinceMs: number): QuizItemText[]
  /** The item's deck, or null when this collection has no such item. */
  deckOf(id: string): string | null
  /** Takes another device's version of an item in (its deck and retirement stay as they are here). */
  update(item: QuizItemText, now: number): void
  /** Makes an item another device's learner made. */
  insert(item: QuizItemText, now: number): void
}

const COLUMNS = `id, deck_id AS deckId, card_id AS cardId, type, prompt, data, explanation, tags, drills`

export function createSyncQuizStore(db: Db): SyncQuizStore {
  const own = db.prepare<[number], QuizItemText>(
    `SELECT ${COLUMNS} FROM quiz_items WHERE origin = 'user' AND updated_at >= ? ORDER BY seq`
  )
  const deckOf = db.prepare<[string], string>('SELECT deck_id FROM quiz_items WHERE id = ?').pluck()
  const update = db.prepare(`
    UPDATE quiz_items SET card_id = @cardId, type = @type, prompt = @prompt, data = @data, explanation = @explanation,
      tags = @tags, drills = @drills, updated_at = @now
     WHERE id = @id AND (card_id IS NOT @cardId OR type != @type OR prompt != @prompt OR data != @data
       OR explanation != @explanation OR tags != @tags OR drills != @drills)`)
  const insert = db.prepare(`
    INSERT OR IGNORE INTO quiz_items
      (id, deck_id, card_id, type, prompt, data, explanation, tags, drills, position, origin, created_at, updated_at)
    VALUES (@id, @deckId, @cardId, @type, @prompt, @data, @explanation, @tags, @drills,
            (SELECT coalesce(max(position), 0) + 1 FROM quiz_items), 'user', @now, @now)`)
  return {
    own: (sinceMs) => own.all(sinceMs),
    deckOf: (id) => deckOf.get(id) ?? null,
    update: (item, now) => void update.run({ ...item, now }),
    insert: (item, now) => void insert.run({ ...item, now })
  }
}
