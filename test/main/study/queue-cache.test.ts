// The queue keeps each deck's counts between requests (study/queue-cache.ts). Whatever happens,
// what it answers must equal what a fresh count gives: checked here against a second connection
// to the same file whose kept counts are dropped before every question.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import type { QueueState, Rating } from '../../../src/shared/study'
import { studyFixture } from '../../helpers/study'
import { fixedClock, tempDir } from '../../helpers/temp'

const MIN = 60_000

function withReference(fx: ReturnType<typeof studyFixture>) {
  const fresh = openCollection({
    dataDir: fx.dataDir,
    contentDir: fx.contentDir,
    door: 'cli',
    clock: fx.clock,
    tzOffset: () => 0,
    autoBackup: false
  })
  // A write to a temp table moves this connection's change stamp, so nothing kept is used.
  fresh.db.exec('CREATE TEMP TABLE nudge (x)')
  const nudge = fresh.db.prepare('INSERT INTO temp.nudge VALUES (1)')
  const summary = (q: QueueState) => ({ card: q.card?.id ?? null, counts: q.counts, heldBack: q.heldBack })
  return {
    fresh,
    /** The queue of `deckId` (all decks when undefined) from the app and from the reference agree. */
    async agree(deckId?: string): Promise<QueueState> {
      const app = await fx.handlers.getQueue({ deckId })
      nudge.run()
      const reference = await fresh.handlers.getQueue({ deckId })
      expect(summary(app)).toEqual(summary(reference))
      return app
    },
    async agreeHome(): Promise<void> {
      const app = await fx.handlers.listDecks({})
      nudge.run()
      expect(app).toEqual(await fresh.handlers.listDecks({}))
    }
  }
}

/** A small seeded generator (xorshift32), so a failing sequence repeats. */
function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

