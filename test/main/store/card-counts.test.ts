// card_counts (migration 009) must always equal a count of the live cards: its triggers are
// checked here after every kind of change the services make to cards.
import { describe, expect, it } from 'vitest'
import { syncContentDir } from '../../../src/main/content/sync'
import type { Db } from '../../../src/main/store/db'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { tempDb } from '../../helpers/db'
import { studyFixture } from '../../helpers/study'
import { tempDir, writeTree } from '../../helpers/temp'
import { cardBlock, deckMd, topicMd } from '../../helpers/content'

const DAY = 86_400_000

function counted(db: Db): unknown[] {
  return db
    .prepare(`SELECT deck_id, state, suspended, mature, n FROM card_counts WHERE n != 0 ORDER BY 1, 2, 3, 4`)
    .all()
}

function truth(db: Db): unknown[] {
  return db
    .prepare(
      `SELECT deck_id, state, suspended, scheduled_days >= 21 AS mature, count(*) AS n FROM cards
               WHERE retired_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`
    )
    .all()
}

describe('card_counts', () => {
  it('matches the live cards after answers, maturing, suspend, bulk moves, resets, retiring and restoring', () => {
    const fx = studyFixture(6)
    const { db } = fx.collection
    const check = () => expect(counted(db)).toEqual(truth(db))
    check()

    // New -> learning -> review, then long intervals until the card is mature.
    for (let i = 0; i < 8; i++) {
      fx.handlers.answerCard({ cardId: 'n1', rating: 4, durationMs: 1000 })
      fx.clock.advance(60 * DAY)
      check()
    }
    expect(
      (db.prepare("SELECT scheduled_days FROM cards WHERE id = 'n1'").get() as { scheduled_days: number })
        .scheduled_days
    ).toBeGreaterThanOrEqual(21)
    fx.handlers.answerCard({ cardId: 'n1', rating: 1, durationMs: 1000 })
    check()

    fx.handlers.suspendCard({ cardId: 'n2' })
    check()
    fx.handlers.bulkCards({ cardIds: ['n2'], action: { action: 'unsuspend' } })
    fx.handlers.bulkCards({ cardIds: ['n3', 'n4'], action: { action: 'move', deckId: 'other' } })
    check()
    fx.handlers.bulkCards({ cardIds: ['n1'], action: { action: 'reset' } })
    check()
    fx.handlers.undo({})
    check()
  })

  it('follows content sync creating, retiring, restoring and moving cards', () => {
    const { db } = tempDb()
    const content = tempDir('retransmit-content-')
    const files = (ids: string[], deck = 'alpha') => ({
      'decks/alpha/deck.md': deckMd('Alpha'),
      'decks/beta/deck.md': deckMd('Beta'),
      [`decks/${deck}/cards.md`]: topicMd({ id: 'topic', blocks: ids.map((id) => cardBlock(id)) })
    })
    const check = () => expect(counted(db)).toEqual(truth(db))
    writeTree(content, files(['a1', 'a2', 'a3']))
    syncContentDir(db, content, 1)
    check()
    writeTree(content, files(['a1']))
    syncContentDir(db, content, 2)
    check()
    writeTree(content, files(['a1', 'a2', 'a3']))
    syncContentDir(db, content, 3)
    check()
    rmSync(join(content, 'decks', 'alpha', 'cards.md'))
    writeTree(content, files(['a1', 'a2'], 'beta'))
    syncContentDir(db, content, 4)
    check()
  })
})
