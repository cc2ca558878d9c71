// Anki's card state and review log, translated to Retransmit's FSRS state and review_log rows.
// Pure: `now` and the day rollover come in as arguments.
//   cards.type: 0 new, 1 learning, 2 review, 3 relearning (the same numbers as ts-fsrs's State)
//   cards.queue: -3 buried by the user, -2 buried by the scheduler, -1 suspended, 0 new,
//     1 learning (due: epoch seconds), 2 review and 3 day-learning (due: days since col.crt)
//   revlog.type: 0 learning, 1 review, 2 relearning, 3 filtered (early review),
//     4 manual, 5 rescheduled; ease 1-4 is the button, 0 a manual change
// Memory state: Anki's own FSRS values (cards.data `s`, `d`) when it used FSRS; otherwise it is
// computed from the card's review history with FSRS's state transition (ts-fsrs next_state),
// which is what the optimizer and the next review then continue from.
import { FSRSAlgorithm, generatorParameters, type FSRSState } from 'ts-fsrs'
import type { LoggedState } from '../../scheduler/fsrs'
import type { ImportedCardSchedule } from '../../store/imports'
import type { AnkiCard, AnkiReview } from './collection'

const DAY_MS = 86_400_000

/** A card's schedule as Anki had it; stored as ImportedCardSchedule, burying turned into a time. */
export interface ImportedSchedule extends Omit<ImportedCardSchedule, 'state' | 'buriedUntil'> {
  state: 0 | 1 | 2 | 3
  buried: boolean
}

export interface ImportedReview extends LoggedState {
  reviewedAt: number
  /** 1-4, or 0 for a manual change (rescheduled, reset): kept, but not an answer. */
  rating: 0 | 1 | 2 | 3 | 4
  durationMs: number
}

let algorithm: FSRSAlgorithm | null = null
const fsrsMath = () => (algorithm ??= new FSRSAlgorithm(generatorParameters({ enable_fuzz: false })))

/** `s` and `d` from cards.data when both are finite numbers. */
function ankiMemory(data: string): (FSRSState & { lastReview: number | null }) | null {
  if (!data.startsWith('{')) return null
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>
    if (typeof parsed.s === 'number' && typeof parsed.d === 'number' && parsed.s > 0) {
      return {
        stability: parsed.s,
        difficulty: parsed.d,
        lastReview: typeof parsed.lrt === 'number' ? parsed.lrt * 1000 : null
      }
    }
  } catch {
    // Not JSON: treated as no FSRS data.
  }
  return null
}

const clampRating = (ease: number): 0 | 1 | 2 | 3 | 4 => (ease >= 1 && ease <= 4 ? (ease as 1 | 2 | 3 | 4) : 0)

/** The card's review history in Retransmit's terms, and the memory state it ends in. */
export function translateReviews(reviews: readonly AnkiReview[]): {
  reviews: ImportedReview[]
  memory: FSRSState | null
  lastAnswer: number | null
} {
  const out: ImportedReview[] = []
  let memory: FSRSState | null = null
  let lastAnswer: number | null = null
  let lastElapsed = 0
  let answered = false
  for (const r of reviews) {
    const manual = r.type === 4 || r.type === 5 || r.ease === 0
    const rating = manual ? 0 : clampRating(r.ease)
    const state: 0 | 1 | 2 | 3 =
      r.type === 0
        ? answered
          ? 1
          : 0
        : r.type === 1
          ? 2
          : r.type === 2
            ? 3
            : r.lastIvl > 0 || r.ivl > 0
              ? 2
              : answered
                ? 1
                : 0
    const elapsedDays = lastAnswer === null ? 0 : Math.max(0, Math.floor((r.id - lastAnswer) / DAY_MS))
    if (rating > 0) {
      memory = fsrsMath().next_state(memory, elapsedDays, rating)
      answered = true
    }
    // ivl > 0 is days; < 0 is seconds (a learning step).
    const due = r.ivl > 0 ? r.id + r.ivl * DAY_MS : r.id - r.ivl * 1000
    out.push({
      reviewedAt: r.id,
      rating,
      state,
      due,
      stability: memory?.stability ?? 0,
      difficulty: memory?.difficulty ?? 0,
      elapsedDays,
      lastElapsedDays: lastElapsed,
      scheduledDays: Math.max(0, r.ivl),
      durationMs: Math.max(0, Math.round(r.time))
    })
    if (rating > 0) {
      lastElapsed = elapsedDays
      lastAnswer = r.id
    }
  }
  return { reviews: out, memory, lastAnswer }
}

/** Due time (ms) of a card: queue 1 counts seconds since the epoch, queues 2 and 3 days since crt. */
function dueMs(card: AnkiCard, crtSeconds: number): number {
  // A suspended or buried card keeps the due of the queue it left; seconds are > 1e9.
  if (card.due > 1_000_000_000) return card.due * 1000
  return (crtSeconds + card.due * 86_400) * 1000
}

export function translateCard(
  card: AnkiCard,
  history: ReturnType<typeof translateReviews>,
  crtSeconds: number
): ImportedSchedule {
  const state = (card.type >= 0 && card.type <= 3 ? card.type : 0) as 0 | 1 | 2 | 3
  const fromAnki = ankiMemory(card.data)
  const memory = fromAnki ?? history.memory
  const base = {
    suspended: card.queue === -1,
    buried: card.queue === -2 || card.queue === -3,
    reps: Math.max(0, card.reps),
    lapses: Math.max(0, card.lapses),
    flag: card.flag
  }
  if (state === 0) {
    return { ...base, state, due: 0, stability: 0, difficulty: 0, scheduledDays: 0, lastReview: null }
  }
  const due = dueMs(card, crtSeconds)
  const scheduledDays = state === 2 ? Math.max(0, card.ivl) : 0
  const lastReview = fromAnki?.lastReview ?? history.lastAnswer ?? (state === 2 ? due - scheduledDays * DAY_MS : null)
  // Without any history, a review card's interval is the best estimate of its stability: at the
  // default 90% retention FSRS sets the interval to the stability.
  const stability = memory?.stability ?? Math.max(0.1, card.ivl)
  const difficulty = memory?.difficulty ?? 5
  return { ...base, state, due, stability, difficulty, scheduledDays, lastReview }
}
