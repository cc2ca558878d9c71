// The Stats page's figures for the last 30, 90 or 365 study days, for all decks or one.
// Study days are the review service's (local days after the rollover hour); all answer
// counts come from review_daily, so the cost is the number of days and decks, not answers.
import { NotFoundError } from '../../shared/errors'
import type { DayCount, QuizHistoryEntry, StatsReport } from '../../shared/study'
import { dayLabel } from '../scheduler/study-day'
import type { QuizStore } from '../store/quiz'
import type { StatsStore } from '../store/stats'
import type { ReviewService } from './review'

export interface StatsDeps {
  store: StatsStore
  /** Quiz history comes from the quiz store. */
  quiz: QuizStore
  review: ReviewService
  clock: () => number
}

/** The heatmap always covers this many study days, whatever the period. */
const HEATMAP_DAYS = 365
/** The due forecast covers today (with everything overdue) and the next 29 days. */
const FORECAST_DAYS = 30
/** How many quiz sessions the history shows. */
const QUIZ_HISTORY = 20
/** With a deck filter, the history is picked from this many newest sessions (the quiz store lists sessions, not sessions by deck). */
const QUIZ_HISTORY_SCAN = 5000
const DAY_MS = 86_400_000
const HALF_DAY_MS = DAY_MS / 2

export function createStatsService(deps: StatsDeps) {
  const { store, quiz, review, clock } = deps

  /** Zero-filled days `first..last` from sparse rows. */
  function fill<T extends { day: number }, R>(
    first: number,
    last: number,
    rows: T[],
    make: (day: string, row: T | undefined) => R
  ): R[] {
    const byDay = new Map(rows.map((row) => [row.day, row]))
    const out: R[] = []
    for (let day = first; day <= last; day++) out.push(make(dayLabel(day), byDay.get(day)))
    return out
  }

  /** Cards due per study day from today on; today also counts everything overdue. */
  function forecast(nowMs: number, deckId: string | null): DayCount[] {
    const today = review.dayOf(nowMs)
    // Each day's start comes from the review service (so DST and the rollover hour agree
    // with the queue): probe noon-ish of each following day.
    const starts: number[] = []
    for (let i = 1; i <= FORECAST_DAYS; i++) starts.push(review.dayOf(today.startMs + i * DAY_MS + HALF_DAY_MS).startMs)
    return starts.map((until, i) => ({
      day: dayLabel(today.number + i),
      count: store.dueBetween(i === 0 ? Number.MIN_SAFE_INTEGER : starts[i - 1]!, until, deckId)
    }))
  }

  /** The newest sessions, or the newest that drew items from the deck. */
  function quizHistory(deckId: string | null): QuizHistoryEntry[] {
    if (deckId === null) return quiz.history(QUIZ_HISTORY)
    return quiz
      .history(QUIZ_HISTORY_SCAN)
      .filter((entry) => entry.decks.includes(deckId))
      .slice(0, QUIZ_HISTORY)
  }

  return {
    report(days: 30 | 90 | 365, deckId: string | null): StatsReport {
      const now = clock()
      const deckCards = store.deckCards(deckId)
      if (deckId !== null && deckCards.length === 0) throw new NotFoundError('deck', deckId)

      const today = review.dayOf(now).number
      const first = today - days + 1
      const year = store.perDay(today - HEATMAP_DAYS + 1, today, deckId)
      const inPeriod = year.filter((row) => row.day >= first)

      const reviewsPerDay = fill(first, today, inPeriod, (day, row) => ({
        day,
        count: row?.answers ?? 0,
        passed: row?.passed ?? 0
      }))
      const studyDays = fill(today - HEATMAP_DAYS + 1, today, year, (day, row) => ({ day, count: row?.answers ?? 0 }))

      const retention = new Map(store.retention(first, today, deckId).map((row) => [row.deckId, row]))
      const decks = deckCards.map((deck) => {
        const r = retention.get(deck.id)
        const reviewAnswers = r?.reviewAnswers ?? 0
        return {
          id: deck.id,
          title: deck.title,
          retention: reviewAnswers > 0 ? r!.reviewPassed / reviewAnswers : null,
          reviewAnswers,
          mature: deck.mature,
          cards: deck.cards
        }
      })

      return {
        days,
        reviewsPerDay,
        studyDays,
        forecast: forecast(now, deckId),
        states: store.states(deckId),
        decks,
        quizHistory: quizHistory(deckId),
        leeches: store.leeches(deckId, 100),
        totals: {
          answers: inPeriod.reduce((sum, row) => sum + row.answers, 0),
          passed: inPeriod.reduce((sum, row) => sum + row.passed, 0),
          studyDays: inPeriod.length,
          streak: store.streak(today, deckId)
        }
      }
    }
  }
}
