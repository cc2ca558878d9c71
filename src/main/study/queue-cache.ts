// Each deck's part of today's queue (its new and review counts under its limits, and its first
// card of each), kept between requests until something could change it. Review over all decks
// counts every deck (about 60 sets of index walks); with the parts kept, asking again after
// nothing changed costs a few statements, and an answer recounts only the decks it touched.
//
// A kept part is dropped when:
// - the study day changes (the limits and "due today" are per day);
// - this connection wrote anything outside a recorded action, or another connection committed
//   (total_changes() and PRAGMA data_version);
// - a change to the decks table in a recorded action (the all-decks part is dropped by any
//   recorded action that touched a deck).
// A recorded action (answer, bury, suspend, edit...) that changed cards or log rows of a deck
// does not drop that deck's part: it is handed the changed card rows (the undo snapshot says
// which: a recorded action changes only the undo tables, or undo would not be exact), and the
// queue brings its counts up to date from them (queue-delta.ts).
// - a burial ended since the part was counted (a buried card counts again once its time passes;
//   learning cards, which come due by the minute, are kept with an expiry: until the next one
//   enters the learn-ahead window).
import type { RowSnapshot } from '../store/undo'
import type { CardChange } from './queue-delta'
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

/** What was kept, and the card rows recorded actions changed since (null: none; [] only log rows). */
export interface Kept<T> {
  value: T
  changes: CardChange[] | null
  expiresAt: number
}

export interface QueueCache extends UndoListener {
  /** What was kept for this kind and deck (null: all decks), unless it expired by `now`. Call `check` first. */
  get<T>(kind: KeptKind, deckId: string | null, now: number): Kept<T> | undefined
  /** Keeps `value` until something changes it, or until `expiresAt` (ms). */
  set(kind: KeptKind, deckId: string | null, value: unknown, expiresAt?: number): void
  /** Drops whatever `now` and the study day make stale; call once per request before `get`. */
  check(day: { number: number; endMs: number }, now: number): void
}

const key = (kind: KeptKind, deckId: string | null) => `${kind}:${deckId ?? '*'}`

/** The changed card rows of `deckId` (every deck's for null). */
function changesOf(snapshot: RowSnapshot, deckId: string | null, at: number): CardChange[] {
  const change = snapshot.tables.cards
  if (!change) return []
  const out: CardChange[] = []
  for (const [rid, before] of change.before) {
    const after = change.after.get(rid) ?? null
    if (deckId === null || before?.deck_id === deckId || after?.deck_id === deckId) out.push({ before, after, at })
  }
  return out
}

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
  const kept = new Map<string, Kept<unknown>>()
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
      return found && now < found.expiresAt ? (found as Kept<T>) : undefined
    },
    set(kind, deckId, value, expiresAt = Infinity) {
      kept.set(key(kind, deckId), { value, expiresAt, changes: null })
    },
    before() {
      currentBefore = kept.size > 0 && current()
    },
    after(snapshot) {
      const decks = snapshot && currentBefore ? touchedDecks(snapshot) : null
      if (!decks) return clearAll()
      if (decks.size > 0) kept.delete(key('part', null))
      for (const deck of [...decks, ...(decks.size > 0 ? [null] : [])]) {
        for (const kind of ['part', 'learning'] as const) {
          const entry = kept.get(key(kind, deck))
          if (!entry) continue
          const rows = changesOf(snapshot!, deck, checkedAt)
          // Learning counts depend on card rows only; a deck's part on its log rows too (its limits).
          if (kind === 'learning' && rows.length === 0) continue
          entry.changes = [...(entry.changes ?? []), ...rows]
        }
      }
      // Inside the action's transaction no other connection can commit: only this one's count moved.
      changes = clock.changes()
    }
  }
}
