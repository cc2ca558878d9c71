// The large collection the benchmark measures: 100,000 cards over 50 decks with plausible FSRS
// states, 1,000,000 review-log rows over two years (inserted with prepared statements in one
// transaction, so the review_daily triggers fill as they do for real answers), and 5,000
// finished quiz sessions. The shipped library is synced first, so drills exist and a later
// `serve` on the same folder finds nothing to change.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCollection } from '../src/main/app/collection'
import { studyDay } from '../src/main/scheduler/study-day'
import { seeded, words } from './random'
import { progress } from './report'

export const DECKS = 50
export const CARDS = 100_000
export const LOG_ROWS = 1_000_000
export const QUIZ_SESSIONS = 5_000
const DAY_MS = 86_400_000
const HISTORY_DAYS = 730
/** The app's default rollover hour (settings.ts); the bench keeps default settings. */
const DAY_START_HOUR = 4

export const deckId = (d: number) => `bench-deck-${String(d + 1).padStart(2, '0')}`

export interface BuiltCollection {
  dataDir: string
  contentDir: string
  now: number
  buildMs: number
}

interface CardSeed {
  id: string
  deck: string
  reviewed: boolean
}

export function buildCollection(contentDir: string): BuiltCollection {
  const started = performance.now()
  const dataDir = mkdtempSync(join(tmpdir(), 'retransmit-bench-'))
  const now = Date.now()
  const random = seeded(42)
  const collection = openCollection({ dataDir, contentDir, door: 'cli', autoBackup: false })
  const { db } = collection
  try {
    const insertDeck = db.prepare(`INSERT INTO decks (id, title, description, position, origin, created_at, updated_at)
      VALUES (?, ?, '', ?, 'user', ?, ?)`)
    const insertCard = db.prepare(`INSERT INTO cards (id, deck_id, kind, front, back, tags, position, origin, state, due,
        stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, last_review, suspended,
        created_at, updated_at)
      VALUES (@id, @deck, 'basic', @front, @back, @tags, @position, 'user', @state, @due, @stability, @difficulty,
        @elapsed, @scheduled, @steps, @reps, @lapses, @lastReview, @suspended, @created, @created)`)
    const cards: CardSeed[] = []
    db.transaction(() => {
      for (let d = 0; d < DECKS; d++) insertDeck.run(deckId(d), `Bench deck ${d + 1}`, 100 + d, now, now)
      for (let i = 0; i < CARDS; i++) {
        const deck = deckId(i % DECKS)
        const id = `bench-${i}`
        const r = random()
        const created = now - Math.floor(random() * HISTORY_DAYS) * DAY_MS
        let state = 0, due = 0, stability = 0, difficulty = 0, scheduled = 0, elapsed = 0, steps = 0, reps = 0, lapses = 0
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
        insertCard.run({
          id, deck, front: `${words(random, 8)}?`, back: words(random, 14), tags: words(random, 2), position: i,
          state, due, stability, difficulty, elapsed, scheduled, steps, reps, lapses, lastReview,
          suspended: random() < 0.01 ? 1 : 0, created
        })
        cards.push({ id, deck, reviewed: state !== 0 })
        if (i % 5000 === 0) progress(`building: cards ${i.toLocaleString('en')} / ${CARDS.toLocaleString('en')}`)
      }
    })()

    const insertLog = db.prepare(`INSERT INTO review_log (card_id, deck_id, reviewed_at, study_day, rating, state, due,
        stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms, source, prev_card)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'review', ?)`)
    const reviewed = cards.filter((c) => c.reviewed)
    const first = now - HISTORY_DAYS * DAY_MS
    const step = (HISTORY_DAYS * DAY_MS) / LOG_ROWS
    db.transaction(() => {
      for (let i = 0; i < LOG_ROWS; i++) {
        const card = reviewed[Math.floor(random() * reviewed.length)]!
        const at = Math.floor(first + i * step)
        const day = studyDay(at, DAY_START_HOUR, new Date(at).getTimezoneOffset()).number
        const g = random()
        const rating = g < 0.1 ? 1 : g < 0.2 ? 2 : g < 0.9 ? 3 : 4
        const s = random()
        const state = s < 0.05 ? 0 : s < 0.1 ? 1 : s < 0.95 ? 2 : 3
        const interval = state === 2 ? 1 + Math.floor(random() * 200) : 0
        const stability = interval + random()
        const difficulty = 1 + random() * 9
        const previous = JSON.stringify({
          state, due: at, stability, difficulty, elapsedDays: interval, scheduledDays: interval, learningSteps: 0,
          reps: 1 + (i % 20), lapses: 0, lastReview: at - interval * DAY_MS
        })
        insertLog.run(card.id, card.deck, at, day, rating, state, at + interval * DAY_MS, stability, difficulty,
          interval, interval, interval, 3000 + Math.floor(random() * 20_000), previous)
        if (i % 50_000 === 0) progress(`building: review log ${i.toLocaleString('en')} / ${LOG_ROWS.toLocaleString('en')}`)
      }
    })()

    const insertSession = db.prepare(`INSERT INTO quiz_sessions (started_at, finished_at, config, score, total, duration_ms)
      VALUES (?, ?, ?, ?, ?, ?)`)
    const insertAnswer = db.prepare(`INSERT INTO quiz_answers (session_id, item_id, answered_at, correct, answer) VALUES (?, ?, ?, ?, ?)`)
    const setScore = db.prepare('UPDATE quiz_sessions SET score = ? WHERE id = ?')
    db.transaction(() => {
      for (let i = 0; i < QUIZ_SESSIONS; i++) {
        const at = Math.floor(first + (i * HISTORY_DAYS * DAY_MS) / QUIZ_SESSIONS)
        const deck = deckId(i % DECKS)
        const items = Array.from({ length: 10 }, (_v, k) => ({ id: `bench-quiz-${(i * 10 + k) % 2000}`, deckId: deck, shown: null }))
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
    })()
    progress('building: checkpointing the WAL')
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    collection.close()
  }
  progress('')
  return { dataDir, contentDir, now, buildMs: performance.now() - started }
}
