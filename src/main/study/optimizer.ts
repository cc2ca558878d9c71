// "Optimize parameters": fits FSRS weights to this collection's own review history with the
// maintained FSRS optimizer (@open-spaced-repetition/binding, fsrs-rs compiled to N-API).
// Pinned to 0.1.2: for 0.5.0 the registry these machines reach has only the linux-x64 build, so
// its other platforms' optional packages cannot be locked and `npm ci` refuses the lock file.
import { AppError, ValidationError } from '../../shared/errors'
import type { ReviewLogStore } from '../store/review-log'
import type { SettingsService } from './settings'

/** Fewer answers than this give weights worse than the defaults. */
export const MIN_REVIEWS_TO_OPTIMIZE = 400

type Binding = typeof import('@open-spaced-repetition/binding')

let binding: Promise<Binding | Error> | null = null
function loadBinding(): Promise<Binding | Error> {
  binding ??= import('@open-spaced-repetition/binding').catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error))
  )
  return binding
}

export function createOptimizerService(deps: { log: ReviewLogStore; settings: SettingsService }) {
  async function status() {
    const loaded = await loadBinding()
    const reviews = deps.log.count()
    return {
      available: !(loaded instanceof Error),
      reviews,
      needed: MIN_REVIEWS_TO_OPTIMIZE,
      reason:
        loaded instanceof Error
          ? `the FSRS optimizer could not load on this machine: ${loaded.message.split('\n')[0]}`
          : null
    }
  }

  async function optimize(): Promise<{ weights: number[]; reviews: number }> {
    const loaded = await loadBinding()
    if (loaded instanceof Error)
      throw new AppError('internal', `the FSRS optimizer could not load: ${loaded.message.split('\n')[0]}`)
    const reviews = deps.log.count()
    if (reviews < MIN_REVIEWS_TO_OPTIMIZE) {
      throw new ValidationError(
        `optimizing needs at least ${MIN_REVIEWS_TO_OPTIMIZE} reviews; this collection has ${reviews}`
      )
    }
    const items = trainingItems(loaded, deps.log.ratingHistory())
    const weights = await loaded.computeParameters(items, {
      enableShortTerm: true,
      numRelearningSteps: deps.settings.global().relearningSteps.length
    })
    deps.settings.update(null, { weights })
    return { weights, reviews }
  }

  return { status, optimize }
}

/** One training item per answer after a card's first: its history up to that answer. */
function trainingItems(binding: Binding, history: Iterable<{ cardId: string; rating: number; studyDay: number }>) {
  const items: InstanceType<Binding['FSRSBindingItem']>[] = []
  let cardId: string | null = null
  let reviews: InstanceType<Binding['FSRSBindingReview']>[] = []
  let lastDay = 0
  for (const row of history) {
    if (row.cardId !== cardId) {
      cardId = row.cardId
      reviews = []
      lastDay = row.studyDay
    }
    reviews.push(new binding.FSRSBindingReview(row.rating, Math.max(0, row.studyDay - lastDay)))
    lastDay = row.studyDay
    if (reviews.length >= 2) items.push(new binding.FSRSBindingItem([...reviews]))
  }
  return items.filter((item) => item.longTermReviewCnt() > 0)
}
