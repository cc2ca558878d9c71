// A real SQLite file in a temp folder, migrated, closed after the test file.
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openDatabase, type Db } from '../../src/main/store/db'
import { tempDir } from './temp'

const open: Db[] = []
afterAll(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
})

export function tempDb(): { db: Db; file: string } {
  const file = join(tempDir('retransmit-db-'), 'collection.sqlite')
  const db = openDatabase(file)
  open.push(db)
  return { db, file }
}

/** SQLite's count of rows changed by this connection since it opened. */
export function totalChanges(db: Db): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n
}

/** Runs `use` with a stand-in `db` whose `prepare` notes the SQL it is given; returns that SQL. */
export function recordPrepared(db: Db, use: (recording: Db) => void): string[] {
  const sources: string[] = []
  const recording = new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') {
        return (sql: string) => {
          sources.push(sql)
          return target.prepare(sql)
        }
      }
      const value = Reflect.get(target, key, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
  use(recording)
  return sources
}
