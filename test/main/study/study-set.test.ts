// "Study these cards": Review over a chosen set, whatever the cards' due dates.
import { describe, expect, it } from 'vitest'
import type { QueueState, StudySet } from '../../../src/shared/study'
import { studyFixture } from '../../helpers/study'

const DAY = 86_400_000

describe('studying a chosen set of cards', () => {
  it('shows each card of the set once, in the set order, even when none is due', async () => {
    const fx = studyFixture()
    // n3 becomes a review card due in ten days: the normal queue would not show it today.
    fx.collection.db
      .prepare(
        "UPDATE cards SET state = 2, stability = 20, difficulty = 5, reps = 3, scheduled_days = 20, last_review = ?, due = ? WHERE id = 'n3'"
      )
      .run(fx.clock() - DAY, fx.clock() + 10 * DAY)
    const set: StudySet = { cardIds: ['n3', 'n1'], since: fx.clock() }
    let queue = await fx.handlers.getQueue({ set })
    expect(queue.card?.id).toBe('n3')
    expect(queue.counts).toEqual({ new: 1, learning: 0, review: 1 })
    queue = await fx.handlers.answerCard({ cardId: 'n3', rating: 3, durationMs: 3000, set })
    expect(queue.card?.id).toBe('n1')
    queue = await fx.handlers.answerCard({ cardId: 'n1', rating: 4, durationMs: 3000, set })
    expect(queue.card).toBeNull()
    expect(queue.counts).toEqual({ new: 0, learning: 0, review: 0 })
    // The answers scheduled the cards as any review does: n3's stability grew.
    const n3 = fx.collection.db.prepare("SELECT stability, reps FROM cards WHERE id = 'n3'").get() as {
      stability: number
      reps: number
    }
    expect(n3.reps).toBe(4)
    expect(n3.stability).toBeGreaterThan(20)
  })

  it('brings a card answered Again back after the others, and lets it go once it is recalled', async () => {
    const fx = studyFixture()
    const set: StudySet = { cardIds: ['n1', 'n2'], since: fx.clock() }
    let queue = await fx.handlers.answerCard({ cardId: 'n1', rating: 1, durationMs: 3000, set })
    expect(queue.card?.id).toBe('n2')
    queue = await fx.handlers.answerCard({ cardId: 'n2', rating: 3, durationMs: 3000, set })
    expect(queue.card?.id).toBe('n1')
    expect(queue.counts.learning).toBe(1)
    fx.clock.advance(1000)
    queue = await fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 3000, set })
    expect(queue.card).toBeNull()
  })

  it('leaves out suspended cards, and an undo of an answer puts the card back in the set', async () => {
    const fx = studyFixture()
    const set: StudySet = { cardIds: ['n1', 'n2', 'n3'], since: fx.clock() }
    await fx.handlers.suspendCard({ cardId: 'n2', set })
    let queue: QueueState = await fx.handlers.answerCard({ cardId: 'n1', rating: 3, durationMs: 3000, set })
    expect(queue.card?.id).toBe('n3')
    expect(queue.counts.new).toBe(1)
    await fx.handlers.undo({})
    queue = await fx.handlers.getQueue({ set })
    expect(queue.card?.id).toBe('n1')
    expect(queue.counts.new).toBe(2)
  })

  it('studies a set across decks without the daily limits', async () => {
    const fx = studyFixture()
    await fx.handlers.updateSettings({ settings: { newPerDay: 0 } })
    expect((await fx.handlers.getQueue({})).card).toBeNull()
    const other = (
      await fx.handlers.browseCards({ query: '-deck:net', sort: 'position', descending: false, limit: 10, offset: 0 })
    ).rows.map((r) => r.id)
    expect(other.length).toBeGreaterThan(0)
    const queue = await fx.handlers.getQueue({ set: { cardIds: ['n1', ...other], since: fx.clock() } })
    expect(queue.card?.id).toBe('n1')
    expect(queue.counts.new).toBe(1 + other.length)
  })
})
