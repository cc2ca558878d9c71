// The Stats report over a history built by answering cards through the real review service,
// with a fixed clock and a fixed UTC offset (0) so study days are UTC days from 04:00.
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { NotFoundError } from '../../../src/shared/errors'
import type { Rating } from '../../../src/shared/study'
import { fixtureContent } from '../../helpers/collection'
import { fixedClock, tempDir } from '../../helpers/temp'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** 2026-03-02 12:00 UTC: study day 2026-03-02 runs from 04:00 that day to 04:00 the next. */
const NOW = Date.UTC(2026, 2, 2, 12)
const at = (isoDay: string, hour: number) => Date.parse(`${isoDay}T00:00:00Z`) + hour * HOUR

const opened: Collection[] = []
afterAll(() => {
  for (const c of opened.splice(0)) c.close()
})

function collection() {
  const clock = fixedClock(NOW)
  const c = openCollection({
    dataDir: tempDir('retransmit-stats-'),
    contentDir: fixtureContent(),
    door: 'cli',
    clock,
    tzOffset: () => 0
  })
  opened.push(c)
  const answer = async (when: number, cardId: string, rating: Rating, durationMs = 1000) => {
    clock.set(when)
    await c.handlers.answerCard({ cardId, rating, durationMs })
  }
  const stats = async (days: 30 | 90 | 365 = 30, deckId?: string) =>
    c.handlers.getStats({ days, ...(deckId ? { deckId } : {}) })
  return { c, clock, answer, stats }
}

/**
 * Seven answers over three study days (2026-02-27, 03-01, 03-02):
 *   02-27 10:00  alpha-1 Easy (new -> review), alpha-2 Good (new), beta-1 Again (new)  3 answers, 2 passed
 *   03-01 10:00  alpha-1 Good (review), alpha-2 Good (learning), beta-1 Hard (learning)  3 answers, 3 passed
 *   03-02 03:00  alpha-1 Again (review): before the 04:00 rollover, so it counts for 03-01
 *   03-02 10:00  beta-1 Good (learning)                                                 1 answer, 1 passed
 * Review-state answers: alpha 2 (1 passed), beta none.
 */
async function seeded() {
  const s = collection()
  await s.answer(at('2026-02-27', 10), 'alpha-1', 4)
  await s.answer(at('2026-02-27', 10), 'alpha-2', 3)
  await s.answer(at('2026-02-27', 10), 'beta-1', 1)
  await s.answer(at('2026-03-01', 10), 'alpha-1', 3)
  await s.answer(at('2026-03-01', 10), 'alpha-2', 3)
  await s.answer(at('2026-03-01', 10), 'beta-1', 2)
  await s.answer(at('2026-03-02', 3), 'alpha-1', 1)
  await s.answer(at('2026-03-02', 10), 'beta-1', 3)
  s.clock.set(NOW)
  return s
}

