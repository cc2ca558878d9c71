// What a failed operation must leave untouched: every table's row count and SQLite's own
// integrity check.
import type { Db } from '../../../src/main/store/db'

export interface DbSnapshot {
  counts: Record<string, number>
  integrity: string
}

export function snapshot(db: Db): DbSnapshot {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[]
  const counts: Record<string, number> = {}
  for (const { name } of tables)
    counts[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n
  const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[])
    .map((r) => r.integrity_check)
    .join('; ')
  return { counts, integrity }
}
