// The Stats page's reads. Answer counts come from `review_daily` (kept by triggers on
// review_log, migration 002), never from review_log itself; card counts by deck, state and
// maturity from `card_counts` (kept by triggers on cards, migration 009); cards due per day
// ride the partial index of migration 002. test/main/store/stats-plans.test.ts checks that no
// statement here scans cards or review_log. Quiz history is the quiz store's (listQuizHistory).
import type { Db } from './db'

/**
 * A card counts as mature once its interval (scheduled_days) reaches this many days, as in Anki.
 * Migration 009's triggers keep `card_counts.mature` with this value written out.
 */
export const MATURE_DAYS = 21

export interface DayTotals {
  day: number
  answers: number
  passed: number
}

export interface DeckRetention {
  deckId: string
  reviewAnswers: number
  reviewPassed: number
}

export interface DeckCards {
  id: string
  title: string
  cards: number
  mature: number
}

export interface StateCounts {
  new: number
  learning: number
  review: number
  relearning: number
  suspended: number
}

type Range = { from: number; to: number; deck: string | null }

export function createStatsStore(db: Db) {
  // review_daily's primary key is (study_day, deck_id): a range on study_day is a SEARCH.
  const perDay = db.prepare<Range, DayTotals>(`
    SELECT study_day AS day, sum(answers) AS answers, sum(passed) AS passed
      FROM review_daily
     WHERE study_day BETWEEN @from AND @to AND (@deck IS NULL OR deck_id = @deck)
     GROUP BY study_day
    HAVING sum(answers) > 0
     ORDER BY study_day`)
  // Walks study days backwards from `to`; the caller stops at the first gap.
  const daysBefore = db.prepare<{ to: number; deck: string | null }, { day: number }>(`
    SELECT study_day AS day
      FROM review_daily
     WHERE study_day <= @to AND (@deck IS NULL OR deck_id = @deck)
     GROUP BY study_day
    HAVING sum(answers) > 0
     ORDER BY study_day DESC`)
  const retention = db.prepare<Range, DeckRetention>(`
    SELECT deck_id AS deckId, sum(review_answers) AS reviewAnswers, sum(review_passed) AS reviewPassed
      FROM review_daily
     WHERE study_day BETWEEN @from AND @to AND (@deck IS NULL OR deck_id = @deck)
     GROUP BY deck_id`)

  // Active (not retired, not suspended) cards of the learning states due before `@until`.
  // The index holds state and due only, so the count never touches the table.
  type Due = { from: number; until: number; deck?: string }
  const dueBetween = {
    all: db.prepare<Due, { n: number }>(`
      SELECT count(*) AS n FROM cards INDEXED BY cards_state_due
       WHERE state IN (1, 2, 3) AND due >= @from AND due < @until AND retired_at IS NULL AND suspended = 0`),
    deck: db.prepare<Due, { n: number }>(`
      SELECT count(*) AS n FROM cards INDEXED BY cards_queue
       WHERE deck_id = @deck AND state IN (1, 2, 3) AND due >= @from AND due < @until AND retired_at IS NULL AND suspended = 0`)
  }

  // card_counts holds live cards only; a deck's rows are a primary-key range.
  const byState = {
    all: db.prepare<[], { state: number; n: number }>(`
      SELECT state, sum(n) AS n FROM card_counts WHERE suspended = 0 GROUP BY state`),
    deck: db.prepare<{ deck: string }, { state: number; n: number }>(`
      SELECT state, sum(n) AS n FROM card_counts WHERE deck_id = @deck AND suspended = 0 GROUP BY state`)
  }
  const suspended = {
    all: db.prepare<[], { n: number }>('SELECT coalesce(sum(n), 0) AS n FROM card_counts WHERE suspended = 1'),
    deck: db.prepare<{ deck: string }, { n: number }>(
      'SELECT coalesce(sum(n), 0) AS n FROM card_counts WHERE deck_id = @deck AND suspended = 1'
    )
  }

  // One row per live deck, its totals summed from that deck's few card_counts rows.
  const deckCards = db.prepare<{ deck: string | null }, DeckCards>(`
    SELECT d.id, d.title,
      coalesce((SELECT sum(k.n) FROM card_counts k WHERE k.deck_id = d.id), 0) AS cards,
      coalesce((SELECT sum(k.n) FROM card_counts k WHERE k.deck_id = d.id AND k.mature = 1), 0) AS mature
      FROM decks d
     WHERE d.retired_at IS NULL AND (@deck IS NULL OR d.id = @deck)
     ORDER BY d.position, d.title`)

  // Leeches through the full-text index's tags column, then the exact tag checked on the row.
  const leeches = db.prepare<
    { deck: string | null; limit: number },
    { id: string; deckId: string; front: string; lapses: number; suspended: number }
  >(`
    SELECT c.id, c.deck_id AS deckId, substr(c.front, 1, 200) AS front, c.lapses, c.suspended
      FROM cards c
     WHERE c.seq IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH 'tags:leech')
       AND (' ' || c.tags || ' ') GLOB '* leech *' AND c.retired_at IS NULL AND (@deck IS NULL OR c.deck_id = @deck)
     ORDER BY c.lapses DESC, c.id LIMIT @limit`)

  return {
    /** Live cards tagged leech, most lapses first. */
    leeches(deckId: string | null, limit: number) {
      return leeches.all({ deck: deckId, limit }).map((row) => ({ ...row, suspended: row.suspended === 1 }))
    },
    /** Answers and passes per study day in [from, to], days without answers left out. */
    perDay(from: number, to: number, deckId: string | null): DayTotals[] {
      return perDay.all({ from, to, deck: deckId })
    },
    /** Consecutive study days with answers ending at `today` or the day before (0 if neither). */
    streak(today: number, deckId: string | null): number {
      let streak = 0
      let expect = today
      for (const { day } of daysBefore.iterate({ to: today, deck: deckId })) {
        if (streak === 0 && day === today - 1) expect = day
        if (day !== expect) break
        streak++
        expect--
      }
      return streak
    },
    /** Review-state answers and passes per deck in [from, to] (decks with none left out). */
    retention(from: number, to: number, deckId: string | null): DeckRetention[] {
      return retention.all({ from, to, deck: deckId })
    },
    /** Active cards in learning, review or relearning due in [fromMs, untilMs). */
    dueBetween(fromMs: number, untilMs: number, deckId: string | null): number {
      const row =
        deckId === null
          ? dueBetween.all.get({ from: fromMs, until: untilMs })
          : dueBetween.deck.get({ from: fromMs, until: untilMs, deck: deckId })
      return row?.n ?? 0
    },
    states(deckId: string | null): StateCounts {
      const rows = deckId === null ? byState.all.all() : byState.deck.all({ deck: deckId })
      const count = (state: number) => rows.find((r) => r.state === state)?.n ?? 0
      const held = deckId === null ? suspended.all.get() : suspended.deck.get({ deck: deckId })
      return { new: count(0), learning: count(1), review: count(2), relearning: count(3), suspended: held?.n ?? 0 }
    },
    /** Live decks (or the one asked for) in deck order, with total and mature cards. */
    deckCards(deckId: string | null): DeckCards[] {
      return deckCards.all({ deck: deckId })
    }
  }
}

export type StatsStore = ReturnType<typeof createStatsStore>
