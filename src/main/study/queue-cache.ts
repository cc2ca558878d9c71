// Each deck's part of today's queue (its new and review counts under its limits, and its first
// card of each), kept between requests until something could change it. Review over all decks
// counts every deck (about 60 sets of index walks); with the parts kept, asking again after
// nothing changed costs a few statements, and an answer recounts only the decks it touched.
//
// A kept part is dropped when:
// - the study day changes (the limits and "due today" are per day);
// - this connection wrote anything outside a recorded action, or another connection committed
//   (total_changes() and PRAGMA data_version);
// - a recorded action (answer, bury, suspend, edit...) changed cards or log rows of that deck
//   (the undo snapshot says which: a recorded action changes only the undo tables, or undo
//   would not be exact; a change to the decks table drops everything);
// - a burial ended since the part was counted (a buried card counts again once its time passes;
//   learning cards, which come due by the minute, are kept with an expiry: until the next one
//   enters the learn-ahead window).
import type { RowSnapshot } from '../store/undo'
import type { UndoListener } from './undo'

export interface ChangeClock {
  /** Rows this connection has written (total_changes(): grows with every write, temp tables too). */
  changes(): number
  /** Changes when another connection commits (PRAGMA data_version). */
  version(): number
  /** True when some card's burial ended after `since` and at or before `now` (ms). */
  buryEnded(since: number, now: number): boolean
}

/** What is kept: a deck's (or, for null, all decks') new and review part, or its learning count. */
export type KeptKind = 'part' | 'learning'

export interface QueueCache extends UndoListener {
  /** What was kept for this kind and deck (null: all decks), unless it expired by `now`. Call `check` first. */
  get<T>(kind: KeptKind, deckId: string | null, now: number): T | undefined
  /** Keeps `value` until something changes it, or until `expiresAt` (ms). */
  set(kind: KeptKind, deckId: string | null, value: unknown, expiresAt?: number): void
  /** Drops whatever `now` and the study day make stale; call once per request before `get`. */
  check(day: { number: number; endMs: number }, now: number): void
}

const key = (kind: KeptKind, deckId: string | null) => `${kind}:${deckId ?? '*'}`

/** Deck ids whose rows a recorded action changed, or null when it may have changed every deck. */
function touchedDecks(snapshot: RowSnapshot): Set<string> | null {
  if (snapshot.tables.decks) return null
  const decks = new Set<string>()
  for (const table of ['cards', 'review_log'] as const) {
    const change = snapshot.tables[table]
    if (!change) continue
    for (const rows of [change.before, change.after])
      for (const row of rows.values()) if (row) decks.add(String(row.deck_id))
  }
  return decks
}

export function createQueueCache(clock: ChangeClock): QueueCache {
  const kept = new Map<string, { value: unknown; expiresAt: number }>()
  let changes = -1
  let version = -1
  let day = ''
  let checkedAt = -Infinity
  /** Whether what is kept matched the collection just before the recorded action now running. */
  let currentBefore = false

  const current = () => clock.changes() === changes && clock.version() === version
  const clearAll = () => {
    kept.clear()
    changes = clock.changes()
    version = clock.version()
  }

  return {
    check(studyDay, now) {
      // The day's end too: a change of time zone moves it without changing the day's number.
      const today = `${studyDay.number}/${studyDay.endMs}`
      if (!current() || today !== day || now < checkedAt || clock.buryEnded(checkedAt, now)) {
        clearAll()
        day = today
      }
      checkedAt = now
    },
    get<T>(kind: KeptKind, deckId: string | null, now: number) {
      const found = kept.get(key(kind, deckId))
      return found && now < found.expiresAt ? (found.value as T) : undefined
    },
    set(kind, deckId, value, expiresAt = Infinity) {
      kept.set(key(kind, deckId), { value, expiresAt })
    },
    before() {
      currentBefore = kept.size > 0 && current()
    },
    after(snapshot) {
      const decks = snapshot && currentBefore ? touchedDecks(snapshot) : null
      if (!decks) return clearAll()
      for (const deck of [...decks, ...(decks.size > 0 ? [null] : [])]) {
        kept.delete(key('part', deck))
        kept.delete(key('learning', deck))
      }
      // Inside the action's transaction no other connection can commit: only this one's count moved.
      changes = clock.changes()
    }
  }
}
