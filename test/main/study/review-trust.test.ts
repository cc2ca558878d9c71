// Sibling burying across study days, leech thresholds, and the count model checked against
// the cards the queue actually hands out. Fixed clock: 2026-03-02 09:00 UTC, rollover 04:00 UTC.
import { describe, expect, it } from 'vitest'
import { isLeechLapse, siblingsToBury } from '../../../src/main/study/review-rules'
import type { QueueState } from '../../../src/shared/study'
import { studyFixture, type StudyFixture } from '../../helpers/study'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** From FIXED_NOW (09:00) to 04:00 the next day plus a minute: the next study day. */
const TO_NEXT_DAY = 19 * HOUR + 60_000

const row = (fx: StudyFixture, id: string) =>
  fx.collection.db
    .prepare('SELECT state, suspended, buried_until AS buriedUntil, tags, lapses FROM cards WHERE id = ?')
    .get(id) as {
    state: number
    suspended: number
    buriedUntil: number | null
    tags: string
    lapses: number
  }

/** Answers whatever the queue shows with Easy (so nothing comes back today) until it is empty. */
async function walk(fx: StudyFixture, deckId?: string): Promise<string[]> {
  const seen: string[] = []
  let queue: QueueState = await fx.handlers.getQueue({ deckId })
  while (queue.card) {
    seen.push(queue.card.id)
    queue = await fx.handlers.answerCard({ cardId: queue.card.id, rating: 4, durationMs: 1000, deckId })
    if (seen.length > 100) throw new Error('the queue does not end')
  }
  return seen
}

function makeReview(fx: StudyFixture, ids: string[], dueOffsetMs: number): void {
  const now = fx.clock()
  const update = fx.collection.db.prepare(
    'UPDATE cards SET state = 2, stability = 10, difficulty = 5, reps = 4, scheduled_days = 10, last_review = ?, due = ? WHERE id = ?'
  )
  for (const id of ids) update.run(now - 10 * DAY, now + dueOffsetMs, id)
}