describe("the queue's kept counts", () => {
  it('stay exact, action after action, when brought up to date from the rows each action changed', async () => {
    const fx = studyFixture(40)
    const ref = withReference(fx)
    const decks = [undefined, 'net', 'other'] as const
    try {
      // Tight limits, so the counts are cut at their caps and the limits hold cards back.
      await fx.handlers.updateSettings({ deckId: 'net', settings: { newPerDay: 6, reviewsPerDay: 4 } })
      // Reviews due today, and learning cards spread over the next hour (outside a recorded action).
      const db = fx.collection.db
      const now = fx.clock()
      const setState = db.prepare(`UPDATE cards SET state = @state, due = @due, stability = 3, difficulty = 5, reps = 2,
        scheduled_days = 3, last_review = @last WHERE id = @id`)
      for (let i = 1; i <= 40; i++) {
        if (i % 3 === 0) setState.run({ id: `n${i}`, state: 2, due: now - i * MIN, last: now - 3 * 86_400_000 })
        if (i % 7 === 0) setState.run({ id: `n${i}`, state: 1 + 2 * (i % 2), due: now + i * MIN, last: now - MIN })
      }
      const random = seededRandom(11)
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
      const file = join(fx.contentDir, 'decks/net/cards.md')
      const kinds = { answer: 0, bury: 0, suspend: 0, undo: 0, redo: 0, sync: 0, wait: 0 }
      for (let step = 0; step < 160; step++) {
        const deckId = pick(decks)
        const q = await ref.agree(deckId)
        const r = random()
        if (r < 0.5 && q.card) {
          const rating = pick([1, 2, 3, 3, 4] as Rating[])
          await fx.handlers.answerCard({ cardId: q.card.id, rating, durationMs: 1000, deckId })
          kinds.answer++
        } else if (r < 0.58 && q.card) {
          await fx.handlers.buryCard({ cardId: q.card.id, deckId })
          kinds.bury++
        } else if (r < 0.63 && q.card) {
          await fx.handlers.suspendCard({ cardId: q.card.id, deckId })
          kinds.suspend++
        } else if (r < 0.75) {
          await fx.handlers.undo({})
          kinds.undo++
        } else if (r < 0.82) {
          await fx.handlers.redo({})
          kinds.redo++
        } else if (r < 0.86) {
          // A content sync that changes a card's text (rows written outside any recorded action).
          writeFileSync(file, readFileSync(file, 'utf8').replace(/Question n(\d+)\?( edited)*/, '$& edited'))
          await fx.handlers.syncContent({})
          kinds.sync++
        } else {
          fx.clock.advance(Math.floor(random() * 12) * MIN)
          kinds.wait++
        }
        for (const deck of decks) await ref.agree(deck)
        await ref.agreeHome()
      }
      // Every kind of step ran (the seed makes this the same every run).
      for (const n of Object.values(kinds)) expect(n).toBeGreaterThan(0)
    } finally {
      ref.fresh.close()
    }
  })

  it('match a fresh count after answers, sibling burials, bury, suspend, undo and redo', async () => {
    const fx = studyFixture()
    const ref = withReference(fx)
    try {
      for (const deck of [undefined, 'net', 'other']) await ref.agree(deck)
      await ref.agreeHome()
      // Answer across all decks until the cloze block comes up: its sibling is buried.
      for (let i = 0; i < 9; i++) {
        const q = await ref.agree()
        if (!q.card) break
        await fx.handlers.answerCard({ cardId: q.card.id, rating: 3, durationMs: 1000, deckId: undefined })
        await ref.agree('other')
        await ref.agree()
      }
      const before = await ref.agree()
      expect(before.counts.new).toBeLessThan(10)
      const target = (await ref.agree('net')).card!.id
      await fx.handlers.buryCard({ cardId: target, deckId: 'net' })
      await ref.agree('net')
      await ref.agree()
      await fx.handlers.undo({})
      await ref.agree()
      await ref.agree('net')
      await fx.handlers.redo({})
      await ref.agree()
      await fx.handlers.suspendCard({ cardId: (await ref.agree('other')).card!.id, deckId: 'other' })
      await ref.agree()
      await ref.agreeHome()
    } finally {
      ref.fresh.close()
    }
  })

  it('match a fresh count when made ahead of the first request (warm), and after an answer', async () => {
    const fx = studyFixture()
    const ref = withReference(fx)
    try {
      await fx.collection.warm()
      await ref.agreeHome()
      const q = await ref.agree()
      await fx.handlers.answerCard({ cardId: q.card!.id, rating: 3, durationMs: 1000, deckId: undefined })
      for (const deck of [undefined, 'net', 'other']) await ref.agree(deck)
      await ref.agreeHome()
    } finally {
      ref.fresh.close()
    }
  })

  it('see writes made outside a recorded action, by this connection or another', async () => {
    const fx = studyFixture()
    const ref = withReference(fx)
    try {
      const first = await ref.agree('net')
      expect(first.counts.new).toBe(5)
      // This connection, outside undo: a settings change and a direct write.
      await fx.handlers.updateSettings({ deckId: 'net', settings: { newPerDay: 2 } })
      expect((await ref.agree('net')).counts.new).toBe(2)
      fx.collection.db.prepare("UPDATE cards SET suspended = 1 WHERE id = 'o1'").run()
      expect((await ref.agree()).counts.new).toBe(2 + 3 + 2 - 1)
      // Another connection (the reference) commits: data_version tells this one.
      ref.fresh.db.prepare("UPDATE cards SET suspended = 0 WHERE id = 'o1'").run()
      expect((await ref.agree()).counts.new).toBe(2 + 3 + 2)
    } finally {
      ref.fresh.close()
    }
  })

  it('count a buried card again once its burial ends, with nothing written in between', async () => {
    const fx = studyFixture()
    const ref = withReference(fx)
    try {
      fx.collection.db.prepare("UPDATE cards SET buried_until = ? WHERE id = 'n1'").run(fx.clock() + 30 * MIN)
      const buried = await ref.agree('net')
      expect(buried.counts.new).toBe(4)
      expect(buried.card?.id).toBe('n2')
      expect((await ref.agree()).counts.new).toBe(4 + 3 + 2)
      fx.clock.advance(30 * MIN)
      const back = await ref.agree('net')
      expect(back.counts.new).toBe(5)
      expect(back.card?.id).toBe('n1')
      expect((await ref.agree()).counts.new).toBe(5 + 3 + 2)
    } finally {
      ref.fresh.close()
    }
  })

  it('count a learning card once it comes within the learn-ahead window, with nothing written in between', async () => {
    const fx = studyFixture()
    const ref = withReference(fx)
    try {
      fx.collection.db
        .prepare(
          "UPDATE cards SET state = 1, due = ?, stability = 1, difficulty = 5, reps = 1, last_review = ? WHERE id = 'o2'"
        )
        .run(fx.clock() + 25 * MIN, fx.clock())
      expect((await ref.agree('other')).counts.learning).toBe(0)
      expect((await ref.agree()).counts.learning).toBe(0)
      fx.clock.advance(4 * MIN)
      expect((await ref.agree()).counts.learning).toBe(0)
      fx.clock.advance(1 * MIN)
      expect((await ref.agree('other')).counts.learning).toBe(1)
      expect((await ref.agree()).counts.learning).toBe(1)
      fx.clock.advance(25 * MIN)
      const due = await ref.agree('other')
      expect(due.card?.id).toBe('o2')
    } finally {
      ref.fresh.close()
    }
  })

  it('recount when the time zone moves the end of the study day, with nothing written', async () => {
    const content = studyFixture().contentDir
    const clock = fixedClock()
    let offset = 0
    const collection = openCollection({
      dataDir: tempDir('retransmit-data-'),
      contentDir: content,
      door: 'cli',
      clock,
      tzOffset: () => offset,
      autoBackup: false
    })
    try {
      // Due at 23:30 UTC: before the day's end at 04:00 UTC (UTC), after it at 23:00 UTC (UTC+5).
      collection.db
        .prepare(
          "UPDATE cards SET state = 2, due = ?, stability = 5, difficulty = 5, reps = 3, scheduled_days = 3, last_review = ? WHERE id = 'n1'"
        )
        .run(clock() + 14.5 * 3_600_000, clock() - 3 * 86_400_000)
      expect((await collection.handlers.getQueue({ deckId: 'net' })).counts.review).toBe(1)
      offset = -300
      expect((await collection.handlers.getQueue({ deckId: 'net' })).counts.review).toBe(0)
    } finally {
      collection.close()
    }
  })
})
