// Reviewing: the queue and its counts, answering (one transaction: schedule, write card, append
// log, bury siblings, mark a leech), bury, suspend and flags. Each action is an undo step (see
// undo.ts). Quiz and drill outcomes reach cards through `applyOutcome`.
import { NotFoundError, ValidationError } from '../../shared/errors'
import {
  RATING_NAMES,
  type AnswerResult,
  type LeechEvent,
  type QueueCounts,
  type QueueState,
  type Rating,
  type StudyCard,
  type StudySet
} from '../../shared/study'
import { answer, intervalLabel, preview } from '../scheduler/fsrs'
import { studyDay } from '../scheduler/study-day'
import type { Db } from '../store/db'
import type { ReviewLogStore } from '../store/review-log'
import type { CardRef, StudyCardStore } from '../store/study-cards'
import { isLeechLapse, siblingsToBury } from './review-rules'
import { createQueueCounts } from './queue-counts'
import type { InterviewService } from './interview'
import type { SettingsService } from './settings'
import type { UndoService } from './undo'

/** How long Review's Skip sets a drill card aside (ms). */
export const SKIP_MS = 3_600_000
export const LEECH_TAG = 'leech'

export interface ReviewDeps {
  db: Db
  cards: StudyCardStore
  log: ReviewLogStore
  settings: SettingsService
  undo: UndoService
  /** The interview plan: brings reviews forward and raises new cards a day for its decks. */
  interview?: InterviewService
  clock: () => number
  /** Local UTC offset as Date#getTimezoneOffset() for a moment (minutes). */
  tzOffset?: (now: number) => number
}

