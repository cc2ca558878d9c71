// Browse with no search in position order starts its page at the deck the offset falls in
// (store/browse.ts, from card_counts) instead of skipping `offset` index entries from the first
// card. Its pages and totals must be exactly the ones the ordinary path gives: `prop:reps>=0`
// matches every card and takes that path (a WHERE the shortcut does not know).
import { describe, expect, it } from 'vitest'
import type { BrowseRow } from '../../../src/shared/study'
import { studyFixture } from '../../helpers/study'

describe('Browse pages with no search', () => {
  const fx = studyFixture(7)
  const db = fx.collection.db
  // A retired card (kept for its history) is not listed; a suspended one is.
  db.prepare("UPDATE cards SET retired_at = 1 WHERE id = 'n3'").run()
  db.prepare("UPDATE cards SET suspended = 1 WHERE id = 'o2'").run()
  const live = (db.prepare('SELECT count(*) AS n FROM cards WHERE retired_at IS NULL').get() as { n: number }).n
  const page = (query: string, descending: boolean, limit: number, offset: number) =>
    fx.handlers.browseCards({ query, sort: 'position', descending, limit, offset }) as {
      total: number
      rows: BrowseRow[]
    }

  it('gives the same pages and totals as the ordinary path, across decks and past the end', () => {
    expect(live).toBeGreaterThan(10)
    let compared = 0
    for (const descending of [false, true])
      for (const limit of [1, 3, 5, 100])
        for (let offset = 0; offset <= live + 2; offset++) {
          const quick = page('', descending, limit, offset)
          const plain = page('prop:reps>=0', descending, limit, offset)
          expect({ descending, limit, offset, quick }).toEqual({ descending, limit, offset, quick: plain })
          expect(quick.total).toBe(live)
          compared += quick.rows.length
        }
    expect(compared).toBeGreaterThan(100)
    // Every live card once, in deck order, each deck in position order.
    const all = page('', false, 1000, 0).rows.map((r) => r.id)
    expect(all).toHaveLength(live)
    expect(new Set(all).size).toBe(live)
    expect(all).not.toContain('n3')
    expect(all).toContain('o2')
  })

  it('follows a change in the counts (a card added to the first deck moves the second deck later)', () => {
    const before = page('', false, 1, 6).rows[0]!.id
    db.prepare("UPDATE cards SET retired_at = NULL WHERE id = 'n3'").run()
    const after = page('', false, 1, 7).rows[0]!.id
    expect(after).toBe(before)
    expect(page('', false, 1, 7)).toEqual(page('prop:reps>=0', false, 1, 7))
  })
})