describe('sibling burying', () => {
  it('keeps cloze siblings apart on a study day and shows the second one the next day', async () => {
    const fx = studyFixture()
    const first = await fx.handlers.answerCard({ cardId: 'oz#c1', rating: 4, durationMs: 1000 })
    expect(first.buriedSiblings).toBe(1)
    expect(row(fx, 'oz#c2').buriedUntil).toBe(fx.clock() + 19 * HOUR) // 04:00 tomorrow
    expect(await walk(fx, 'other')).toEqual(['o1', 'o2', 'o3'])
    fx.clock.advance(TO_NEXT_DAY)
    expect((await fx.handlers.getQueue({ deckId: 'other' })).card?.id).toBe('oz#c2')
  })

  it('buries review and learning siblings due today, not those due later; each kind is a deck option', async () => {
    const fx = studyFixture()
    makeReview(fx, ['oz#c2'], -HOUR) // due an hour ago
    await fx.handlers.answerCard({ cardId: 'oz#c1', rating: 3, durationMs: 1000 })
    expect(row(fx, 'oz#c2').buriedUntil).not.toBeNull()

    const later = studyFixture()
    makeReview(later, ['oz#c2'], 3 * DAY) // not due today: nothing to hide
    expect((await later.handlers.answerCard({ cardId: 'oz#c1', rating: 3, durationMs: 1000 })).buriedSiblings).toBe(0)

    const off = studyFixture()
    await off.handlers.updateSettings({ deckId: 'other', settings: { buryReview: false } })
    makeReview(off, ['oz#c2'], -HOUR)
    expect((await off.handlers.answerCard({ cardId: 'oz#c1', rating: 3, durationMs: 1000 })).buriedSiblings).toBe(0)
    expect(row(off, 'oz#c2').buriedUntil).toBeNull()

    const learning = studyFixture()
    learning.collection.db
      .prepare(
        "UPDATE cards SET state = 1, stability = 1, difficulty = 5, reps = 1, due = ?, last_review = ? WHERE id = 'oz#c2'"
      )
      .run(learning.clock() + 5 * 60_000, learning.clock() - 60_000)
    expect((await learning.handlers.answerCard({ cardId: 'oz#c1', rating: 3, durationMs: 1000 })).buriedSiblings).toBe(
      1
    )
    await learning.handlers.updateSettings({ deckId: 'other', settings: { buryLearning: false } })
    await learning.handlers.undo({})
    expect((await learning.handlers.answerCard({ cardId: 'oz#c1', rating: 3, durationMs: 1000 })).buriedSiblings).toBe(
      0
    )
  })

  it('leaves suspended siblings and siblings already buried alone', () => {
    const base = { kind: 'cloze' as const, state: 0 as const, due: 0, suspended: 0, buriedUntil: null }
    const on = { buryNew: true, buryReview: true, buryLearning: true }
    const now = 1_000
    const siblings = [
      { ...base, id: 'a' },
      { ...base, id: 'b', suspended: 1 },
      { ...base, id: 'c', buriedUntil: now + 5 },
      { ...base, id: 'd', buriedUntil: now - 5 },
      { ...base, id: 'e', kind: 'drill' as const }
    ]
    expect(siblingsToBury(siblings, on, now, now + DAY)).toEqual(['a', 'd'])
  })

  it('treats cards linked to the same drill as siblings; buryNew off leaves new ones in', async () => {
    const fx = studyFixture()
    fx.collection.db.prepare("UPDATE cards SET drills = 'tcp-echo' WHERE id IN ('n1', 'n3')").run()
    await fx.handlers.answerCard({ cardId: 'n1', rating: 4, durationMs: 1000 })
    expect(row(fx, 'n3').buriedUntil).not.toBeNull()
    expect(await walk(fx, 'net')).toEqual(['n2', 'n4', 'n5'])

    const off = studyFixture()
    await off.handlers.updateSettings({ deckId: 'net', settings: { buryNew: false } })
    off.collection.db.prepare("UPDATE cards SET drills = 'tcp-echo' WHERE id IN ('n1', 'n3')").run()
    await off.handlers.answerCard({ cardId: 'n1', rating: 4, durationMs: 1000 })
    expect(await walk(off, 'net')).toEqual(['n2', 'n3', 'n4', 'n5'])
  })
})

describe('leeches', () => {
  it('reach the threshold, then every half threshold (Anki)', () => {
    const leechAt = (threshold: number) =>
      Array.from({ length: 20 }, (_v, i) => i + 1).filter((n) => isLeechLapse(n, threshold))
    expect(leechAt(8)).toEqual([8, 12, 16, 20])
    expect(leechAt(5)).toEqual([5, 7, 9, 11, 13, 15, 17, 19])
    expect(leechAt(1)).toEqual(Array.from({ length: 20 }, (_v, i) => i + 1))
  })

  /** Puts `id` in review with `lapses` lapses, due now, and fails it. */
  async function lapse(fx: StudyFixture, id: string, lapses: number) {
    makeReview(fx, [id], -HOUR)
    fx.collection.db.prepare('UPDATE cards SET lapses = ? WHERE id = ?').run(lapses, id)
    return fx.handlers.answerCard({ cardId: id, rating: 1, durationMs: 1000 })
  }

  it('the 8th lapse tags the card leech and suspends it; the 7th does not; Stats lists it', async () => {
    const fx = studyFixture()
    expect((await lapse(fx, 'n1', 6)).leech).toBeNull()
    expect(row(fx, 'n1')).toMatchObject({ lapses: 7, tags: '', suspended: 0 })
    const result = await lapse(fx, 'n2', 7)
    expect(result.leech).toEqual({ cardId: 'n2', lapses: 8, suspended: true })
    expect(row(fx, 'n2')).toMatchObject({ lapses: 8, tags: 'leech', suspended: 1 })
    expect(result.card?.id).not.toBe('n2')
    const stats = await fx.handlers.getStats({ days: 30 })
    expect(stats.leeches.map((l) => [l.id, l.lapses, l.suspended])).toEqual([['n2', 8, true]])
  })

  it('with the tag-only action the leech stays in the queue; a lower threshold fires earlier', async () => {
    const fx = studyFixture()
    await fx.handlers.updateSettings({ deckId: 'net', settings: { leechAction: 'tag', leechThreshold: 4 } })
    expect((await lapse(fx, 'n1', 3)).leech).toEqual({ cardId: 'n1', lapses: 4, suspended: false })
    expect(row(fx, 'n1')).toMatchObject({ tags: 'leech', suspended: 0 })
    expect((await lapse(fx, 'n1', 4)).leech).toBeNull() // 5: not 4 + 2
    expect((await lapse(fx, 'n1', 5)).leech).not.toBeNull() // 6 = 4 + 2
    expect(row(fx, 'n1').tags).toBe('leech') // tagged once
  })
})

