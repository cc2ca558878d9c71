// Today's counts for Review and Home, and the first card of each: the count model (below) over
// each deck's walks of the queue indexes, kept between requests (queue-cache.ts) and brought up
// to date after a recorded action from the rows it changed (queue-delta.ts).
import type { QueueCounts } from '../../shared/study'
import type { ReviewLogStore } from '../store/review-log'
import type { StudyCardStore, Window } from '../store/study-cards'
import type { InterviewService } from './interview'
import { createQueueCache } from './queue-cache'
import { patch, type Counted } from './queue-delta'
import { left } from './review-rules'
import type { SettingsService } from './settings'
import type { UndoService } from './undo'

/** Learning cards due within this window are shown early when nothing else is left (ms). */
export const LEARN_AHEAD_MS = 20 * 60_000
/** Counts shown above the card are capped; nobody needs to see "4,381 new". */
export const COUNT_CAP = 9999

export interface QueueCountsDeps {
  cards: StudyCardStore
  log: ReviewLogStore
  settings: SettingsService
  undo: UndoService
  interview?: InterviewService | undefined
  dayOf: (now: number) => { number: number; endMs: number }
}

/** What Review will show today in one scope, and which decks' own limits are reached. */
export interface Scope {
  counts: QueueCounts
  /** Cards due today that the limits hold back. */
  heldBack: { new: number; review: number }
  /** Decks whose own new or review limit is reached (all-deck Review skips their cards). */
  fullNew: string[]
  fullReview: string[]
  newLeft: number
  reviewsLeft: number
  /** The first card each count's walk found: new and review only where a limit leaves room. */
  first: { learning: Window; review: Window | null; new: Window | null }
}

const NONE: Window = { n: 0, id: null, due: null }

/** A deck's part as kept: what it gives, and the two walks it came from (brought up to date after an action). */
interface KeptPart {
  scope: Scope
  fresh: Counted
  review: Counted
}

/** A learning count as kept, and the end (ms) of the learn-ahead window it was counted under. */
interface KeptLearning {
  window: Counted
  until: number
}
/** The earlier of two firsts (by due time, or position for new cards). */
const earlier = (a: Window | null, b: Window | null) => (!a?.id ? b : !b?.id ? a : b.due! < a.due! ? b : a)

