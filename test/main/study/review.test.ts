import { fsrs, generatorParameters, GenSeedStrategyWithCardId, StrategyMode, type Card, type StepUnit } from 'ts-fsrs'
import { describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { DEFAULT_SETTINGS } from '../../../src/main/study/settings'
import type { QueueState } from '../../../src/shared/study'
import { studyFixture } from '../../helpers/study'

const MIN = 60_000
const DAY = 86_400_000

function cardRow(fx: ReturnType<typeof studyFixture>, id: string) {
  return fx.collection.db.prepare('SELECT * FROM cards WHERE id = ?').get(id) as Record<string, number | string | null>
}
/** 10,000 learning cards of deck `net` due a minute ago, and relearning cards due `[id, minutes ago]`. */
function learningPastTheCap(fx: ReturnType<typeof studyFixture>, relearning: [string, number][]): void {
  const db = fx.collection.db
  const now = fx.clock()
  const insert =
    db.prepare(`INSERT INTO cards (id, deck_id, kind, front, back, origin, state, due, stability, difficulty,
    reps, learning_steps, last_review, created_at, updated_at) VALUES (?, 'net', 'basic', 'q', 'a', 'user', ?, ?, 1, 5, 1, 1, ?, ?, ?)`)
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++) insert.run(`l${i}`, 1, now - MIN, now - 10 * MIN, now, now)
    for (const [id, minutesAgo] of relearning) insert.run(id, 3, now - minutesAgo * MIN, now - 10 * MIN, now, now)
  })()
}

const logCount = (fx: ReturnType<typeof studyFixture>) =>
  (fx.collection.db.prepare('SELECT count(*) AS n FROM review_log').get() as { n: number }).n

async function answerNext(
  fx: ReturnType<typeof studyFixture>,
  rating: 1 | 2 | 3 | 4,
  deckId?: string
): Promise<QueueState> {
  const queue = await fx.handlers.getQueue({ deckId })
  if (!queue.card) throw new Error('queue is empty')
  return fx.handlers.answerCard({ cardId: queue.card.id, rating, durationMs: 4000, deckId })
}

