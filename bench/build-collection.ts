// The large collections the benchmark measures, at three sizes (tiers): cards over 50 decks
// with plausible FSRS states, ten review-log rows per card over two years, and finished quiz
// sessions. The shipped library is synced first, so drills exist and a later `serve` on the
// same folder finds nothing to change.
//
// Built quickly: one transaction with prepared statements, with the triggers and secondary
// indexes of `cards` and `review_log` dropped for the bulk insert and recreated after, from
// their own SQL in sqlite_master; the tables the triggers keep (cards_fts, card_counts,
// review_daily) are then filled in one statement each. The result is the same file the
// triggers would have made (test/main/bench/build-collection.test.ts checks the derived tables).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCollection } from '../src/main/app/collection'
import type { Db } from '../src/main/store/db'
import { seeded, words } from './random'
import { progress } from './report'

export const DECKS = 50
const DAY_MS = 86_400_000
const HISTORY_DAYS = 730
/** The app's default rollover hour (settings.ts); the bench keeps default settings. */
const DAY_START_HOUR = 4

export interface Tier {
  name: string
  cards: number
  logRows: number
  quizSessions: number
}

export const TIERS: Tier[] = [
  { name: '10k', cards: 10_000, logRows: 100_000, quizSessions: 500 },
  { name: '100k', cards: 100_000, logRows: 1_000_000, quizSessions: 5_000 },
  { name: '1M', cards: 1_000_000, logRows: 10_000_000, quizSessions: 5_000 }
]

export const deckId = (d: number) => `bench-deck-${String(d + 1).padStart(2, '0')}`

export interface BuiltCollection {
  dataDir: string
  contentDir: string
  tier: Tier
  now: number
  buildMs: number
  /** Seconds each step of the build took, in order (cards, review log, indexes, ...). */
  steps: Record<string, number>
}

interface Schema {
  triggers: string[]
  indexes: string[]
}

