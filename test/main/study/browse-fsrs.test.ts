// Browse's FSRS columns and Anki's searches prop:s, prop:d, prop:r, rated:N[:G] and flag:N;
// card info's history. Recall probability is checked against ts-fsrs's own get_retrievability.
import { createEmptyCard, fsrs, generatorParameters } from 'ts-fsrs'
import { describe, expect, it } from 'vitest'
import { parseBrowseQuery } from '../../../src/main/study/browse-query'
import type { BrowseRow } from '../../../src/shared/study'
import { studyFixture, type StudyFixture } from '../../helpers/study'

const DAY = 86_400_000

async function search(fx: StudyFixture, query: string): Promise<BrowseRow[]> {
  return (await fx.handlers.browseCards({ query, sort: 'position', descending: false, limit: 100, offset: 0 })).rows
}
const ids = async (fx: StudyFixture, query: string) => (await search(fx, query)).map((r) => r.id)

/** n1: S 30 d, D 8.2, reviewed 10 days ago (R about 0.95); n2: S 5 d, D 3.7, reviewed 30 days ago (R about 0.74). */
function seed(fx: StudyFixture): void {
  const set = fx.collection.db.prepare(
    'UPDATE cards SET state = 2, stability = ?, difficulty = ?, reps = 3, scheduled_days = ?, last_review = ?, due = ? WHERE id = ?'
  )
  set.run(30, 8.2, 30, fx.clock() - 10 * DAY, fx.clock() + 20 * DAY, 'n1')
  set.run(5, 3.7, 5, fx.clock() - 30 * DAY, fx.clock() - 25 * DAY, 'n2')
}

describe('Browse FSRS columns and searches', () => {
  it('shows D, S and R, with R as ts-fsrs computes it', async () => {
    const fx = studyFixture()
    seed(fx)
    const rows = await search(fx, 'deck:net')
    const n1 = rows.find((r) => r.id === 'n1')!
    const n3 = rows.find((r) => r.id === 'n3')!
    expect([n1.difficulty, n1.stability]).toEqual([8.2, 30])
    expect([n3.difficulty, n3.stability, n3.retrievability]).toEqual([null, null, null])
    const f = fsrs(generatorParameters())
    for (const [id, stability, days] of [
      ['n1', 30, 10],
      ['n2', 5, 30]
    ] as const) {
      const card = {
        ...createEmptyCard(new Date(fx.clock() - days * DAY)),
        state: 2,
        stability,
        difficulty: 5,
        last_review: new Date(fx.clock() - days * DAY)
      }
      const expected = f.get_retrievability(card, new Date(fx.clock()), false)
      expect(rows.find((r) => r.id === id)!.retrievability).toBeCloseTo(expected, 7)
    }
  })

  it('prop:s, prop:d (0-1 as in Anki) and prop:r, negated too; new cards match none of them', async () => {
    const fx = studyFixture()
    seed(fx)
    expect(await ids(fx, 'prop:s>21')).toEqual(['n1'])
    expect(await ids(fx, 'prop:s<=5')).toEqual(['n2'])
    // D 8.2 is (8.2 - 1) / 9 = 0.8 on Anki's scale; D 3.7 is 0.3.
    expect(await ids(fx, 'prop:d>0.7')).toEqual(['n1'])
    expect(await ids(fx, 'prop:d<0.5')).toEqual(['n2'])
    expect(await ids(fx, 'prop:r<0.8')).toEqual(['n2'])
    expect(await ids(fx, 'prop:r>0.9')).toEqual(['n1'])
    expect(await ids(fx, 'deck:net -prop:r<0.8')).toEqual(['n1', 'n3', 'n4', 'n5'])
  })

  it('rated:N is answered in the last N study days, rated:N:G with that grade', async () => {
    const fx = studyFixture()
    await fx.handlers.answerCard({ cardId: 'n1', rating: 1, durationMs: 1000 })
    fx.clock.advance(3 * DAY)
    await fx.handlers.answerCard({ cardId: 'n2', rating: 3, durationMs: 1000 })
    expect(await ids(fx, 'rated:1')).toEqual(['n2'])
    expect(await ids(fx, 'rated:7')).toEqual(['n1', 'n2'])
    expect(await ids(fx, 'rated:7:1')).toEqual(['n1'])
    expect(await ids(fx, 'rated:7:3')).toEqual(['n2'])
    expect(await ids(fx, 'rated:3')).toEqual(['n2'])
    expect(await ids(fx, 'rated:4')).toEqual(['n1', 'n2'])
  })

  it('flags: flag:N finds them, flag:0 the unflagged', async () => {
    const fx = studyFixture()
    await fx.handlers.flagCards({ cardIds: ['n1', 'n4'], flag: 1 })
    await fx.handlers.flagCards({ cardIds: ['n2'], flag: 7 })
    expect(await ids(fx, 'flag:1')).toEqual(['n1', 'n4'])
    expect(await ids(fx, 'flag:7')).toEqual(['n2'])
    expect(await ids(fx, 'deck:net flag:0')).toEqual(['n3', 'n5'])
    expect((await search(fx, 'flag:1'))[0]!.flag).toBe(1)
  })

  it('refuses malformed values with a message naming the right form', () => {
    expect(() => parseBrowseQuery('prop:r<high')).toThrow(/prop: takes lapses, reps, ivl, due, s, d or r/)
    expect(() => parseBrowseQuery('prop:lapses>2.5')).toThrow(/whole number/)
    expect(() => parseBrowseQuery('rated:0')).toThrow(/rated: takes days/)
    expect(() => parseBrowseQuery('rated:7:5')).toThrow(/rated: takes days/)
    expect(() => parseBrowseQuery('flag:8')).toThrow(/flag: takes 0/)
  })
})

describe('card info', () => {
  it('lists every review with the state it left, and the curve from the last one', async () => {
    const fx = studyFixture()
    await fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 1000 })
    fx.clock.advance(10 * 60_000)
    await fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 1000 })
    const card = fx.collection.db
      .prepare(
        "SELECT stability, difficulty, due, last_review AS lastReview, scheduled_days AS ivl FROM cards WHERE id = 'n1'"
      )
      .get() as {
      stability: number
      difficulty: number
      due: number
      lastReview: number
      ivl: number
    }
    const info = await fx.handlers.cardInfo({ id: 'n1' })
    expect(info.reviews.map((r) => r.rating)).toEqual([3, 3])
    expect(info.reviews[0]!.retrievability).toBeNull() // a new card has no recall probability yet
    expect(info.reviews[1]!.retrievability).toBeGreaterThan(0.9)
    // After the last answer: the card's own state.
    expect(info.reviews[1]).toMatchObject({
      difficulty: card.difficulty,
      stability: card.stability,
      intervalDays: card.ivl
    })
    expect(info.dueAfterDays).toBeCloseTo((card.due - card.lastReview) / DAY, 9)
    expect(info.curve[0]).toEqual({ days: 0, retrievability: 1 })
    const rs = info.curve.map((p) => p.retrievability)
    expect(rs.every((r, i) => i === 0 || r < rs[i - 1]!)).toBe(true) // falls all the way
    expect(info.retrievability).toBe(1) // just reviewed
  })
})