describe('review queue', () => {
  it('introduces new cards in deck order and shows what each grade would schedule', async () => {
    const fx = studyFixture()
    const queue = await fx.handlers.getQueue({ deckId: 'net' })
    expect(queue.card).toMatchObject({ id: 'n1', deckId: 'net', deckTitle: 'Net', kind: 'basic', state: 0 })
    expect(queue.counts).toEqual({ new: 5, learning: 0, review: 0 })
    expect(queue.intervals).toEqual({ 1: '1m', 2: '6m', 3: '10m', 4: expect.stringMatching(/d$/) })
    const all = await fx.handlers.getQueue({})
    expect(all.counts.new).toBe(5 + 3 + 2)
  })

  it('shows due learning cards first, then reviews by due date, then new cards', async () => {
    const fx = studyFixture()
    await answerNext(fx, 3, 'net') // n1 -> learning, due in 10 minutes
    let next = await fx.handlers.getQueue({ deckId: 'net' })
    expect(next.card?.id).toBe('n2')
    expect(next.counts.learning).toBe(1) // within the 20-minute learn-ahead window
    fx.clock.advance(10 * MIN)
    next = await fx.handlers.getQueue({ deckId: 'net' })
    expect(next.card?.id).toBe('n1')
    // Two review cards with different due dates come before new ones, earliest first.
    const db = fx.collection.db
    db.prepare(
      "UPDATE cards SET state = 2, stability = 5, difficulty = 5, reps = 3, scheduled_days = 3, last_review = ?, due = ? WHERE id = 'n4'"
    ).run(fx.clock() - 4 * DAY, fx.clock() - 2 * DAY)
    db.prepare(
      "UPDATE cards SET state = 2, stability = 5, difficulty = 5, reps = 3, scheduled_days = 3, last_review = ?, due = ? WHERE id = 'n3'"
    ).run(fx.clock() - 3 * DAY, fx.clock() - 1 * DAY)
    await answerNext(fx, 3, 'net') // n1 graduates from learning
    next = await fx.handlers.getQueue({ deckId: 'net' })
    expect(next.card?.id).toBe('n4')
    expect(next.counts.review).toBe(2)
    await answerNext(fx, 3, 'net')
    expect((await fx.handlers.getQueue({ deckId: 'net' })).card?.id).toBe('n3')
  })

  it('stops new cards at the daily limit and starts again after the rollover hour', async () => {
    const fx = studyFixture()
    await fx.handlers.updateSettings({ deckId: 'net', settings: { newPerDay: 2 } })
    await answerNext(fx, 4, 'net')
    await answerNext(fx, 4, 'net')
    const limited = await fx.handlers.getQueue({ deckId: 'net' })
    expect(limited.counts.new).toBe(0)
    expect(limited.card).toBeNull()
    expect(limited.nextDue).toBeGreaterThan(fx.clock())
    // FIXED_NOW is 09:00 UTC; the next study day starts at 04:00 UTC tomorrow.
    fx.clock.advance(18 * 3_600_000)
    expect((await fx.handlers.getQueue({ deckId: 'net' })).counts.new).toBe(0)
    fx.clock.advance(1 * 3_600_000 + 1)
    const tomorrow = await fx.handlers.getQueue({ deckId: 'net' })
    expect(tomorrow.counts.new).toBe(2)
    expect(tomorrow.card?.id).toBe('n3')
  })

  it('past the 9,999 shown learning cards, still picks the earliest due, relearning included', async () => {
    const fx = studyFixture()
    const db = fx.collection.db
    // 10,000 learning cards due a minute ago, then one relearning card due earlier still:
    // a count cut at 9,999 walks learning cards (state 1) before relearning ones (state 3).
    learningPastTheCap(fx, [['relearn', 5]])
    for (const deckId of ['net', undefined]) {
      const queue = await fx.handlers.getQueue({ deckId })
      expect(queue.counts.learning).toBe(9999)
      expect(queue.card?.id).toBe('relearn')
    }
    // Below the cap the count's own walk finds it.
    db.prepare("DELETE FROM cards WHERE id GLOB 'l[0-9]*' AND CAST(substr(id, 2) AS INTEGER) >= 100").run()
    for (const deckId of ['net', undefined]) {
      const queue = await fx.handlers.getQueue({ deckId })
      expect(queue.counts.learning).toBe(101)
      expect(queue.card?.id).toBe('relearn')
    }
  })

  it('past the cap, the earliest due is kept with the count and follows an answer', async () => {
    const fx = studyFixture()
    learningPastTheCap(fx, [
      ['relearn', 5],
      ['relearn-2', 4]
    ])
    for (const deckId of ['net', undefined]) {
      // Twice: counted, then kept (nothing changed in between).
      for (let i = 0; i < 2; i++) expect((await fx.handlers.getQueue({ deckId })).card?.id).toBe('relearn')
    }
    // The kept capped count is recounted after the answer; its first is the next earliest.
    const next = await fx.handlers.answerCard({ cardId: 'relearn', rating: 3, durationMs: 1000, deckId: 'net' })
    expect(next.counts.learning).toBe(9999)
    expect(next.card?.id).toBe('relearn-2')
    expect((await fx.handlers.getQueue({})).card?.id).toBe('relearn-2')
  })

  it('caps reviews per day', async () => {
    const fx = studyFixture()
    await fx.handlers.updateSettings({ settings: { reviewsPerDay: 1 } })
    fx.collection.db
      .prepare(
        "UPDATE cards SET state = 2, stability = 5, difficulty = 5, reps = 3, scheduled_days = 3, last_review = ?, due = ? WHERE id IN ('n1', 'n2')"
      )
      .run(fx.clock() - 4 * DAY, fx.clock() - DAY)
    expect((await fx.handlers.getQueue({})).counts.review).toBe(1)
    await answerNext(fx, 3)
    const after = await fx.handlers.getQueue({})
    expect(after.counts.review).toBe(0)
    expect(after.card?.state).toBe(0) // on to new cards
  })

  it('undo restores the card exactly and removes its log entry', async () => {
    const fx = studyFixture()
    const before = cardRow(fx, 'n1')
    await answerNext(fx, 1, 'net')
    expect(logCount(fx)).toBe(1)
    expect(cardRow(fx, 'n1').state).toBe(1)
    const undone = await fx.handlers.undo({})
    expect(undone).toEqual({ label: 'Answer Again', cardIds: ['n1'], history: { undo: null, redo: 'Answer Again' } })
    expect((await fx.handlers.getQueue({ deckId: 'net', first: 'n1' })).card?.id).toBe('n1')
    expect(logCount(fx)).toBe(0)
    const { updated_at: _a, ...restored } = cardRow(fx, 'n1')
    const { updated_at: _b, ...original } = before
    expect(restored).toEqual(original)
    // Exact: the day's totals row the answer created is gone again, not left at zero.
    expect(fx.collection.db.prepare('SELECT count(*) AS n FROM review_daily').get()).toEqual({ n: 0 })
    expect((await fx.handlers.undo({})).label).toBeNull()
  })

  it('buries a card until the next study day and suspends another for good', async () => {
    const fx = studyFixture()
    let queue = await fx.handlers.buryCard({ cardId: 'n1', deckId: 'net' })
    expect(queue.card?.id).toBe('n2')
    queue = await fx.handlers.suspendCard({ cardId: 'n2', deckId: 'net' })
    expect(queue.card?.id).toBe('n3')
    expect(queue.counts.new).toBe(3)
    expect(() => fx.handlers.answerCard({ cardId: 'n2', rating: 3, durationMs: 1 })).toThrow(/suspended/)
    fx.clock.advance(DAY)
    queue = await fx.handlers.getQueue({ deckId: 'net' })
    expect(queue.card?.id).toBe('n1')
    expect(queue.counts.new).toBe(4)
  })

  it('stores the same card state ts-fsrs computes for the same history', async () => {
    const fx = studyFixture()
    const history: [number, 1 | 2 | 3 | 4][] = [
      [0, 3],
      [10 * MIN, 3],
      [3 * DAY, 3],
      [10 * DAY, 1],
      [10 * DAY + 10 * MIN, 3],
      [25 * DAY, 2],
      [60 * DAY, 4]
    ]
    const start = fx.clock()
    const scheduler = fsrs(
      generatorParameters({
        request_retention: DEFAULT_SETTINGS.desiredRetention,
        maximum_interval: DEFAULT_SETTINGS.maximumIntervalDays,
        learning_steps: DEFAULT_SETTINGS.learningSteps as StepUnit[],
        relearning_steps: DEFAULT_SETTINGS.relearningSteps as StepUnit[],
        enable_fuzz: true,
        enable_short_term: true
      })
    ).useStrategy(StrategyMode.SEED, GenSeedStrategyWithCardId('cid'))
    let expected: Card & { cid: string } = {
      cid: 'o1',
      due: new Date(start),
      stability: 0,
      difficulty: 0,
      elapsed_days: 0,
      scheduled_days: 0,
      learning_steps: 0,
      reps: 0,
      lapses: 0,
      state: 0
    }
    for (const [offset, rating] of history) {
      fx.clock.set(start + offset)
      await fx.handlers.answerCard({ cardId: 'o1', rating, durationMs: 1000 })
      expected = { ...scheduler.next(expected, new Date(start + offset), rating).card, cid: 'o1' }
    }
    const row = cardRow(fx, 'o1')
    expect(row).toMatchObject({
      state: expected.state,
      due: expected.due.getTime(),
      stability: expected.stability,
      difficulty: expected.difficulty,
      reps: expected.reps,
      lapses: expected.lapses,
      scheduled_days: expected.scheduled_days,
      learning_steps: expected.learning_steps,
      last_review: expected.last_review!.getTime()
    })
    const log = fx.collection.db.prepare("SELECT * FROM review_log WHERE card_id = 'o1' ORDER BY id").all() as Record<
      string,
      unknown
    >[]
    expect(log).toHaveLength(history.length)
    expect(log[3]).toMatchObject({ rating: 1, state: 2, duration_ms: 1000, source: 'review', deck_id: 'other' })
    for (const key of ['reviewed_at', 'elapsed_days', 'scheduled_days', 'stability', 'difficulty', 'last_elapsed_days'])
      expect(log[3]).toHaveProperty(key)
  })
})