export function createQueueCounts(deps: QueueCountsDeps) {
  const { cards, log, settings, undo, interview, dayOf } = deps

  // Each deck's new and review part is kept between requests until something could change it
  // (queue-cache.ts); learning cards come due by the minute, so they are always counted.
  const kept = createQueueCache({
    changes: cards.totalChanges,
    version: cards.dataVersion,
    buryEnded: cards.buryEnded
  })
  undo.listen(kept)
  const NOTHING_DONE = { newCards: 0, reviews: 0 }

  /**
   * The count model. A deck offers its new and due-today review cards up to its own daily
   * limits, less what was answered in that deck today. Across all decks, each deck offers its
   * share under its own limits and the total stops at the global limits, less everything
   * answered today. Learning cards are never limited. One more card than the limit is counted
   * so that `heldBack` can say the limit holds some back. This is a deck's part without its
   * learning cards; call `kept.check` first in each request.
   */
  function deckPart(
    deckId: string,
    now: number,
    day: { endMs: number; number: number },
    doneByDeck?: () => Map<string, { newCards: number; reviews: number }>
  ): Scope {
    const found = kept.get<KeptPart>('part', deckId, now)
    if (found && !found.changes) return found.value.scope
    const done = doneByDeck ? (doneByDeck().get(deckId) ?? NOTHING_DONE) : log.doneOnDay(day.number, deckId)
    const base = settings.effective(deckId)
    const limit = left(interview ? interview.limits(deckId, base, () => done.newCards, now) : base, done)
    const caps = { new: Math.min(limit.new + 1, COUNT_CAP), review: Math.min(limit.review + 1, COUNT_CAP) }
    // After a recorded action, the kept walks are brought up to date from the rows it changed.
    const bounds = { dayEnd: day.endMs, until: now + LEARN_AHEAD_MS }
    const patched = (kind: 'new' | 'review', probe: (cap: number) => Window): Counted | null => {
      if (!found?.changes) return null
      const p = patch(
        kind,
        kind === 'new' ? found.value.fresh : found.value.review,
        found.changes,
        deckId,
        bounds,
        caps[kind]
      )
      if (p.n === null) return null
      const first = p.first === 'probe' ? probe(1) : p.first
      // A probe that finds nothing where the count says there is something: walk instead.
      if (first.id === null && p.n > 0) return null
      return { id: first.id, due: first.due, n: p.n, cap: caps[kind] }
    }
    const walkNew = (cap: number) => cards.countNew(deckId, now, cap)
    const walkReview = (cap: number) => cards.countReview(deckId, now, day.endMs, cap)
    const fresh = patched('new', walkNew) ?? { ...walkNew(caps.new), cap: caps.new }
    const review = patched('review', walkReview) ?? { ...walkReview(caps.review), cap: caps.review }
    const counts = { learning: 0, new: Math.min(fresh.n, limit.new), review: Math.min(review.n, limit.review) }
    const part: Scope = {
      counts,
      heldBack: { new: fresh.n - counts.new, review: review.n - counts.review },
      fullNew: limit.new === 0 ? [deckId] : [],
      fullReview: limit.review === 0 ? [deckId] : [],
      newLeft: limit.new,
      reviewsLeft: limit.review,
      first: { learning: NONE, review: limit.review > 0 ? review : null, new: limit.new > 0 ? fresh : null }
    }
    kept.set('part', deckId, { scope: part, fresh, review } satisfies KeptPart)
    return part
  }

  /**
   * The learning cards due by now plus the learn-ahead window, kept until the next one enters
   * that window (or something changes them).
   */
  function learningCount(deckId: string | null, now: number): Window {
    const found = kept.get<KeptLearning>('learning', deckId, now)
    if (found && !found.changes) return found.value.window
    if (found?.changes && found.value.window.n < COUNT_CAP) {
      // Brought up to date from the changed rows, under the window's end when it was counted.
      const { window, until } = found.value
      const bounds = { dayEnd: 0, until }
      const p = patch('learning', window, found.changes, deckId, bounds, COUNT_CAP)
      const expiresAt = Math.min(found.expiresAt, p.nextOutside - LEARN_AHEAD_MS)
      if (p.n !== null && p.n < COUNT_CAP && now < expiresAt) {
        const first = p.first === 'probe' ? cards.firstLearning(deckId, now, until) : p.first
        const learning = { id: first.id, due: first.due, n: p.n, cap: COUNT_CAP }
        if (first.id !== null || p.n === 0)
          kept.set('learning', deckId, { window: learning, until } satisfies KeptLearning, expiresAt)
        return learning
      }
    }
    const until = now + LEARN_AHEAD_MS
    const counted = cards.countLearning(deckId, now, until, COUNT_CAP)
    // A walk cut at the cap visited learning cards before relearning ones, so its first may not
    // be the earliest: ask the index for that one now, kept with the count, rather than at
    // every request (the queue at 1M cards, 25,000 learning cards due, asked it each time).
    const first = counted.n >= COUNT_CAP ? cards.firstLearning(deckId, now, until) : counted
    const learning = { ...counted, id: first.id, due: first.due, cap: COUNT_CAP }
    const next = cards.nextLearningDue(deckId, until)
    kept.set(
      'learning',
      deckId,
      { window: learning, until } satisfies KeptLearning,
      next === null ? Infinity : next - LEARN_AHEAD_MS
    )
    return learning
  }

  /** A part with its learning cards added: a new object. */
  function withLearning(part: Scope, deckId: string | null, now: number): Scope {
    const learning = learningCount(deckId, now)
    return { ...part, counts: { ...part.counts, learning: learning.n }, first: { ...part.first, learning } }
  }

  /** Every deck's part added up, capped by the global limits (kept under the key ''). */
  function allDecksPart(now: number, day: { endMs: number; number: number }): Scope {
    const found = kept.get<Scope>('part', null, now)
    if (found && !found.changes) return found.value
    let doneByDeck: Map<string, { newCards: number; reviews: number }> | undefined
    const done = () => (doneByDeck ??= log.doneOnDayByDeck(day.number))
    // An interview plan raises the global new-card limit by what its decks need today.
    const globalBase = settings.global()
    const introduced = (id: string) => done().get(id)?.newCards ?? 0
    const global = left(
      interview ? interview.limits(null, globalBase, introduced, now) : globalBase,
      log.doneOnDay(day.number, null)
    )
    const total: Scope = {
      counts: { new: 0, learning: 0, review: 0 },
      heldBack: { new: 0, review: 0 },
      fullNew: [],
      fullReview: [],
      newLeft: global.new,
      reviewsLeft: global.review,
      first: { learning: NONE, review: null, new: null }
    }
    // Each deck's walks give its first new and review card (decks at their own limit give
    // none): the earliest of those is the next across all decks, one index probe per deck
    // instead of a walk of every card in the full decks.
    for (const id of cards.liveDeckIds()) {
      const part = deckPart(id, now, day, done)
      total.first.review = earlier(total.first.review, part.first.review)
      total.first.new = earlier(total.first.new, part.first.new)
      total.counts.new += part.counts.new
      total.counts.review += part.counts.review
      total.heldBack.new += part.heldBack.new
      total.heldBack.review += part.heldBack.review
      total.fullNew.push(...part.fullNew)
      total.fullReview.push(...part.fullReview)
    }
    for (const kind of ['new', 'review'] as const) {
      const cap = kind === 'new' ? global.new : global.review
      if (total.counts[kind] > cap) {
        total.heldBack[kind] += total.counts[kind] - cap
        total.counts[kind] = cap
      }
    }
    kept.set('part', null, total)
    return total
  }

  function scope(deckId: string | null, now: number): Scope {
    const day = dayOf(now)
    kept.check(day, now)
    return withLearning(deckId ? deckPart(deckId, now, day) : allDecksPart(now, day), deckId, now)
  }

  return {
    scope,
    /** What Review shows for each deck at `now` (Home's counts). */
    deckCounts(now: number): Map<string, QueueCounts> {
      const day = dayOf(now)
      kept.check(day, now)
      let doneByDeck: Map<string, { newCards: number; reviews: number }> | undefined
      const done = () => (doneByDeck ??= log.doneOnDayByDeck(day.number))
      return new Map(cards.liveDeckIds().map((id) => [id, withLearning(deckPart(id, now, day, done), id, now).counts]))
    }
  }
}
