// Planning to an interview date. Pure: cards, settings and `now` come in; capped states, daily
// new-card rates and a forecast go out. The memory model is FSRS's own (recallProbability over
// ts-fsrs's forgetting curve), so the plan predicts with the same numbers the scheduler uses.
//
// The rule. Before the interview day, a card whose next review would land after the day, and
// whose recall would have fallen below the target by then, is brought forward: to the latest
// moment at which its recall is still at the target. A successful review there only raises its
// stability, so its recall on the day stays at or above the target. New cards of the chosen decks
// are spread over the days left (all introduced by the day before). On and after the day nothing
// is changed: normal scheduling resumes.
import type { CardState, Rating } from '../../shared/study'
import { answer, curveFor, recallProbability, type Curve, type SchedulerSettings } from './fsrs'

export const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** The plan's moment and goal: when the interview day starts (ms) and the recall wanted then (0-1). */
export interface PlanWindow {
  startMs: number
  target: number
}

/** Days after a review at which recall falls to `target`, for a stability in days. */
export function daysToTarget(curve: Curve, stabilityDays: number, target: number): number {
  // R(t) = (1 + factor t / S) ^ decay, solved for t.
  return (stabilityDays / curve.factor) * (Math.pow(target, 1 / curve.decay) - 1)
}

/** Recall expected at `at` (ms) for a card's state: 0 for a card never studied. */
export function recallAt(curve: Curve, card: CardState, at: number): number {
  if (card.state === 0 || card.lastReview === null) return 0
  return recallProbability(curve, (at - card.lastReview) / DAY_MS, card.stability)
}

/**
 * The card as scheduled, brought forward when the plan needs a review before the interview.
 * `todayEndMs`: when the current study day ends. A card is never brought back the same day (a
 * review card due before the day's end is shown that day), so on the last day before the
 * interview nothing is moved.
 */
export function capForInterview(
  card: CardState,
  now: number,
  window: PlanWindow,
  curve: Curve,
  todayEndMs: number
): CardState {
  if (todayEndMs >= window.startMs || card.state === 0 || card.due <= window.startMs) return card
  if (recallAt(curve, card, window.startMs) >= window.target) return card
  const latest = (card.lastReview ?? now) + daysToTarget(curve, card.stability, window.target) * DAY_MS
  const due = Math.round(Math.max(todayEndMs, Math.min(latest, window.startMs - HOUR_MS)))
  return { ...card, due, scheduledDays: Math.max(0, Math.round((due - now) / DAY_MS)) }
}

/**
 * New cards to introduce per day so that every new card of a deck is introduced by the day before
 * the interview: `newLeft` still new, `introducedToday` already introduced today, `daysLeft` study
 * days from today (counted) to the interview day (not counted).
 */
export function newPerDayFor(newLeft: number, introducedToday: number, daysLeft: number): number {
  if (daysLeft <= 0) return 0
  const spread = Math.max(1, daysLeft - 1)
  return Math.ceil((newLeft + introducedToday) / spread)
}

export interface PlanCard {
  id: string
  state: CardState
}

export interface ForecastDay {
  /** Days from today (0 = today). */
  offset: number
  /** Answers that day, learning steps of new cards included. */
  answers: number
  /** Review cards due (what the daily review limit counts). */
  reviews: number
  newCards: number
}

export interface Forecast {
  /** Study days from today to the interview day (not counted). */
  daysLeft: number
  cards: number
  days: ForecastDay[]
  /** Mean predicted recall of the plan's cards when the interview day starts, if the plan is followed. */
  predictedRecall: number
  /** The same, if nothing more is studied from now on. */
  recallIfIdle: number
  /** The most answers any day needs, and the most review cards. */
  peakAnswers: number
  peakReviews: number
  /** Why the target may not be reached; empty when it will be. */
  warnings: string[]
}

export interface ForecastInput {
  cards: PlanCard[]
  now: number
  /** When today's study day started (ms); later days start a multiple of DAY_MS after it. */
  todayStartMs: number
  window: PlanWindow
  settings: SchedulerSettings
  /** The most reviews a day the learner's limits allow (answers of cards already introduced). */
  reviewsPerDay: number
}

/**
 * What following the plan would take, for a learner who recalls every card (each answered Good):
 * reviews and new cards per day, and recall on the day. Reviews a learner fails add to this, so
 * the forecast is the least the plan needs.
 */
export function forecastInterview(input: ForecastInput): Forecast {
  const { now, window, settings } = input
  const curve = curveFor(settings)
  const daysLeft = Math.max(0, Math.ceil((window.startMs - input.todayStartMs) / DAY_MS))
  const states = new Map(input.cards.map((c) => [c.id, c.state]))
  const fresh = input.cards.filter((c) => c.state.state === 0).map((c) => c.id)
  const recallIfIdle = mean(input.cards.map((c) => recallAt(curve, c.state, window.startMs)))
  const days: ForecastDay[] = []
  const perDay = newPerDayFor(fresh.length, 0, daysLeft)
  for (let offset = 0; offset < daysLeft; offset++) {
    const dayStart = input.todayStartMs + offset * DAY_MS
    const at = Math.max(now, dayStart)
    const dayEnd = Math.min(dayStart + DAY_MS, window.startMs)
    let answers = 0
    const study = (id: string, first: number): void => {
      // Answer Good until the card leaves today (learning steps are minutes apart).
      let time = first
      for (let step = 0; step < 6; step++) {
        const answered = answer(id, states.get(id)!, 3 as Rating, time, settings).card
        const next = capForInterview(answered, time, window, curve, dayStart + DAY_MS)
        states.set(id, next)
        answers++
        if (next.due >= dayEnd) return
        time = Math.max(time + 60_000, next.due)
      }
    }
    let reviews = 0
    for (const [id, state] of states) {
      if (state.state === 0 || state.due >= dayEnd) continue
      if (state.state === 2) reviews++
      study(id, Math.max(at, state.due))
    }
    const introduced = fresh.splice(0, perDay)
    for (const id of introduced) study(id, at)
    days.push({ offset, answers, reviews, newCards: introduced.length })
  }
  const predictedRecall = mean(input.cards.map((c) => recallAt(curve, states.get(c.id)!, window.startMs)))
  const peakAnswers = Math.max(0, ...days.map((d) => d.answers))
  const peakReviews = Math.max(0, ...days.map((d) => d.reviews))
  const warnings: string[] = []
  if (daysLeft === 0) warnings.push('The interview day has come: there is no time left to plan.')
  if (fresh.length > 0) warnings.push(`${fresh.length} cards cannot be introduced before the interview.`)
  if (peakReviews > input.reviewsPerDay)
    warnings.push(
      `Some days need ${peakReviews} reviews, more than your limit of ${input.reviewsPerDay} a day: raise it, or recall on the day will fall short.`
    )
  if (predictedRecall < window.target && daysLeft > 0)
    warnings.push(
      `Predicted recall on the day is ${Math.round(predictedRecall * 100)} %, below the target of ${Math.round(window.target * 100)} %.`
    )
  return {
    daysLeft,
    cards: input.cards.length,
    days,
    predictedRecall,
    recallIfIdle,
    peakAnswers,
    peakReviews,
    warnings
  }
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0)