describe('settings', () => {
  it('keeps deck overrides apart from global settings and refuses out-of-range values', async () => {
    const fx = studyFixture()
    const view = await fx.handlers.updateSettings({ deckId: 'net', settings: { desiredRetention: 0.85 } })
    expect(view.effective.desiredRetention).toBe(0.85)
    expect(view.global.desiredRetention).toBe(0.9)
    expect((await fx.handlers.getSettings({ deckId: 'other' })).effective.desiredRetention).toBe(0.9)
    const cleared = await fx.handlers.updateSettings({ deckId: 'net', settings: { desiredRetention: null } })
    expect(cleared.effective.desiredRetention).toBe(0.9)
    const dispatch = createDispatch(fx.handlers)
    expect(await dispatch('updateSettings', { settings: { desiredRetention: 0.5 } })).toMatchObject({
      ok: false,
      code: 'validation'
    })
    expect(await dispatch('updateSettings', { deckId: 'net', settings: { dayStartHour: 3 } })).toMatchObject({
      ok: false,
      code: 'validation'
    })
  })
})

describe('parameter optimization', () => {
  it('refuses below 400 reviews and fits weights above it with the maintained optimizer', async () => {
    const fx = studyFixture(40)
    const status = await fx.handlers.optimizerStatus({})
    expect(status).toMatchObject({ available: true, reviews: 0, needed: 400 })
    await expect(fx.handlers.optimizeParameters({})).rejects.toThrow(/at least 400/)
    // 40 cards answered over 60 days, mostly Good with some lapses: 480 reviews.
    for (let day = 0; day < 12; day++) {
      for (let i = 1; i <= 40; i++) {
        fx.clock.set(Date.UTC(2026, 2, 2 + day * 5, 9, 0, i))
        await fx.handlers.answerCard({ cardId: `n${i}`, rating: (i + day) % 7 === 0 ? 1 : 3, durationMs: 3000 })
      }
    }
    const result = await fx.handlers.optimizeParameters({})
    expect(result.reviews).toBe(480)
    expect(result.weights.length).toBeGreaterThanOrEqual(19)
    expect(result.weights.every(Number.isFinite)).toBe(true)
    expect((await fx.handlers.getSettings({})).global.weights).toEqual(result.weights)
    // The new weights are used: the next answer still schedules without error.
    fx.clock.set(Date.UTC(2026, 5, 1, 9))
    expect(fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 1 })).toMatchObject({
      counts: expect.any(Object)
    })
  })
})
