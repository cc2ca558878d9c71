// Pure rules of the review loop: which siblings an answer buries, when a lapse makes a leech,
// and how the daily limits cap the counts. No SQL, no clock: the service passes `now`.
import type { SchedulingSettings } from '../../shared/study'
import type { SiblingRow } from '../store/study-cards'

export type BuryOptions = Pick<SchedulingSettings, 'buryNew' | 'buryReview' | 'buryLearning'>

/**
 * Siblings of an answered card that would otherwise come up again today: new ones (buryNew),
 * reviews due before the day ends (buryReview) and learning cards due before it (buryLearning).
 * Suspended cards and cards already buried past `now` are left alone; a drill's own card is
 * never new in Review (it enters the schedule when the drill is submitted), so it is not buried as new.
 */
export function siblingsToBury(siblings: SiblingRow[], options: BuryOptions, now: number, dayEndMs: number): string[] {
  return siblings
    .filter((s) => s.suspended === 0 && !(s.buriedUntil !== null && s.buriedUntil > now))
    .filter((s) => {
      if (s.state === 0) return options.buryNew && s.kind !== 'drill'
      if (s.due >= dayEndMs) return false
      return s.state === 2 ? options.buryReview : options.buryLearning
    })
    .map((s) => s.id)
}

/**
 * Anki's leech rule: a lapse makes a card a leech when its lapses reach the threshold, and
 * again every half threshold after that (8, 12, 16, ... for the default 8).
 */
export function isLeechLapse(lapses: number, threshold: number): boolean {
  if (lapses < threshold) return false
  const every = Math.max(1, Math.floor(threshold / 2))
  return (lapses - threshold) % every === 0
}

export interface DeckLimits {
  newPerDay: number
  reviewsPerDay: number
}

/** What the limits leave for today: the limit less what was done, never below zero. */
export function left(limits: DeckLimits, done: { newCards: number; reviews: number }): { new: number; review: number } {
  return {
    new: Math.max(0, limits.newPerDay - done.newCards),
    review: Math.max(0, limits.reviewsPerDay - done.reviews)
  }
}
