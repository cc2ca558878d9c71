// The interview plan on a fixed clock, with a simulated learner whose memory is FSRS's own model:
// each review card is recalled with the probability FSRS predicts for it at that moment.
import { describe, expect, it } from 'vitest'
import { curveFor, intervalLabel } from '../../../src/main/scheduler/fsrs'
import { DAY_MS, recallAt } from '../../../src/main/scheduler/interview-plan'
import { DEFAULT_SETTINGS } from '../../../src/main/study/settings'
import { seededRandom } from '../../../src/shared/seeded-random'
import type { CardState, Rating } from '../../../src/shared/study'
import { studyFixture, type StudyFixture } from '../../helpers/study'

const curve = curveFor(DEFAULT_SETTINGS)
/** 2026-03-02 04:00 UTC: a study day's start in the fixture's UTC "local" time (rollover 04:00). */
const DAY0 = Date.UTC(2026, 2, 2, 4)
const STUDY_HOUR = 6 * 3_600_000

function stateOf(fx: StudyFixture, id: string): CardState {
  return fx.collection.db
    .prepare(
      `SELECT state, due, stability, difficulty, elapsed_days AS elapsedDays, scheduled_days AS scheduledDays,
        learning_steps AS learningSteps, reps, lapses, last_review AS lastReview FROM cards WHERE id = ?`
    )
    .get(id) as CardState
}

/** One sitting a day, six hours after the rollover, until the queue has nothing left today. */
async function studyDays(fx: StudyFixture, days: number, seed: number): Promise<{ answers: number; lapses: number }> {
  const random = seededRandom(seed)
  let answers = 0
  let lapses = 0
  for (let day = 0; day < days; day++) {
    fx.clock.set(DAY0 + day * DAY_MS + STUDY_HOUR)
    const dayEnd = DAY0 + (day + 1) * DAY_MS
    for (;;) {
      const queue = await fx.handlers.getQueue({ deckId: 'net' })
      if (!queue.card) {
        if (queue.nextDue !== null && queue.nextDue < dayEnd) {
          fx.clock.set(Math.max(fx.clock() + 1000, queue.nextDue))
          continue
        }
        break
      }
      const before = stateOf(fx, queue.card.id)
      // Review cards are recalled as FSRS predicts; new and learning cards are being learnt now.
      const recalled = before.state !== 2 || random() < recallAt(curve, before, fx.clock())
      if (!recalled) lapses++
      const rating: Rating = recalled ? 3 : 1
      await fx.handlers.answerCard({ cardId: queue.card.id, rating, durationMs: 5000, deckId: 'net' })
      answers++
      fx.clock.advance(20_000)
    }
  }
  return { answers, lapses }
}

function meanRecall(fx: StudyFixture, ids: string[], at: number): number {
  return ids.reduce((sum, id) => sum + recallAt(curve, stateOf(fx, id), at), 0) / ids.length
}

const CARDS = 150
const DAYS = 6
const ids = Array.from({ length: CARDS }, (_v, i) => `n${i + 1}`)
const interviewStart = DAY0 + DAYS * DAY_MS

