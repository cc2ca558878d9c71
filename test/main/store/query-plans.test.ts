// The hot queries ride indexes: no step of their plans may scan the cards table or review_log
// (100,000 cards and 1,000,000 log rows in the benchmark, `npm run bench`). A SCAN of an FTS
// virtual table is that table's own index and is allowed, and so is walking a (partial) index
// of cards in order until a LIMIT (the next new card in position order). Statements are recorded as the
// stores prepare them, so a statement added to these stores is checked too. No timings here.
import { describe, expect, it } from 'vitest'
import { createBrowseStore } from '../../../src/main/store/browse'
import { createCardInfoStore } from '../../../src/main/store/card-info'
import { contentRowStatements } from '../../../src/main/store/content-rows'
import type { Db } from '../../../src/main/store/db'
import { createDeckStore } from '../../../src/main/store/decks'
import { createReviewLogStore } from '../../../src/main/store/review-log'
import { createStatsStore } from '../../../src/main/store/stats'
import { createStudyCardStore } from '../../../src/main/store/study-cards'
import { parseBrowseQuery } from '../../../src/main/study/browse-query'
import { recordPrepared as recorded, tempDb } from '../../helpers/db'

/** Values for every named parameter a hot statement uses. */
const VALUES: Record<string, unknown> = {
  now: 1_800_000_000_000,
  until: 1_800_000_100_000,
  deck: 'alpha',
  cap: 9999,
  id: 'alpha-1',
  from: 20_000,
  to: 20_500,
  day: 20_500,
  mature: 21,
  limit: 200,
  offset: 0,
  dayEnd: 1_800_000_200_000,
  fts: '"tcp"* "window"*',
  p0: 'alpha',
  state: 2,
  due: 0,
  stability: 1,
  difficulty: 5,
  elapsedDays: 1,
  scheduledDays: 1,
  learningSteps: 0,
  reps: 1,
  lapses: 0,
  lastReview: null,
  cardId: 'alpha-1',
  deckId: 'alpha',
  reviewedAt: 1,
  studyDay: 1,
  rating: 3,
  lastElapsedDays: 0,
  durationMs: 1,
  source: 'review',
  previous: '{}',
  suspended: 0,
  full: '["beta"]',
  base: 'alpha-1',
  drills: '["tcp-echo"]',
  tags: 'leech',
  flag: 1,
  factor: 19 / 81,
  decay: -0.5,
  dayStart: 1_800_000_000_000
}

function plan(db: Db, sql: string): string[] {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const named = Object.fromEntries(Object.entries(VALUES).filter(([name]) => new RegExp(`@${name}\\b`).test(sql)))
  const positional = (sql.match(/\?/g) ?? []).map((_q, i) => (i === 0 ? 'alpha-1' : 0))
  const rows = (Object.keys(named).length > 0 ? statement.all(named) : statement.all(...positional)) as {
    detail: string
  }[]
  return rows.map((row) => row.detail)
}

/** Plan steps that read every row of cards (by name or as `c`) or any scan of review_log. */
const tableScans = (steps: string[]) =>
  steps.filter(
    (step) =>
      /^(CORRELATED )?SCAN (cards|c)\b(?! USING (COVERING )?INDEX)/.test(step) ||
      /^(CORRELATED )?SCAN review_log\b/.test(step)
  )

function expectNoTableScans(db: Db, sources: string[]): void {
  for (const sql of sources) {
    const first = sql.trim().split('\n')[0]
    expect({ sql: first, scans: tableScans(plan(db, sql)) }).toEqual({ sql: first, scans: [] })
  }
}

const DECK = 'alpha'