/** Drops the triggers and secondary indexes on these tables; returns their SQL to recreate them. */
function dropDerived(db: Db, tables: string[]): Schema {
  const rows = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL
      AND tbl_name IN (${tables.map(() => '?').join(', ')})`
    )
    .all(...tables) as { type: string; name: string; sql: string }[]
  for (const row of rows) db.exec(`DROP ${row.type.toUpperCase()} ${row.name}`)
  return {
    triggers: rows.filter((r) => r.type === 'trigger').map((r) => r.sql),
    indexes: rows.filter((r) => r.type === 'index').map((r) => r.sql)
  }
}

export function buildCollection(contentDir: string, tier: Tier): BuiltCollection {
  const started = performance.now()
  const dataDir = mkdtempSync(join(tmpdir(), `retransmit-bench-${tier.name}-`))
  const now = Date.now()
  const random = seeded(42)
  const collection = openCollection({ dataDir, contentDir, door: 'cli', autoBackup: false })
  const { db } = collection
  const steps: Record<string, number> = {}
  let stepStarted = performance.now()
  const step = (name: string) => {
    const at = performance.now()
    steps[name] = Math.round(at - stepStarted) / 1000
    stepStarted = at
  }
  try {
    // A bulk load into a fresh file: no rollback journal, no fsync, foreign keys known good,
    // and a page cache big enough that the transaction's pages are not spilled half-way (MiB).
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.pragma('foreign_keys = OFF')
    db.pragma(`cache_size = ${-1024 * 1024}`)
    db.transaction(() => {
      const schema = dropDerived(db, ['cards', 'review_log'])
      step('open')
      insertCards(db, tier, now, random)
      step('cards')
      insertLog(db, tier, now)
      step('review log')
      insertQuizSessions(db, tier, now, random)
      step('quiz sessions')
      progress(`building ${tier.name}: indexes`)
      for (const sql of schema.indexes) db.exec(sql)
      step('indexes')
      progress(`building ${tier.name}: full-text index and counts`)
      // The shipped library's rows are already in cards_fts: rebuild covers every card.
      db.exec(`INSERT INTO cards_fts(cards_fts) VALUES ('rebuild');
        DELETE FROM card_counts;
        INSERT INTO card_counts (deck_id, state, suspended, mature, n)
          SELECT deck_id, state, suspended, scheduled_days >= 21, count(*) FROM cards WHERE retired_at IS NULL GROUP BY 1, 2, 3, 4;
        DELETE FROM review_daily;
        INSERT INTO review_daily (study_day, deck_id, answers, passed, review_answers, review_passed, new_cards, duration_ms)
          SELECT study_day, deck_id, count(*), sum(rating > 1), sum(state = 2), sum(state = 2 AND rating > 1), sum(state = 0), sum(duration_ms)
            FROM review_log GROUP BY study_day, deck_id;`)
      for (const sql of schema.triggers) db.exec(sql)
      step('full-text index and counts')
    })()
    db.pragma('journal_mode = WAL')
  } finally {
    collection.close()
  }
  step('close')
  progress('')
  return { dataDir, contentDir, tier, now, buildMs: performance.now() - started, steps }
}

function insertCards(db: Db, tier: Tier, now: number, random: () => number): void {
  const insertDeck = db.prepare(`INSERT INTO decks (id, title, description, position, origin, created_at, updated_at)
    VALUES (?, ?, '', ?, 'user', ?, ?)`)
  const insertCard = db.prepare(`INSERT INTO cards (id, deck_id, kind, front, back, tags, position, origin, state, due,
      stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, last_review, suspended,
      created_at, updated_at)
    VALUES (?, ?, 'basic', ?, ?, ?, ?, 'user', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  for (let d = 0; d < DECKS; d++) insertDeck.run(deckId(d), `Bench deck ${d + 1}`, 100 + d, now, now)
  for (let i = 0; i < tier.cards; i++) {
    const deck = deckId(i % DECKS)
    const id = `bench-${i}`
    const r = random()
    const created = now - Math.floor(random() * HISTORY_DAYS) * DAY_MS
    let state = 0,
      due = 0,
      stability = 0,
      difficulty = 0,
      scheduled = 0,
      elapsed = 0,
      steps = 0,
      reps = 0,
      lapses = 0
    let lastReview: number | null = null
    if (r >= 0.2 && r < 0.25) {
      // learning (1) or relearning (3), due within the hour either side of now
      state = r < 0.23 ? 1 : 3
      due = now + Math.floor((random() - 0.5) * 3_600_000)
      stability = 0.5 + random() * 3
      difficulty = 3 + random() * 6
      steps = 1
      reps = 1 + Math.floor(random() * 5)
      lapses = state === 3 ? 1 + Math.floor(random() * 3) : 0
      lastReview = due - 600_000
    } else if (r >= 0.25) {
      state = 2
      scheduled = 1 + Math.floor(random() ** 2 * 365)
      // about one review card in ten is overdue; the rest fall due over the interval
      due = now + Math.floor((random() * 1.1 - 0.1) * scheduled * DAY_MS)
      lastReview = due - scheduled * DAY_MS
      elapsed = scheduled
      stability = scheduled * (0.8 + random() * 0.4)
      difficulty = 1 + random() * 9
      reps = 2 + Math.floor(random() * 30)
      lapses = random() < 0.05 ? Math.floor(random() * 12) : 0
    }
    insertCard.run(
      id,
      deck,
      `${words(random, 8)}?`,
      words(random, 14),
      words(random, 2),
      i,
      state,
      due,
      stability,
      difficulty,
      elapsed,
      scheduled,
      steps,
      reps,
      lapses,
      lastReview,
      random() < 0.01 ? 1 : 0,
      created,
      created
    )
    if (i % 20_000 === 0)
      progress(`building ${tier.name}: cards ${i.toLocaleString('en')} / ${tier.cards.toLocaleString('en')}`)
  }
}

/**
 * A deterministic pseudo-random 32-bit integer for row `i` and stream `k`, in SQL: a
 * multiplicative hash with a xor-shift (x ^ y written as (x | y) - (x & y)); every product stays
 * below 2^63, so SQLite keeps integers.
 */
function sqlHash(i: string, k: number): string {
  const x = `((${i} * 2654435761 + ${k * 40_503 + 12_345}) % 4294967296 * 2246822519 % 4294967296)`
  return `(((${x} | (${x} >> 15)) - (${x} & (${x} >> 15))) * 3266489917 % 4294967296)`
}

/**
 * `whole + fraction` (fraction in [0, 1)) as JSON text with three decimals, from integers:
 * SQLite's own REAL-to-text conversion cost three quarters of the log's build time.
 */
const decimal = (whole: string | number, fraction: string) =>
  `(${whole} + CAST(${fraction} AS INTEGER)) || '.' || substr('00' || CAST((${fraction}) * 1000 % 1000 AS INTEGER), -3)`

/** Three numbers in [0, 1) from one 32-bit hash column: its three 10-bit slices. */
const slice = (h: string, n: number) => `((${h} >> ${n * 10}) % 1024 / 1024.0)`

/**
 * The review log, generated in SQL (10 million rows at the largest tier): each row a random
 * reviewed card (from a numbered temp table), spread evenly over two years. The study day uses
 * today's UTC offset for every row (the bench's data only; a DST change moves a few rows a day).
 */
function insertLog(db: Db, tier: Tier, now: number): void {
  db.exec(`CREATE TEMP TABLE reviewed (n INTEGER PRIMARY KEY, id TEXT NOT NULL, deck TEXT NOT NULL);
    INSERT INTO reviewed (n, id, deck) SELECT row_number() OVER (ORDER BY seq) - 1, id, deck_id FROM cards WHERE origin = 'user' AND state != 0;`)
  const reviewed = (db.prepare('SELECT count(*) AS n FROM reviewed').get() as { n: number }).n
  const first = now - HISTORY_DAYS * DAY_MS
  const step = (HISTORY_DAYS * DAY_MS) / tier.logRows
  const dayShiftMs = new Date(now).getTimezoneOffset() * 60_000 + DAY_START_HOUR * 3_600_000
  // Chunks of a million rows, each generated once into memory (MATERIALIZED: a column used
  // twice is not recomputed from its hash), then inserted.
  const CHUNK = 1_000_000
  const insert = db.prepare(`
    WITH RECURSIVE rows(i) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT i + 1 FROM rows WHERE i < @to - 1),
    drawn AS MATERIALIZED (
      SELECT i, CAST(@first + i * @step AS INTEGER) AS at, ${sqlHash('i', 1)} / 4294967296.0 AS c, ${sqlHash('i', 2)} AS h,
             ${sqlHash('i', 3)} AS k
        FROM rows),
    sliced AS (
      SELECT i, at, c, ${slice('h', 0)} AS g, ${slice('h', 1)} AS s, ${slice('h', 2)} AS v, ${slice('k', 0)} AS d, ${slice('k', 1)} AS t
        FROM drawn),
    shaped AS (
      SELECT i, at, CAST(c * @reviewed AS INTEGER) AS n,
             CASE WHEN g < 0.1 THEN 1 WHEN g < 0.2 THEN 2 WHEN g < 0.9 THEN 3 ELSE 4 END AS rating,
             CASE WHEN s < 0.05 THEN 0 WHEN s < 0.1 THEN 1 WHEN s < 0.95 THEN 2 ELSE 3 END AS state, v, d, t
        FROM sliced),
    full AS MATERIALIZED (
      SELECT i, at, n, rating, state, CASE WHEN state = 2 THEN 1 + CAST(v * 200 AS INTEGER) ELSE 0 END AS interval, v, d, t
        FROM shaped)
    INSERT INTO review_log (card_id, deck_id, reviewed_at, study_day, rating, state, due, stability, difficulty,
      elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms, source, prev_card)
    SELECT r.id, r.deck, at, (at - CAST(@dayShift AS INTEGER)) / ${DAY_MS}, rating, state, at + interval * ${DAY_MS}, interval + v, 1 + d * 9,
           interval, interval, interval, 0, 3000 + CAST(t * 20000 AS INTEGER), 'review',
           '{"state":' || state || ',"due":' || at || ',"stability":' || ${decimal('interval', 'v')} || ',"difficulty":' || ${decimal(1, 'd * 9')} ||
             ',"elapsedDays":' || interval || ',"scheduledDays":' || interval || ',"learningSteps":0,"reps":' || (1 + i % 20) ||
             ',"lapses":0,"lastReview":' || (at - interval * ${DAY_MS}) || '}'
      FROM full JOIN reviewed r ON r.n = full.n`)
  for (let from = 0; from < tier.logRows; from += CHUNK) {
    progress(`building ${tier.name}: review log ${from.toLocaleString('en')} / ${tier.logRows.toLocaleString('en')}`)
    insert.run({ from, to: Math.min(tier.logRows, from + CHUNK), first, step, reviewed, dayShift: dayShiftMs })
  }
  db.exec('DROP TABLE temp.reviewed')
  // better-sqlite3 binds every JS number as a REAL: the CASTs above keep the integer columns
  // integers (a REAL study_day matches no day and sends Stats scanning); checked on the ends.
  const wrong = db
    .prepare(
      `SELECT count(*) AS n FROM (SELECT * FROM (SELECT * FROM review_log ORDER BY id LIMIT 1000) UNION ALL SELECT * FROM (SELECT * FROM review_log ORDER BY id DESC LIMIT 1000))
    WHERE typeof(study_day) != 'integer' OR typeof(reviewed_at) != 'integer' OR typeof(due) != 'integer'`
    )
    .get() as { n: number }
  if (wrong.n > 0) throw new Error('the generated review log has non-integer days or times')
}

function insertQuizSessions(db: Db, tier: Tier, now: number, random: () => number): void {
  const insertSession =
    db.prepare(`INSERT INTO quiz_sessions (started_at, finished_at, config, score, total, duration_ms)
    VALUES (?, ?, ?, ?, ?, ?)`)
  const insertAnswer = db.prepare(
    `INSERT INTO quiz_answers (session_id, item_id, answered_at, correct, answer) VALUES (?, ?, ?, ?, ?)`
  )
  const setScore = db.prepare('UPDATE quiz_sessions SET score = ? WHERE id = ?')
  const first = now - HISTORY_DAYS * DAY_MS
  for (let i = 0; i < tier.quizSessions; i++) {
    const at = Math.floor(first + (i * HISTORY_DAYS * DAY_MS) / tier.quizSessions)
    const deck = deckId(i % DECKS)
    const items = Array.from({ length: 10 }, (_v, k) => ({
      id: `bench-quiz-${(i * 10 + k) % 2000}`,
      deckId: deck,
      shown: null
    }))
    const config = { deckIds: [deck], tags: [], count: 10, timeLimitSec: null, decks: [deck], items }
    let score = 0
    const session = Number(insertSession.run(at, at + 120_000, JSON.stringify(config), 0, 10, 120_000).lastInsertRowid)
    for (const [k, item] of items.entries()) {
      const correct = random() < 0.75 ? 1 : 0
      score += correct
      insertAnswer.run(session, item.id, at + k * 10_000, correct, '{"type":"truefalse","value":true}')
    }
    setScore.run(score, session)
  }
}