describe('stats report', () => {
  it('counts answers per study day, zero-filled over the period, with the rollover hour applied', async () => {
    const { stats } = await seeded()
    const report = await stats(30)
    expect(report.days).toBe(30)
    expect(report.reviewsPerDay).toHaveLength(30)
    expect(report.reviewsPerDay[0]!.day).toBe('2026-02-01')
    expect(report.reviewsPerDay.at(-1)).toEqual({ day: '2026-03-02', count: 1, passed: 1 })
    const nonZero = report.reviewsPerDay.filter((d) => d.count > 0)
    expect(nonZero).toEqual([
      { day: '2026-02-27', count: 3, passed: 2 },
      { day: '2026-03-01', count: 4, passed: 3 },
      { day: '2026-03-02', count: 1, passed: 1 }
    ])
    expect(report.totals).toEqual({ answers: 8, passed: 6, studyDays: 3, streak: 2 })
  })

  it('keeps the heatmap at 365 days whatever the period, and 90/365-day periods reach back', async () => {
    const { stats } = await seeded()
    for (const days of [30, 90, 365] as const) {
      const report = await stats(days)
      expect(report.reviewsPerDay).toHaveLength(days)
      expect(report.studyDays).toHaveLength(365)
      expect(report.studyDays[0]!.day).toBe('2025-03-03')
      expect(report.studyDays.filter((d) => d.count > 0)).toEqual([
        { day: '2026-02-27', count: 3 },
        { day: '2026-03-01', count: 4 },
        { day: '2026-03-02', count: 1 }
      ])
    }
  })

  it('measures true retention on review-state answers only, per deck, null without any', async () => {
    const { stats } = await seeded()
    const report = await stats(30)
    expect(report.decks.map((d) => [d.id, d.title, d.retention, d.reviewAnswers, d.cards])).toEqual([
      ['alpha', 'Alpha deck', 0.5, 2, 2],
      ['beta', 'Beta deck', null, 0, 1]
    ])
  })

  it('counts a streak ending today or yesterday, and none after a missed day', async () => {
    const s = await seeded()
    expect((await s.stats()).totals.streak).toBe(2)
    s.clock.set(NOW + DAY) // 03-03: nothing yet today, yesterday and the day before count
    expect((await s.stats()).totals.streak).toBe(2)
    s.clock.set(NOW + 2 * DAY) // 03-04: 03-03 was missed
    expect((await s.stats()).totals.streak).toBe(0)
    // Answering again starts a new streak of one.
    await s.answer(NOW + 2 * DAY, 'alpha-2', 3)
    expect((await s.stats()).totals.streak).toBe(1)
  })

  it('forgets an undone answer', async () => {
    const s = await seeded()
    await s.c.handlers.undo({})
    const report = await s.stats()
    expect(report.reviewsPerDay.at(-1)).toEqual({ day: '2026-03-02', count: 0, passed: 0 })
    expect(report.totals).toEqual({ answers: 7, passed: 5, studyDays: 2, streak: 1 })
    // A day whose answers were all undone is not a study day in the heatmap either.
    expect(report.studyDays.at(-1)).toEqual({ day: '2026-03-02', count: 0 })
  })

  it('filters everything deck-specific by deck', async () => {
    const { stats } = await seeded()
    const report = await stats(30, 'beta')
    expect(report.reviewsPerDay.filter((d) => d.count > 0)).toEqual([
      { day: '2026-02-27', count: 1, passed: 0 },
      { day: '2026-03-01', count: 1, passed: 1 },
      { day: '2026-03-02', count: 1, passed: 1 }
    ])
    expect(report.totals).toEqual({ answers: 3, passed: 2, studyDays: 3, streak: 2 })
    expect(report.decks.map((d) => d.id)).toEqual(['beta'])
    expect(report.states).toEqual({ new: 0, learning: 1, review: 0, relearning: 0, suspended: 0 })
  })

  it('refuses an unknown deck', async () => {
    const { stats } = collection()
    await expect(stats(30, 'nope')).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('card states, forecast and mastery', () => {
  /** Puts a card in a given FSRS state directly: the test's fixture, not the app's path. */
  function place(c: Collection, id: string, state: number, due: number, scheduledDays = 0) {
    c.db
      .prepare('UPDATE cards SET state = ?, due = ?, scheduled_days = ? WHERE id = ?')
      .run(state, due, scheduledDays, id)
  }

  it('counts active cards by state and suspended cards apart', async () => {
    const { c, stats } = collection()
    const extra = await c.handlers.createCard({
      deckId: 'alpha',
      kind: 'basic',
      front: 'Extra?',
      back: 'Yes.',
      tags: []
    })
    const held = await c.handlers.createCard({ deckId: 'beta', kind: 'basic', front: 'Held?', back: 'Yes.', tags: [] })
    place(c, 'alpha-1', 2, NOW + 3 * DAY, 30)
    place(c, 'alpha-2', 3, NOW)
    place(c, held.id, 2, NOW)
    await c.handlers.suspendCard({ cardId: held.id })
    expect((await stats()).states).toEqual({ new: 2, learning: 0, review: 1, relearning: 1, suspended: 1 })
    expect((await stats(30, 'alpha')).states).toEqual({ new: 1, learning: 0, review: 1, relearning: 1, suspended: 0 })
    expect((await stats(30, 'beta')).states).toEqual({ new: 1, learning: 0, review: 0, relearning: 0, suspended: 1 })
    expect(extra.deckId).toBe('alpha')
  })

  it('forecasts due cards per study day for 30 days, overdue counted today', async () => {
    const { c, stats } = collection()
    const more = []
    for (let i = 0; i < 3; i++)
      more.push(
        (await c.handlers.createCard({ deckId: 'beta', kind: 'basic', front: `F${i}?`, back: '.', tags: [] })).id
      )
    place(c, 'alpha-1', 2, NOW - 5 * DAY) // overdue: today
    place(c, 'alpha-2', 1, at('2026-03-03', 3)) // before 04:00 on 03-03: still today
    place(c, 'beta-1', 3, at('2026-03-03', 5)) // 03-03
    place(c, more[0]!, 2, at('2026-03-31', 12)) // the 30th day (index 29)
    place(c, more[1]!, 2, at('2026-04-01', 5)) // beyond the forecast
    place(c, more[2]!, 2, at('2026-03-05', 12))
    await c.handlers.suspendCard({ cardId: more[2]! }) // suspended cards are not due
    const { forecast } = await stats()
    expect(forecast).toHaveLength(30)
    expect(forecast[0]).toEqual({ day: '2026-03-02', count: 2 })
    expect(forecast[1]).toEqual({ day: '2026-03-03', count: 1 })
    expect(forecast[29]).toEqual({ day: '2026-03-31', count: 1 })
    expect(forecast.reduce((sum, d) => sum + d.count, 0)).toBe(4)
    expect((await stats(30, 'alpha')).forecast[0]!.count).toBe(2)
    expect((await stats(30, 'beta')).forecast.reduce((sum, d) => sum + d.count, 0)).toBe(2)
  })

  it('buckets the forecast by the review service study days across a UTC-offset change', async () => {
    // Local time is UTC until 2026-03-10 and UTC+1 from then on (a DST-like switch), so
    // study days from 03-10 start at 03:00 UTC instead of 04:00.
    const switchAt = Date.UTC(2026, 2, 10)
    const clock = fixedClock(NOW)
    const c = openCollection({
      dataDir: tempDir('retransmit-stats-'),
      contentDir: fixtureContent(),
      door: 'cli',
      clock,
      tzOffset: (ms) => (ms >= switchAt ? -60 : 0)
    })
    opened.push(c)
    place(c, 'alpha-1', 2, at('2026-03-12', 3) + 30 * 60_000) // 04:30 local on 03-12: that study day
    place(c, 'alpha-2', 2, at('2026-03-12', 2) + 30 * 60_000) // 03:30 local: still 03-11's study day
    const { forecast } = await c.handlers.getStats({ days: 30 })
    expect(forecast[10]).toEqual({ day: '2026-03-12', count: 1 })
    expect(forecast[9]).toEqual({ day: '2026-03-11', count: 1 })
  })

  it('counts mature cards by an interval (scheduled_days) of 21 days or more', async () => {
    const { c, stats } = collection()
    place(c, 'alpha-1', 2, NOW + 30 * DAY, 21)
    place(c, 'alpha-2', 2, NOW + 20 * DAY, 20)
    place(c, 'beta-1', 2, NOW + 90 * DAY, 90)
    const { decks } = await stats()
    expect(decks.map((d) => [d.id, d.mature, d.cards])).toEqual([
      ['alpha', 1, 2],
      ['beta', 1, 1]
    ])
  })
})

describe('quiz history', () => {
  it('lists sessions newest first, 20 of them, with their decks, filtered by deck', async () => {
    const { c, clock, stats } = collection()
    // One finished quiz and one left open, through the real quiz service.
    clock.set(NOW - 2 * DAY)
    const done = await c.handlers.startQuiz({ deckIds: ['beta'], tags: [], count: 5, timeLimitSec: null })
    await c.handlers.answerQuizItem({
      sessionId: done.id,
      itemId: 'beta-q',
      answer: { type: 'truefalse', value: true }
    })
    clock.set(NOW - 2 * DAY + 60_000)
    await c.handlers.finishQuiz({ sessionId: done.id })
    clock.set(NOW - DAY)
    const open = await c.handlers.startQuiz({ deckIds: ['beta'], tags: [], count: 5, timeLimitSec: null })
    clock.set(NOW)
    // Older sessions, so that the list has more than 20 to choose from.
    const older = c.db.prepare(
      `INSERT INTO quiz_sessions (started_at, finished_at, config, score, total, duration_ms) VALUES (?, ?, '{"decks":["alpha"],"items":[]}', 0, 0, 0)`
    )
    for (let i = 0; i < 25; i++) older.run(NOW - 30 * DAY + i, NOW - 30 * DAY + i)

    const history = (await stats()).quizHistory
    expect(history).toHaveLength(20)
    expect(history[0]).toMatchObject({
      id: open.id,
      startedAt: NOW - DAY,
      finishedAt: null,
      score: 0,
      total: 1,
      decks: ['beta']
    })
    expect(history[1]).toMatchObject({
      id: done.id,
      startedAt: NOW - 2 * DAY,
      finishedAt: NOW - 2 * DAY + 60_000,
      score: 1,
      total: 1,
      decks: ['beta']
    })
    expect(history[2]!.startedAt).toBe(NOW - 30 * DAY + 24)

    expect((await stats(30, 'beta')).quizHistory.map((h) => h.id)).toEqual([open.id, done.id])
    const alpha = (await stats(30, 'alpha')).quizHistory
    expect(alpha).toHaveLength(20)
    expect(alpha.every((h) => h.decks.includes('alpha'))).toBe(true)
  })
})

describe('volume', () => {
  it('sums thousands of logged answers through review_daily', async () => {
    const { c, stats } = collection()
    const today = Math.floor((NOW - 4 * HOUR) / DAY)
    const insert = c.db
      .prepare(`INSERT INTO review_log (card_id, deck_id, reviewed_at, study_day, rating, state, due, stability, difficulty,
      elapsed_days, last_elapsed_days, scheduled_days, duration_ms, prev_card) VALUES (?, ?, ?, ?, ?, 2, 0, 1, 5, 1, 1, 1, 0, '{}')`)
    // 400 days back, 10 answers a day: every 5th fails; the alpha deck gets 6, beta 4.
    c.db.transaction(() => {
      for (let back = 0; back < 400; back++) {
        for (let i = 0; i < 10; i++) {
          const [card, deck] = i < 6 ? ['alpha-1', 'alpha'] : ['beta-1', 'beta']
          insert.run(card, deck, NOW - back * DAY, today - back, i % 5 === 0 ? 1 : 3)
        }
      }
    })()
    const year = await stats(365)
    expect(year.totals).toEqual({ answers: 3650, passed: 2920, studyDays: 365, streak: 400 })
    expect(year.decks.map((d) => [d.id, d.reviewAnswers, d.retention])).toEqual([
      ['alpha', 2190, 1460 / 2190],
      ['beta', 1460, 1460 / 1460]
    ])
    const month = await stats(30, 'beta')
    expect(month.totals).toEqual({ answers: 120, passed: 120, studyDays: 30, streak: 400 })
  })
})
