// The pure scheduler: (card state, grade, now, settings) -> new state and log entry.
// FSRS itself is ts-fsrs; this file only translates between our shapes and its own.
// No SQL, no clock: time comes in as `now` (ms since the epoch).
import {
  computeDecayFactor,
  fsrs,
  generatorParameters,
  GenSeedStrategyWithCardId,
  StrategyMode,
  type Card,
  type FSRS,
  type Grade,
  type ReviewLog,
  type StepUnit
} from 'ts-fsrs'
import type { CardState, GlobalSettings, Rating } from '../../shared/study'

export type SchedulerSettings = Pick<
  GlobalSettings,
  'desiredRetention' | 'maximumIntervalDays' | 'learningSteps' | 'relearningSteps' | 'weights'
>

/**
 * The scheduling a review_log row keeps with an answer (this app's, an imported one, one from
 * another device): one definition for every writer and reader of the log.
 */
export interface LoggedState {
  /** State before the answer. */
  state: CardState['state']
  due: number
  stability: number
  difficulty: number
  elapsedDays: number
  lastElapsedDays: number
  scheduledDays: number
}

export interface LogEntry extends LoggedState {
  rating: Rating
  learningSteps: number
  reviewedAt: number
}

export interface Answered {
  card: CardState
  log: LogEntry
}

export const NEW_CARD: CardState = {
  state: 0,
  due: 0,
  stability: 0,
  difficulty: 0,
  elapsedDays: 0,
  scheduledDays: 0,
  learningSteps: 0,
  reps: 0,
  lapses: 0,
  lastReview: null
}

const cache = new Map<string, FSRS>()

/** One ts-fsrs instance per distinct settings, with fuzz seeded by card id (repeatable). */
export function schedulerFor(settings: SchedulerSettings): FSRS {
  const key = JSON.stringify(settings)
  let scheduler = cache.get(key)
  if (!scheduler) {
    const params = generatorParameters({
      request_retention: settings.desiredRetention,
      maximum_interval: settings.maximumIntervalDays,
      learning_steps: settings.learningSteps as StepUnit[],
      relearning_steps: settings.relearningSteps as StepUnit[],
      enable_fuzz: true,
      enable_short_term: true,
      ...(settings.weights ? { w: settings.weights } : {})
    })
    scheduler = fsrs(params).useStrategy(StrategyMode.SEED, GenSeedStrategyWithCardId('cid'))
    if (cache.size > 64) cache.clear()
    cache.set(key, scheduler)
  }
  return scheduler
}

export function toFsrsCard(cardId: string, state: CardState, now: number): Card & { cid: string } {
  return {
    cid: cardId,
    due: new Date(state.state === 0 ? now : state.due),
    stability: state.stability,
    difficulty: state.difficulty,
    elapsed_days: state.elapsedDays,
    scheduled_days: state.scheduledDays,
    learning_steps: state.learningSteps,
    reps: state.reps,
    lapses: state.lapses,
    state: state.state,
    ...(state.lastReview === null ? {} : { last_review: new Date(state.lastReview) })
  }
}

export function fromFsrsCard(card: Card): CardState {
  return {
    state: card.state as CardState['state'],
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    lastReview: card.last_review ? card.last_review.getTime() : null
  }
}

function fromFsrsLog(log: ReviewLog): LogEntry {
  return {
    rating: log.rating as Rating,
    state: log.state as CardState['state'],
    due: log.due.getTime(),
    stability: log.stability,
    difficulty: log.difficulty,
    elapsedDays: log.elapsed_days,
    lastElapsedDays: log.last_elapsed_days,
    scheduledDays: log.scheduled_days,
    learningSteps: log.learning_steps,
    reviewedAt: log.review.getTime()
  }
}

export function answer(
  cardId: string,
  state: CardState,
  rating: Rating,
  now: number,
  settings: SchedulerSettings
): Answered {
  const result = schedulerFor(settings).next(toFsrsCard(cardId, state, now), new Date(now), rating as Grade)
  return { card: fromFsrsCard(result.card), log: fromFsrsLog(result.log) }
}

/** The due time each grade would give, without changing anything. */
export function preview(
  cardId: string,
  state: CardState,
  now: number,
  settings: SchedulerSettings
): Record<Rating, number> {
  const record = schedulerFor(settings).repeat(toFsrsCard(cardId, state, now), new Date(now))
  return {
    1: record[1].card.due.getTime(),
    2: record[2].card.due.getTime(),
    3: record[3].card.due.getTime(),
    4: record[4].card.due.getTime()
  }
}

/** "10m", "3h", "4d", "2.5mo", "1.2y": how long from now until `due`. */
export function intervalLabel(now: number, due: number): string {
  const minutes = Math.max(1, Math.round((due - now) / 60_000))
  if (minutes < 60) return `${minutes}m`
  const hours = minutes / 60
  if (hours < 24) return `${Math.round(hours)}h`
  const days = hours / 24
  if (days < 30) return `${Math.round(days)}d`
  if (days < 365) return `${(days / 30).toFixed(1).replace(/\.0$/, '')}mo`
  return `${(days / 365).toFixed(1).replace(/\.0$/, '')}y`
}

/** The forgetting curve's shape for these settings: R(t) = (1 + factor * t / S) ^ decay (decay < 0). */
export interface Curve {
  decay: number
  factor: number
}

export function curveFor(settings: SchedulerSettings): Curve {
  return computeDecayFactor(schedulerFor(settings).parameters.w)
}

/** Probability of recall `elapsedDays` after a review that left stability `stabilityDays` (0-1). */
export function recallProbability(curve: Curve, elapsedDays: number, stabilityDays: number): number {
  if (stabilityDays <= 0) return 0
  return Math.pow(1 + (curve.factor * Math.max(0, elapsedDays)) / stabilityDays, curve.decay)
}