describe('planning to an interview date', () => {
  it('reaches the target recall on the day for a learner who follows it, where the plain schedule does not', async () => {
    const planned = studyFixture(CARDS, DAY0 + STUDY_HOUR)
    const view = await planned.handlers.setInterviewPlan({
      plan: { date: '2026-03-08', deckIds: ['net'], target: 0.9 }
    })
    expect(view.forecast?.daysLeft).toBe(DAYS)
    // The forecast predicts the target and spreads the 150 new cards over the days before the last.
    expect(view.forecast!.predictedRecall).toBeGreaterThanOrEqual(0.9)
    expect(view.forecast!.days.map((d) => d.newCards).reduce((a, b) => a + b, 0)).toBe(CARDS)
    expect(view.forecast!.days.at(-1)!.newCards).toBe(0)
    expect(view.forecast!.warnings).toEqual([])
    const run = await studyDays(planned, DAYS, 7)
    expect(run.lapses).toBeGreaterThan(0) // the learner does forget: the plan absorbs it
    const withPlan = meanRecall(planned, ids, interviewStart)
    expect(withPlan).toBeGreaterThanOrEqual(0.9)
    // Every card of the deck was introduced.
    expect(ids.filter((id) => stateOf(planned, id).state === 0)).toEqual([])

    // The same learner without a plan: 20 new cards a day leave some unseen on the day.
    const plain = studyFixture(CARDS, DAY0 + STUDY_HOUR)
    await studyDays(plain, DAYS, 7)
    const without = meanRecall(plain, ids, interviewStart)
    expect(without).toBeLessThan(0.9)
    expect(withPlan).toBeGreaterThan(without)
  }, 120_000)

  it('brings a review forward so it lands before the day, and leaves scheduling alone after it', async () => {
    const fx = studyFixture(3, DAY0 + STUDY_HOUR)
    const db = fx.collection.db
    // n1: a review card with 20 days of stability, last reviewed now: FSRS would wait about 20 days.
    db.prepare(
      "UPDATE cards SET state = 2, stability = 20, difficulty = 5, reps = 4, scheduled_days = 20, last_review = ?, due = ? WHERE id = 'n1'"
    ).run(DAY0 - 19 * DAY_MS, DAY0 + STUDY_HOUR)
    const answerAt = async (): Promise<CardState> => {
      await fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 4000 })
      return stateOf(fx, 'n1')
    }
    await fx.handlers.setInterviewPlan({ plan: { date: '2026-04-20', deckIds: ['net'], target: 0.95 } })
    // The Good button's label shows where the plan will put the card.
    const label = (await fx.handlers.getQueue({ deckId: 'net', first: 'n1' })).intervals![3]
    const capped = await answerAt()
    expect(label).toBe(intervalLabel(DAY0 + STUDY_HOUR, capped.due))
    const interviewDay = Date.UTC(2026, 3, 20, 4)
    expect(capped.due).toBeLessThan(interviewDay)
    expect(recallAt(curve, capped, interviewDay)).toBeLessThan(0.95) // without another review it would fall short
    expect(recallAt(curve, capped, capped.due)).toBeGreaterThanOrEqual(0.95 - 1e-9)

    // Without the plan the same answer schedules past the interview.
    const fx2 = studyFixture(3, DAY0 + STUDY_HOUR)
    fx2.collection.db
      .prepare(
        "UPDATE cards SET state = 2, stability = 20, difficulty = 5, reps = 4, scheduled_days = 20, last_review = ?, due = ? WHERE id = 'n1'"
      )
      .run(DAY0 - 19 * DAY_MS, DAY0 + STUDY_HOUR)
    const plainLabel = (await fx2.handlers.getQueue({ deckId: 'net', first: 'n1' })).intervals![3]
    await fx2.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 4000 })
    expect(stateOf(fx2, 'n1').due).toBeGreaterThan(interviewDay)
    expect(plainLabel).toBe(intervalLabel(DAY0 + STUDY_HOUR, stateOf(fx2, 'n1').due))
    expect(plainLabel).not.toBe(label)

    // On the interview day the plan is over: the forecast is gone and answers schedule as usual.
    fx.clock.set(interviewDay + STUDY_HOUR)
    const after = await fx.handlers.getInterviewPlan({})
    expect(after.plan?.date).toBe('2026-04-20')
    expect(after.forecast).toBeNull()
    db.prepare("UPDATE cards SET due = ? WHERE id = 'n1'").run(fx.clock())
    const normal = await answerAt()
    expect(normal.due - fx.clock()).toBeGreaterThan(5 * DAY_MS)
  })

  it('refuses a date that is not ahead, or a deck that does not exist, and clears the plan', async () => {
    const fx = studyFixture(3, DAY0 + STUDY_HOUR)
    await expect(
      (async () => fx.handlers.setInterviewPlan({ plan: { date: '2026-03-02', deckIds: [], target: 0.9 } }))()
    ).rejects.toThrow(/not after today/)
    await expect(
      (async () => fx.handlers.setInterviewPlan({ plan: { date: '2026-03-09', deckIds: ['nope'], target: 0.9 } }))()
    ).rejects.toThrow(/no deck nope/)
    const set = await fx.handlers.setInterviewPlan({ plan: { date: '2026-03-09', deckIds: [], target: 0.9 } })
    expect(set.forecast?.cards).toBeGreaterThan(3) // no decks named: every deck
    expect((await fx.handlers.setInterviewPlan({ plan: null })).plan).toBeNull()
  })

  it('warns when the review limit is below what the plan needs', async () => {
    const fx = studyFixture(120, DAY0 + STUDY_HOUR)
    await fx.handlers.updateSettings({ settings: { reviewsPerDay: 5 } })
    await fx.handlers.setInterviewPlan({ plan: { date: '2026-03-05', deckIds: ['net'], target: 0.9 } })
    await studyDays(fx, 1, 3)
    const view = await fx.handlers.getInterviewPlan({})
    expect(view.forecast!.peakReviews).toBeGreaterThan(5)
    expect(view.forecast!.warnings.join(' ')).toMatch(/limit of 5/)
  })
})