export function createReviewService(deps: ReviewDeps) {
  const { cards, log, settings, clock, undo, interview } = deps
  const tzOffset = deps.tzOffset ?? ((now: number) => new Date(now).getTimezoneOffset())

  const dayOf = (now: number) => studyDay(now, settings.global().dayStartHour, tzOffset(now))

  const counts = createQueueCounts({ cards, log, settings, undo, interview, dayOf })
  const scope = counts.scope

  const intervalsFor = (cardId: string, now: number) => {
    const ref = cards.ref(cardId)!
    const effective = settings.effective(ref.deckId)
    const dues = preview(cardId, ref.state, now, effective)
    // Under an interview plan the labels show where the plan puts the card.
    const planned = interview?.adjuster(ref.deckId, now)
    if (planned)
      for (const rating of [1, 2, 3, 4] as const)
        dues[rating] = planned(answer(cardId, ref.state, rating, now, effective).card).due
    return {
      1: intervalLabel(now, dues[1]),
      2: intervalLabel(now, dues[2]),
      3: intervalLabel(now, dues[3]),
      4: intervalLabel(now, dues[4])
    }
  }

  /** True when `cardId` is in scope and could be studied now (not retired, suspended or buried). */
  function studiable(cardId: string, deckId: string | null, now: number): boolean {
    const ref = cards.ref(cardId)
    const info = cards.studyCard(cardId)
    if (!ref || !info || ref.retired || ref.suspended) return false
    if (deckId && ref.deckId !== deckId) return false
    if (info.kind === 'drill' && ref.state.state === 0) return false
    return !cards.buriedAfter(cardId, now)
  }

  function queue(deckId: string | null, first?: string, set?: StudySet): QueueState {
    if (set) return setQueue(set, first)
    const now = clock()
    const s = scope(deckId, now)
    // The earliest learning card due within the learn-ahead window, even past the count's cap
    // (queue-counts.ts asks the index for it then).
    const { id: learningId, due: learningDue } = s.first.learning
    const learningNow = learningDue !== null && learningDue <= now ? learningId : null
    const review = s.reviewsLeft > 0 ? (s.first.review?.id ?? null) : null
    const fresh = s.newLeft > 0 ? (s.first.new?.id ?? null) : null
    const nextId =
      (first && studiable(first, deckId, now) ? first : null) ?? learningNow ?? review ?? fresh ?? learningId
    const base = { counts: s.counts, history: undo.status(), heldBack: s.heldBack }
    if (!nextId) {
      // With reviews held back by the limit, only learning cards can still come today.
      const nextDue =
        s.heldBack.review > 0 || s.reviewsLeft === 0 ? cards.nextLearningDue(deckId, now) : cards.nextDue(deckId, now)
      return { ...base, card: null, intervals: null, nextDue }
    }
    return { ...base, card: toStudyCard(nextId), intervals: intervalsFor(nextId, now), nextDue: null }
  }

  /**
   * A chosen set's queue: the cards still to study in the set's order, then those last answered
   * Again. Suspended, retired and drill cards are left out (a drill is graded by its Submit);
   * buried ones are not, since the learner picked them. No daily limit applies.
   */
  function setQueue(set: StudySet, first?: string): QueueState {
    const now = clock()
    const counts: QueueCounts = { new: 0, learning: 0, review: 0 }
    const fresh: string[] = []
    const again: string[] = []
    for (const id of new Set(set.cardIds)) {
      const ref = cards.ref(id)
      if (!ref || ref.retired || ref.suspended || id.startsWith('drill:')) continue
      const latest = log.latestRatingSince(id, set.since)
      if (latest !== null && latest > 1) continue
      ;(latest === 1 ? again : fresh).push(id)
      const state = ref.state.state
      counts[state === 0 ? 'new' : state === 2 ? 'review' : 'learning']++
    }
    const order = [...fresh, ...again]
    const nextId = first && order.includes(first) ? first : (order[0] ?? null)
    const base = { counts, history: undo.status(), heldBack: { new: 0, review: 0 } }
    if (!nextId) return { ...base, card: null, intervals: null, nextDue: null }
    return { ...base, card: toStudyCard(nextId), intervals: intervalsFor(nextId, now), nextDue: null }
  }

  function toStudyCard(id: string): StudyCard {
    const card = cards.studyCard(id)
    if (!card) throw new NotFoundError('card', id)
    return { ...card, drillId: card.kind === 'drill' ? id.replace(/^drill:/, '') : null }
  }

  /** Schedules one answer and logs it; tags (and by default suspends) a new leech. Call inside a transaction. */
  function applyOutcome(
    cardId: string,
    rating: Rating,
    source: 'review' | 'quiz' | 'drill',
    durationMs: number,
    now: number,
    known?: CardRef
  ): LeechEvent | null {
    const ref = known ?? cards.ref(cardId)
    if (!ref) throw new NotFoundError('card', cardId)
    if (ref.retired) throw new ValidationError(`card ${cardId} is retired`)
    const effective = settings.effective(ref.deckId)
    const result = answer(cardId, ref.state, rating, now, effective)
    const planned = interview?.adjuster(ref.deckId, now)
    if (planned) result.card = planned(result.card)
    cards.writeState(cardId, result.card, now)
    log.insert({
      ...result.log,
      cardId,
      deckId: ref.deckId,
      studyDay: dayOf(now).number,
      durationMs,
      source,
      previous: ref.state
    })
    if (result.card.lapses <= ref.state.lapses || !isLeechLapse(result.card.lapses, effective.leechThreshold))
      return null
    const tags = cards.links(cardId)?.tags ?? []
    if (!tags.includes(LEECH_TAG)) cards.setTags(cardId, [...tags, LEECH_TAG], now)
    const suspend = effective.leechAction === 'suspend'
    if (suspend) cards.setSuspended(cardId, true, now)
    return { cardId, lapses: result.card.lapses, suspended: suspend }
  }

  /** Buries the siblings an answer to `cardId` would otherwise bring up again today. */
  function burySiblings(cardId: string, deckId: string, now: number): number {
    const links = cards.links(cardId)
    if (!links) return 0
    const drills = [...links.drills, ...(links.kind === 'drill' ? [cardId.replace(/^drill:/, '')] : [])]
    const dayEnd = dayOf(now).endMs
    const ids = siblingsToBury(cards.siblings(cardId, drills), settings.effective(deckId), now, dayEnd)
    for (const id of ids) cards.bury(id, dayEnd, now)
    return ids.length
  }

  function requireCard(cardId: string): void {
    if (!cards.ref(cardId)) throw new NotFoundError('card', cardId)
  }

  return {
    queue,
    applyOutcome,
    dayOf,
    /** What Review shows for each deck now (Home's counts). */
    deckCounts: (): Map<string, QueueCounts> => counts.deckCounts(clock()),
    answer(cardId: string, rating: Rating, durationMs: number, deckId: string | null, set?: StudySet): AnswerResult {
      // A drill's card is graded only by a Submit of the drill, from the host's records (drills.ts).
      if (cardId.startsWith('drill:'))
        throw new ValidationError(
          'a drill card is graded by submitting the drill: open the drill, or bury or skip the card'
        )
      const outcome = undo.record(`Answer ${RATING_NAMES[rating]}`, () => {
        const ref = cards.ref(cardId)
        if (!ref) throw new NotFoundError('card', cardId)
        if (ref.suspended) throw new ValidationError(`card ${cardId} is suspended`)
        const now = clock()
        // The card's deck is the same after the answer: its row is read once.
        const leech = applyOutcome(cardId, rating, 'review', durationMs, now, ref)
        return { leech, buriedSiblings: burySiblings(cardId, ref.deckId, now) }
      })
      return { ...queue(deckId, undefined, set), ...outcome }
    },
    /** Hides a card until the next study day starts. */
    bury(cardId: string, deckId: string | null, set?: StudySet): QueueState {
      requireCard(cardId)
      undo.record('Bury', () => {
        const now = clock()
        cards.bury(cardId, dayOf(now).endMs, now)
      })
      // In a chosen set a buried card leaves the set (the page drops it too).
      return queue(deckId, undefined, set && { ...set, cardIds: set.cardIds.filter((id) => id !== cardId) })
    },
    /** Review's Skip for a drill card: out of the queue for SKIP_MS, still due; nothing is graded. */
    skipDrill(cardId: string, deckId: string | null): QueueState {
      if (!cardId.startsWith('drill:')) throw new ValidationError('only a drill card is skipped; answer other cards')
      requireCard(cardId)
      undo.record('Skip', () => {
        const now = clock()
        cards.bury(cardId, now + SKIP_MS, now)
      })
      return queue(deckId)
    },
    suspend(cardId: string, deckId: string | null, set?: StudySet): QueueState {
      requireCard(cardId)
      undo.record('Suspend', () => cards.setSuspended(cardId, true, clock()))
      return queue(deckId, undefined, set)
    },
    flag(cardIds: string[], flag: number): { changed: number } {
      for (const id of cardIds) requireCard(id)
      const changed = undo.record(flag === 0 ? 'Remove flag' : 'Flag', () =>
        cardIds.reduce((n, id) => n + cards.setFlag(id, flag, clock()), 0)
      )
      return { changed }
    }
  }
}

export type ReviewService = ReturnType<typeof createReviewService>
