// Reviewing: the queue, answering (one transaction: schedule, write card, append log),
// undo, bury and suspend. Quiz and drill outcomes reach cards through `applyOutcome`.
import { NotFoundError, ValidationError } from '../../shared/errors'
import type { QueueState, Rating, StudyCard } from '../../shared/study'
import { answer, intervalLabel, preview } from '../scheduler/fsrs'
import { studyDay } from '../scheduler/study-day'
import { writeTransaction, type Db } from '../store/db'
import type { ReviewLogStore } from '../store/review-log'
import type { StudyCardStore } from '../store/study-cards'
import type { SettingsService } from './settings'

/** Learning cards due within this window are shown early when nothing else is left (ms). */
const LEARN_AHEAD_MS = 20 * 60_000
/** Counts shown above the card are capped; nobody needs to see "4,381 new". */
const COUNT_CAP = 9999

export interface ReviewDeps {
  db: Db
  cards: StudyCardStore
  log: ReviewLogStore
  settings: SettingsService
  clock: () => number
  /** Local UTC offset as Date#getTimezoneOffset() for a moment (minutes). */
  tzOffset?: (now: number) => number
}

export function createReviewService(deps: ReviewDeps) {
  const { db, cards, log, settings, clock } = deps
  const tzOffset = deps.tzOffset ?? ((now: number) => new Date(now).getTimezoneOffset())

  const dayOf = (now: number) => studyDay(now, settings.global().dayStartHour, tzOffset(now))

  function queue(deckId: string | null): QueueState {
    const now = clock()
    const effective = settings.effective(deckId)
    const day = dayOf(now)
    const done = log.doneOnDay(day.number, deckId)
    const newLeft = Math.max(0, effective.newPerDay - done.newCards)
    const reviewsLeft = Math.max(0, effective.reviewsPerDay - done.reviews)
    const counts = {
      learning: cards.countLearning(deckId, now, now + LEARN_AHEAD_MS, COUNT_CAP),
      review: cards.countReview(deckId, now, day.endMs, Math.min(reviewsLeft, COUNT_CAP)),
      new: cards.countNew(deckId, now, Math.min(newLeft, COUNT_CAP))
    }
    const nextId =
      cards.nextLearning(deckId, now, now) ??
      (reviewsLeft > 0 ? cards.nextReview(deckId, now, day.endMs) : null) ??
      (newLeft > 0 ? cards.nextNew(deckId, now) : null) ??
      cards.nextLearning(deckId, now, now + LEARN_AHEAD_MS)
    if (!nextId) return { counts, card: null, intervals: null, nextDue: cards.nextDue(deckId, now) }
    const card = toStudyCard(nextId)
    const ref = cards.ref(nextId)!
    const dues = preview(nextId, ref.state, now, settings.effective(ref.deckId))
    const intervals = {
      1: intervalLabel(now, dues[1]),
      2: intervalLabel(now, dues[2]),
      3: intervalLabel(now, dues[3]),
      4: intervalLabel(now, dues[4])
    }
    return { counts, card, intervals, nextDue: null }
  }

  function toStudyCard(id: string): StudyCard {
    const card = cards.studyCard(id)
    if (!card) throw new NotFoundError('card', id)
    return { ...card, drillId: card.kind === 'drill' ? id.replace(/^drill:/, '') : null }
  }

  /** Schedules one answer and logs it. Call inside a transaction. */
  function applyOutcome(cardId: string, rating: Rating, source: 'review' | 'quiz' | 'drill', durationMs: number, now: number): void {
    const ref = cards.ref(cardId)
    if (!ref) throw new NotFoundError('card', cardId)
    if (ref.retired) throw new ValidationError(`card ${cardId} is retired`)
    const result = answer(cardId, ref.state, rating, now, settings.effective(ref.deckId))
    cards.writeState(cardId, result.card, now)
    log.insert({ ...result.log, cardId, deckId: ref.deckId, studyDay: dayOf(now).number, durationMs, source, previous: ref.state })
  }

  const answerTx = writeTransaction(db, (cardId: string, rating: Rating, durationMs: number) => {
    const ref = cards.ref(cardId)
    if (ref?.suspended) throw new ValidationError(`card ${cardId} is suspended`)
    applyOutcome(cardId, rating, 'review', durationMs, clock())
  })

  const undoTx = writeTransaction(db, (): string | null => {
    const last = log.last('review')
    if (!last) return null
    cards.writeState(last.cardId, last.previous, clock())
    log.remove(last.id)
    return last.cardId
  })

  return {
    queue,
    applyOutcome,
    dayOf,
    answer(cardId: string, rating: Rating, durationMs: number, deckId: string | null): QueueState {
      answerTx(cardId, rating, durationMs)
      return queue(deckId)
    },
    /** Restores the card state before the most recent review answer and removes its log row. */
    undo(deckId: string | null): QueueState & { undoneCardId: string | null } {
      const undoneCardId = undoTx()
      const state = queue(deckId)
      // Show the restored card again, as Anki does, even if another card would come first.
      if (undoneCardId && state.card?.id !== undoneCardId) {
        const ref = cards.ref(undoneCardId)!
        const now = clock()
        const dues = preview(undoneCardId, ref.state, now, settings.effective(ref.deckId))
        return {
          ...state,
          card: toStudyCard(undoneCardId),
          intervals: { 1: intervalLabel(now, dues[1]), 2: intervalLabel(now, dues[2]), 3: intervalLabel(now, dues[3]), 4: intervalLabel(now, dues[4]) },
          undoneCardId
        }
      }
      return { ...state, undoneCardId }
    },
    /** Hides a card until the next study day starts. */
    bury(cardId: string, deckId: string | null): QueueState {
      const now = clock()
      if (!cards.ref(cardId)) throw new NotFoundError('card', cardId)
      cards.bury(cardId, dayOf(now).endMs, now)
      return queue(deckId)
    },
    suspend(cardId: string, deckId: string | null): QueueState {
      if (!cards.ref(cardId)) throw new NotFoundError('card', cardId)
      cards.setSuspended(cardId, true, clock())
      return queue(deckId)
    }
  }
}

export type ReviewService = ReturnType<typeof createReviewService>
