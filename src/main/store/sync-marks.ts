// What device sync reads and writes for a card's marks (suspended, flag, tags, buried, deck): the
// changes made here since they were last sent (noted by the sync_marks_changed trigger), and
// the writes that take a winning value from another device in.
import type { Db } from './db'

export const MARK_FIELDS = ['suspended', 'flag', 'tags', 'buried', 'deck'] as const
export type MarkField = (typeof MARK_FIELDS)[number]
/** suspended: 0 or 1; flag: 0 to 7; tags: space-separated; buried: until when (ms), or null; deck: its id. */
export type MarkValue = number | string | null

/** One field changed here: its value now and when it changed (ms, the card's updated_at then). */
export interface MarkChange {
  cardId: string
  field: MarkField
  at: number
  value: MarkValue
}

export interface SyncMarksStore {
  /** Every change noted here and not yet sent, with the card's value now. */
  changes(): MarkChange[]
  /** Forgets sent changes, unless the field changed again since (a later time was noted). */
  clearSent(sent: readonly MarkChange[]): void
  /** When this field last changed here without being sent yet (ms), or null. */
  unsent(cardId: string, field: MarkField): number | null
  /** The card's value of the field, or undefined when this collection has no such card. */
  value(cardId: string, field: MarkField): MarkValue | undefined
  /**
   * Takes a value from another device in; it is not noted as a change made here. A card moved
   * into a deleted deck is retired with it; one moved out of a deleted deck (retired with it) comes back.
   */
  set(cardId: string, field: MarkField, value: MarkValue, now: number): void
  /** Whether the deck is here (false: not here at all). */
  hasDeck(deckId: string): boolean
}

const COLUMN: Record<MarkField, string> = {
  suspended: 'suspended',
  flag: 'flag',
  tags: 'tags',
  buried: 'buried_until',
  deck: 'deck_id'
}

export function createSyncMarksStore(db: Db): SyncMarksStore {
  const changes = db.prepare<[], MarkChange>(`
    SELECT m.card_id AS cardId, m.field, m.at,
           CASE m.field WHEN 'suspended' THEN c.suspended WHEN 'flag' THEN c.flag WHEN 'tags' THEN c.tags
                        WHEN 'deck' THEN c.deck_id ELSE c.buried_until END AS value
      FROM sync_mark_changes m JOIN cards c ON c.id = m.card_id ORDER BY m.card_id`)
  const clear = db.prepare('DELETE FROM sync_mark_changes WHERE card_id = ? AND field = ? AND at = ?')
  const drop = db.prepare('DELETE FROM sync_mark_changes WHERE card_id = ? AND field = ?')
  const unsent = db
    .prepare<[string, string], number>('SELECT at FROM sync_mark_changes WHERE card_id = ? AND field = ?')
    .pluck()
  const read = Object.fromEntries(
    Object.entries(COLUMN).map(([field, column]) => [
      field,
      db.prepare<[string], { value: MarkValue }>(`SELECT ${column} AS value FROM cards WHERE id = ?`)
    ])
  ) as Record<MarkField, ReturnType<typeof db.prepare<[string], { value: MarkValue }>>>
  const write = Object.fromEntries(
    Object.entries(COLUMN).map(([field, column]) => [
      field,
      db.prepare(`UPDATE cards SET ${column} = @value, updated_at = @now WHERE id = @id`)
    ])
  ) as Record<MarkField, ReturnType<Db['prepare']>>

  // The deck decides whether the card lives: a deleted deck's cards are retired (README, "Card moves").
  write.deck = db.prepare(`
    UPDATE cards SET deck_id = @value, updated_at = @now,
      retired_at = CASE
        WHEN (SELECT retired_at FROM decks WHERE id = @value) IS NOT NULL THEN coalesce(retired_at, @now)
        WHEN (SELECT retired_at FROM decks WHERE id = cards.deck_id) IS NOT NULL THEN NULL
        ELSE retired_at END
     WHERE id = @id`)
  const deckHere = db.prepare<[string], number>('SELECT 1 FROM decks WHERE id = ?').pluck()

  return {
    changes: () => changes.all(),
    clearSent(sent) {
      for (const change of sent) clear.run(change.cardId, change.field, change.at)
    },
    unsent: (cardId, field) => unsent.get(cardId, field) ?? null,
    value(cardId, field) {
      const row = read[field].get(cardId)
      return row === undefined ? undefined : row.value
    },
    set(cardId, field, value, now) {
      write[field].run({ id: cardId, value, now })
      // The trigger noted this write as a change made here: it is not one.
      drop.run(cardId, field)
    },
    hasDeck: (deckId) => deckHere.get(deckId) !== undefined
  }
}
