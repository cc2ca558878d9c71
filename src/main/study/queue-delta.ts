// A kept count brought up to date from the card rows a recorded action changed, instead of
// walking the index again: each changed row counted before and not after takes one off, and the
// reverse adds one. The first card of the count (the one Review shows next) is kept unless the
// change removed it or tied with it; then one index probe finds it. When a count was cut at its
// cap (so the true number is unknown) and the new cap is not reached for certain, the caller
// walks the index as before. Pure: no SQL, no clock.
import type { Window } from '../store/study-cards'

/** A card row as the undo snapshot holds it (SELECT * FROM cards: column names). */
export type CardRow = Record<string, unknown>

/** One row changed by a recorded action, and the moment (ms) its burial test is made at. */
export interface CardChange {
  before: CardRow | null
  after: CardRow | null
  /** The queue's last check before the action: what was kept was exact at this moment. */
  at: number
}

export type CountKind = 'new' | 'review' | 'learning'

/** A count walked up to `cap` rows (n === cap: cut there, the true number may be larger). */
export interface Counted extends Window {
  cap: number
}

/** The bounds that make a row count, besides its deck: the day's end, and the learning window's end (ms). */
export interface Bounds {
  dayEnd: number
  until: number
}

/** The SQL of study-cards.ts's count walks, for one row: whether it is counted in `kind`. */
export function counts(kind: CountKind, row: CardRow, deckId: string | null, at: number, bounds: Bounds): boolean {
  if (deckId !== null && row.deck_id !== deckId) return false
  if (row.retired_at !== null || row.suspended !== 0) return false
  const buried = row.buried_until as number | null
  if (buried !== null && buried > at) return false
  const state = row.state as number
  const due = row.due as number
  if (kind === 'new') return state === 0 && row.kind !== 'drill'
  if (kind === 'review') return state === 2 && due < bounds.dayEnd
  return (state === 1 || state === 3) && due <= bounds.until
}

/** The value a count's first card is the least of: position for new cards, due time otherwise. */
const orderOf = (kind: CountKind, row: CardRow) => (kind === 'new' ? row.position : row.due) as number

export interface Patched {
  /** The count under the new cap, or null when only a walk can tell. */
  n: number | null
  /** The first card, or 'probe' when the change removed it or tied with it. */
  first: { id: string | null; due: number | null } | 'probe'
  /** The least due time (ms) of learning rows counted after `until` (they enter the window later). */
  nextOutside: number
}

/**
 * `window` after `changes`, under the cap `cap`. The first of a learning count cut at its cap is
 * not the least (its walk visits learning before relearning cards): the caller recounts those.
 */
export function patch(
  kind: CountKind,
  window: Counted,
  changes: CardChange[],
  deckId: string | null,
  bounds: Bounds,
  cap: number
): Patched {
  let removed = 0
  let added = 0
  let first: Patched['first'] = { id: window.id, due: window.due }
  let nextOutside = Infinity
  for (const { before, after, at } of changes) {
    const was = before !== null && counts(kind, before, deckId, at, bounds)
    const is = after !== null && counts(kind, after, deckId, at, bounds)
    if (was && !is) removed++
    if (!was && is) added++
    if (was && first !== 'probe' && before.id === first.id) first = 'probe'
    if (is && first !== 'probe') {
      const order = orderOf(kind, after)
      if (first.id === null || order < first.due!) first = { id: after.id as string, due: order }
      else if (order === first.due && after.id !== first.id) first = 'probe'
    }
    if (kind === 'learning' && after !== null && !is) {
      const later = { ...bounds, until: Infinity }
      if (counts(kind, after, deckId, at, later)) nextOutside = Math.min(nextOutside, after.due as number)
    }
  }
  const exact = window.n < window.cap
  let n: number | null
  if (exact) n = Math.min(window.n - removed + added, cap)
  else n = window.cap - removed + added >= cap ? cap : null
  if (n === 0) first = { id: null, due: null }
  return { n, first, nextOutside }
}
