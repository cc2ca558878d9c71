// Many rows into one table with few statements. A statement per row costs more than SQLite's
// own work of storing the row: binding and stepping each statement, and above all the
// full-text indexes, which do per-statement work (20,000 imported cards one by one: 1.7 s of
// CPU, 0.9 s of it in cards_fts; the same rows in one INSERT ... SELECT: 0.4 s).
import type { Db } from './db'

/** Rows per statement. SQLite allows 32,766 values in one statement; a card row has 27. */
export const ROWS_PER_STATEMENT = 100

/**
 * `head` is `INSERT INTO table (columns)`, `tuple` one row's `(?, ?, 'constant', ...)`.
 * The returned function writes rows (each the values for the tuple's `?`s) in the order given.
 */
export function batchInsert(db: Db, head: string, tuple: string): (rows: readonly (readonly unknown[])[]) => void {
  const many = db.prepare(`${head} VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => tuple).join(', ')}`)
  const one = db.prepare(`${head} VALUES ${tuple}`)
  return (rows) => {
    let at = 0
    for (; at + ROWS_PER_STATEMENT <= rows.length; at += ROWS_PER_STATEMENT)
      many.run(rows.slice(at, at + ROWS_PER_STATEMENT).flat())
    for (; at < rows.length; at++) one.run(rows[at])
  }
}