describe('the count model matches what the queue hands out', () => {
  it('per deck and across all decks, under deck and global limits', async () => {
    const fx = studyFixture(6)
    await fx.handlers.updateSettings({ settings: { newPerDay: 4, reviewsPerDay: 3 } })
    await fx.handlers.updateSettings({ deckId: 'net', settings: { newPerDay: 2, reviewsPerDay: 2 } })
    makeReview(fx, ['n5', 'n6', 'o1', 'o2'], -HOUR)

    const decks = await fx.handlers.listDecks({})
    const net = decks.find((d) => d.id === 'net')!
    const other = decks.find((d) => d.id === 'other')!
    // net: 4 new, capped at 2; 2 reviews (limit 2). other: o3, oz#c1, oz#c2 new (limit 4); 2 reviews (limit 3).
    expect([net.new, net.review, net.due]).toEqual([2, 2, 2])
    expect([other.new, other.review]).toEqual([3, 2])
    for (const deck of decks) {
      const queue = await fx.handlers.getQueue({ deckId: deck.id })
      expect(queue.counts).toEqual({ new: deck.new, learning: deck.learning, review: deck.review })
    }

    const all = await fx.handlers.getQueue({})
    // Reviews: net 2 + other 2 = 4, global limit 3. New: net 2 + other 3 = 5, global 4.
    expect(all.counts).toEqual({ new: 4, learning: 0, review: 3 })
    // Held back, counted at least: net's limit holds back 1+ new, the global limits 1 new and 1 review.
    expect(all.heldBack).toEqual({ new: 2, review: 1 })
    const shown = await walk(fx)
    const states = shown.map((id) => (['n5', 'n6', 'o1', 'o2'].includes(id) ? 'review' : 'new'))
    expect(states.filter((s) => s === 'review')).toHaveLength(3)
    // oz#c2 is buried by its sibling oz#c1, so the new cards are net's two and other's o3, oz#c1.
    expect(shown.filter((id) => !['n5', 'n6', 'o1', 'o2'].includes(id))).toEqual(['n1', 'n2', 'o3', 'oz#c1'])
    expect(shown.filter((id) => id.startsWith('n') && states[shown.indexOf(id)] === 'new')).toHaveLength(2)

    const end = await fx.handlers.getQueue({})
    expect(end.counts).toEqual({ new: 0, learning: 0, review: 0 })
    // What is left is what each deck's Study would still show, and Home says the same.
    for (const deck of await fx.handlers.listDecks({})) {
      const queue = await fx.handlers.getQueue({ deckId: deck.id })
      expect(queue.counts).toEqual({ new: deck.new, learning: deck.learning, review: deck.review })
      expect(await walk(fx, deck.id)).toHaveLength(deck.new + deck.review)
    }
  })

  it('Home and Stats agree on each deck card count', async () => {
    const fx = studyFixture()
    const stats = await fx.handlers.getStats({ days: 30 })
    for (const deck of await fx.handlers.listDecks({})) {
      expect(stats.decks.find((d) => d.id === deck.id)?.cards).toBe(deck.cards)
    }
  })
})
