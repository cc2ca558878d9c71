// Scheduling state is derived, never synced: a card's state is what FSRS gives when its merged
// answers are replayed from a new card in time order (ties broken by uid, the same on every
// device). ts-fsrs is deterministic (fuzz is seeded by card id), so equal logs give equal states.
import { answer, NEW_CARD, type LogEntry, type SchedulerSettings } from '../scheduler/fsrs'
import type { CardState } from '../../shared/study'
import type { SyncedAnswer } from '../store/sync-state'

export interface Replayed {
  card: CardState
  /** Per answer, in replay order: the FSRS log (state before it) and the full state before it. */
  steps: { answer: SyncedAnswer; log: LogEntry; previous: CardState }[]
}

export const replayOrder = (a: SyncedAnswer, b: SyncedAnswer): number =>
  a.reviewedAt - b.reviewedAt || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)

export function replay(cardId: string, answers: readonly SyncedAnswer[], settings: SchedulerSettings): Replayed {
  let card = NEW_CARD
  const steps: Replayed['steps'] = []
  for (const given of [...answers].sort(replayOrder)) {
    const result = answer(cardId, card, given.rating, given.reviewedAt, settings)
    steps.push({ answer: given, log: result.log, previous: card })
    card = result.card
  }
  return { card, steps }
}
