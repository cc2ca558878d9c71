// Every statement the Stats store prepares must ride an index: no step of its query plan may
// scan the cards table or review_log (which holds a million rows in the performance target).
// The statements are collected as the store prepares them, so a new one is checked too.
import { describe, expect, it } from 'vitest'
import type { Db } from '../../../src/main/store/db'
import { createStatsStore } from '../../../src/main/store/stats'
import { recordPrepared, tempDb } from '../../helpers/db'

interface PlanRow {
  detail: string
}

/** Values for every named parameter any Stats statement uses. */
function params(deck: string | null) {
  return { from: 20_000, to: 20_500, until: 1_800_000_000_000, deck, mature: 21, limit: 20 }
}

function plan(db: Db, sql: string, deck: string | null): string[] {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const named = sql.includes('@')
  const rows = (named ? statement.all(pick(sql, params(deck))) : statement.all()) as PlanRow[]
  return rows.map((row) => row.detail)
}

/** Only the parameters the statement names (better-sqlite3 refuses unknown ones). */
function pick(sql: string, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => new RegExp(`@${name}\\b`).test(sql)))
}

describe('stats store query plans', () => {
  const { db } = tempDb()
  const sources = recordPrepared(db, (recording) => void createStatsStore(recording))

  it('prepares the statements it is expected to', () => {
    expect(sources.length).toBeGreaterThanOrEqual(10)
  })

  for (const deck of [null, 'alpha']) {
    it(`never scans cards or review_log (deck ${deck ?? 'all'})`, () => {
      for (const sql of sources) {
        const steps = plan(db, sql, deck)
        const scans = steps.filter((step) => /^SCAN (cards|review_log)\b/.test(step.replace(/^(CORRELATED )?/, '')))
        expect({ sql: sql.trim().split('\n')[0], scans }).toEqual({ sql: sql.trim().split('\n')[0], scans: [] })
        expect(steps.join('\n')).not.toMatch(/\breview_log\b/)
      }
    })
  }

  it('reads review_daily by its primary key and cards by an index search', () => {
    const details = sources.flatMap((sql) => plan(db, sql, 'alpha'))
    const daily = details.filter((d) => d.includes('review_daily'))
    expect(daily.length).toBeGreaterThan(0)
    for (const d of daily) expect(d).toMatch(/^(SEARCH|SCAN) review_daily USING PRIMARY KEY/)
    const cards = details.filter((d) => /\bcards\b/.test(d) && !d.startsWith('CORRELATED'))
    for (const d of cards) expect(d).toMatch(/^SEARCH (cards|c) USING (COVERING )?INDEX cards_/)
  })
})
