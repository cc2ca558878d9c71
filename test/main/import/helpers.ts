// Shared bits for the import tests: fixture paths and row readers.
import { join } from 'node:path'
import type { Db } from '../../../src/main/store/db'

export const FIXTURES = join(__dirname, '../../fixtures/import')
export const fixture = (name: string) => join(FIXTURES, name)

export function rows(db: Db, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return db.prepare(sql).all(...params) as Record<string, unknown>[]
}

export function one(db: Db, sql: string, ...params: unknown[]): Record<string, unknown> {
  const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined
  if (!row) throw new Error(`no row for ${sql}`)
  return row
}

export function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
}