describe('hot query plans', () => {
  const { db } = tempDb()

  it('queue: next learning, review and new card, and their counts, for one deck and for all', () => {
    const sources = recorded(db, (r) => {
      const cards = createStudyCardStore(r)
      for (const deck of [DECK, null]) {
        cards.nextLearning(deck, 1, 2)
        cards.countLearning(deck, 1, 2, 10)
        cards.countReview(deck, 1, 2, 10)
        cards.countNew(deck, 1, 10)
        cards.nextDue(deck, 1)
      }
    })
    expect(sources.length).toBeGreaterThanOrEqual(10)
    expectNoTableScans(db, sources)
    const queue = sources.filter((sql) => /c\.state (IN \(1, 3\)|= 2)/.test(sql) && !sql.includes('min('))
    for (const sql of queue)
      expect(plan(db, sql).join('\n')).toMatch(/USING (COVERING )?INDEX (cards_queue|cards_state_due)/)
  })

  it('queue: the counts read only the index (buried_until and kind are in it)', () => {
    const sources = recorded(db, (r) => {
      const cards = createStudyCardStore(r)
      for (const deck of [DECK, null]) {
        cards.countLearning(deck, 1, 2, 10)
        cards.countReview(deck, 1, 2, 10)
        cards.countNew(deck, 1, 10)
      }
    })
    const counts = sources.filter((sql) => sql.includes('count(*)') && /c\.state (IN \(1, 3\)|= 2)/.test(sql))
    expect(counts).toHaveLength(4)
    for (const sql of counts)
      expect(plan(db, sql).join('\n')).toMatch(/USING COVERING INDEX (cards_queue|cards_state_due)/)
    const fresh = sources.filter((sql) => sql.includes('count(*)') && sql.includes('c.state = 0'))
    expect(fresh).toHaveLength(2)
    for (const sql of fresh)
      expect(plan(db, sql).join('\n')).toMatch(/USING COVERING INDEX (cards_new_in_deck|cards_new_order)/)
  })

  it("answer: the card's read and update and the log insert find their rows by index", () => {
    const sources = recorded(db, (r) => {
      createStudyCardStore(r)
      createReviewLogStore(r)
    })
    const read = sources.find((sql) => /FROM cards WHERE id = \?/.test(sql))!
    const update = sources.find((sql) => /UPDATE cards SET state = @state/.test(sql))!
    const insert = sources.find((sql) => /INSERT INTO review_log/.test(sql))!
    const today = sources.find((sql) => /FROM review_daily/.test(sql))!
    // The next card's text and deck title: `c.id = +?` (see study-cards.ts) still finds it by its id.
    const study = sources.find((sql) => /JOIN decks d ON d\.id = c\.deck_id WHERE c\.id = \+\?/.test(sql))!
    expect(plan(db, study).join('\n')).toMatch(/SEARCH c USING INDEX sqlite_autoindex_cards_1 \(id=\?\)/)
    expect(plan(db, read).join('\n')).toMatch(/SEARCH cards USING INDEX sqlite_autoindex_cards_1 \(id=\?\)/)
    expect(plan(db, update).join('\n')).toMatch(/SEARCH cards USING INDEX sqlite_autoindex_cards_1 \(id=\?\)/)
    expect(tableScans(plan(db, insert))).toEqual([])
    expect(plan(db, today).join('\n')).toMatch(/SEARCH review_daily USING PRIMARY KEY/)
    expectNoTableScans(db, [read, update, insert, today, study])
  })

  it("card info and a card's answers since a moment find its review rows by review_log_card (parameters written +?)", () => {
    const sources = recorded(db, (r) => {
      createCardInfoStore(r)
      createReviewLogStore(r)
    })
    const byCard = sources.filter((sql) => /FROM review_log INDEXED BY review_log_card WHERE card_id = \+\?/.test(sql))
    expect(byCard.length).toBeGreaterThanOrEqual(3)
    for (const sql of byCard)
      expect(plan(db, sql).join('\n')).toMatch(/SEARCH review_log USING (COVERING )?INDEX review_log_card \(card_id=\?/)
    expectNoTableScans(db, byCard)
  })

  it('Browse: deck: with words walks the deck in cards_deck_live and matches words in the FTS index', () => {
    const sources = recorded(db, (r) => {
      createBrowseStore(r).search(parseBrowseQuery(`deck:${DECK} tcp window`), 'position', false, 200, 0, {
        now: 1,
        dayStart: 0,
        dayEnd: 2,
        curve: { decay: -0.5, factor: 19 / 81 }
      })
    })
    expect(sources.length).toBe(2)
    expectNoTableScans(db, sources)
    // The deck pattern is written `+@p0` (see browse.ts): no re-prepare per pattern, same plan.
    for (const sql of sources) expect(sql).toMatch(/id GLOB \+@p0 OR lower\(title\) GLOB \+@p0/)
    for (const sql of sources) {
      const steps = plan(db, sql).join('\n')
      expect(steps).toMatch(/SEARCH c USING (COVERING )?INDEX cards_deck_live \(deck_id=\?\)/)
      expect(steps).toMatch(/SCAN cards_fts VIRTUAL TABLE INDEX/)
    }
  })

  it('Browse: words alone are looked up in the FTS index, then cards by rowid', () => {
    const sources = recorded(db, (r) => {
      createBrowseStore(r).search(parseBrowseQuery('tcp window'), 'position', false, 200, 0, {
        now: 1,
        dayStart: 0,
        dayEnd: 2,
        curve: { decay: -0.5, factor: 19 / 81 }
      })
    })
    expectNoTableScans(db, sources)
    for (const sql of sources)
      expect(plan(db, sql).join('\n')).toMatch(/SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/)
  })

  it('Browse with no search, position order: the total from card_counts, the page from its own deck in cards_deck_live', () => {
    // Its own file with a card, so the page has a deck to start in.
    const { db } = tempDb()
    db.prepare("INSERT INTO decks (id, title, created_at, updated_at) VALUES ('alpha', 'Alpha', 1, 1)").run()
    db.prepare(
      "INSERT INTO cards (id, deck_id, kind, front, back, created_at, updated_at) VALUES ('alpha-1', 'alpha', 'basic', 'f', 'b', 1, 1)"
    ).run()
    const sources = recorded(db, (r) => {
      createBrowseStore(r).search([], 'position', false, 200, 0, {
        now: 1,
        dayStart: 0,
        dayEnd: 2,
        curve: { decay: -0.5, factor: 19 / 81 }
      })
    })
    const rows = sources.find((sql) => sql.includes('@fromDeck'))!
    VALUES.fromDeck = DECK
    expect(plan(db, rows).join('\n')).toMatch(/SEARCH c USING INDEX cards_deck_live \(deck_id>\?\)/)
    expect(sources.find((sql) => sql.includes('card_counts'))).toBeDefined()
    expectNoTableScans(db, sources)
  })

  it('stats: every statement of the Stats page', () => {
    const sources = recorded(db, (r) => void createStatsStore(r))
    expect(sources.length).toBeGreaterThanOrEqual(10)
    for (const deck of [null, DECK]) {
      VALUES.deck = deck
      expectNoTableScans(db, sources)
      for (const sql of sources) expect(plan(db, sql).join('\n')).not.toMatch(/\breview_log\b/)
    }
    VALUES.deck = DECK
  })

  it('Home: the deck summaries count each deck through an index', () => {
    const sources = recorded(db, (r) => void createDeckStore(r).summaries())
    expectNoTableScans(db, sources)
  })

  it('content sync reads the stored state of shipped rows through their partial indexes', () => {
    const sources = recorded(db, (r) => {
      for (const table of ['notes', 'cards', 'quiz_items'] as const)
        contentRowStatements(r, table, ['deck_id']).syncState()
    })
    const states = sources.filter((sql) => sql.includes("WHERE origin = 'content'"))
    expect(states).toHaveLength(3)
    for (const sql of states)
      expect(plan(db, sql).join('\n')).toMatch(/SEARCH \w+ USING INDEX (notes|cards|quiz_items)_shipped \(origin=\?\)/)
  })
})
