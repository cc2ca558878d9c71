// Undo and redo as row snapshots. While a recorded action runs, temporary triggers (this
// connection only) note every row of the base tables it touches, first touch wins, with the
// row as it was before. When the action ends, the rows as they are after are read too. Undo
// puts the "before" rows back and redo the "after" rows, each in one transaction, after
// checking that nothing else changed those rows in between. card_counts and review_daily are
// derived by the schema's own triggers, so restoring the base rows restores them; the rows the
// action created there (and which are zero again after undo) are deleted, so undo is exact.
import type { Statement } from 'better-sqlite3'
import type { Db } from './db'

/** Base tables an action can change, parents before children (upserts run in this order, deletes in reverse). */
export const UNDO_TABLES = ['decks', 'notes', 'cards', 'quiz_items', 'review_log'] as const
export type UndoTable = (typeof UNDO_TABLES)[number]

type Row = Record<string, unknown>

/** One table's touched rows, keyed by rowid: the row before and after the action (null: absent). */
export interface TableChange {
  before: Map<number, Row | null>
  after: Map<number, Row | null>
}

export interface RowSnapshot {
  tables: Partial<Record<UndoTable, TableChange>>
  /** card_counts and review_daily rows the action created (primary keys). */
  createdCounts: { deck_id: string; state: number; suspended: number; mature: number }[]
  createdDaily: { study_day: number; deck_id: string }[]
  /** Card ids the action touched, for the caller to show. */
  cardIds: string[]
}

export interface UndoStore {
  /** Runs `fn` with the capture on; returns its result and what it changed. Call inside a transaction. */
  capture<T>(fn: () => T): { result: T; snapshot: RowSnapshot }
  /** Puts the rows back to `to`, after checking they still are `from`. Call inside a transaction. */
  restore(snapshot: RowSnapshot, direction: 'undo' | 'redo'): void
}

export class UndoConflictError extends Error {}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

export function createUndoStore(db: Db): UndoStore {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS undo_state (active INTEGER NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS undo_touched (tbl TEXT NOT NULL, rid INTEGER NOT NULL, existed INTEGER NOT NULL, PRIMARY KEY (tbl, rid));
    CREATE TEMP TABLE IF NOT EXISTS undo_new_counts (deck_id, state, suspended, mature, PRIMARY KEY (deck_id, state, suspended, mature));
    CREATE TEMP TABLE IF NOT EXISTS undo_new_daily (study_day, deck_id, PRIMARY KEY (study_day, deck_id));`)
  if (!db.prepare('SELECT 1 FROM temp.undo_state').get()) db.exec('INSERT INTO temp.undo_state VALUES (0)')
  const ACTIVE = 'WHEN (SELECT active FROM temp.undo_state) = 1'

  const tables = {} as Record<
    UndoTable,
    {
      key: string
      columns: string[]
      current: ReturnType<Db['prepare']>
      touchedNow: Statement<[], Row>
      touchedOld: Statement<[], Row>
      remove: ReturnType<Db['prepare']>
      update: ReturnType<Db['prepare']>
      insert: ReturnType<Db['prepare']>
    }
  >
  for (const table of UNDO_TABLES) {
    const info = db.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string; pk: number; type: string }[]
    const key = info.find((c) => c.pk === 1 && c.type.toUpperCase() === 'INTEGER')?.name
    if (!key) throw new Error(`${table} has no INTEGER PRIMARY KEY`)
    const columns = info.map((c) => c.name)
    const cols = columns.map(quote).join(', ')
    const oldCols = columns.map((c) => `old.${quote(c)}`).join(', ')
    db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS undo_old_${table} (_rid INTEGER PRIMARY KEY, ${cols});
      CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_insert AFTER INSERT ON main.${table} ${ACTIVE} BEGIN
        INSERT OR IGNORE INTO temp.undo_touched VALUES ('${table}', new.${key}, 0);
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_update AFTER UPDATE ON main.${table} ${ACTIVE} BEGIN
        INSERT OR IGNORE INTO temp.undo_touched VALUES ('${table}', old.${key}, 1);
        INSERT OR IGNORE INTO temp.undo_old_${table} VALUES (old.${key}, ${oldCols});
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS undo_${table}_delete AFTER DELETE ON main.${table} ${ACTIVE} BEGIN
        INSERT OR IGNORE INTO temp.undo_touched VALUES ('${table}', old.${key}, 1);
        INSERT OR IGNORE INTO temp.undo_old_${table} VALUES (old.${key}, ${oldCols});
      END;`)
    tables[table] = {
      key,
      columns,
      current: db.prepare(`SELECT * FROM main.${table} WHERE ${key} = ?`),
      // Read in one statement per table, not one per row (an import touches 100,000s).
      touchedNow: db.prepare<[], Row>(
        `SELECT t.* FROM temp.undo_touched u JOIN main.${table} t ON t.${key} = u.rid WHERE u.tbl = '${table}'`
      ),
      touchedOld: db.prepare<[], Row>(`SELECT ${cols} FROM temp.undo_old_${table}`),
      remove: db.prepare(`DELETE FROM main.${table} WHERE ${key} = ?`),
      update: db.prepare(
        `UPDATE main.${table} SET ${columns
          .filter((c) => c !== key)
          .map((c) => `${quote(c)} = @${c}`)
          .join(', ')} WHERE ${key} = @${key}`
      ),
      insert: db.prepare(`INSERT INTO main.${table} (${cols}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
    }
  }
  db.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS undo_card_counts_insert AFTER INSERT ON main.card_counts ${ACTIVE} BEGIN
      INSERT OR IGNORE INTO temp.undo_new_counts VALUES (new.deck_id, new.state, new.suspended, new.mature);
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS undo_review_daily_insert AFTER INSERT ON main.review_daily ${ACTIVE} BEGIN
      INSERT OR IGNORE INTO temp.undo_new_daily VALUES (new.study_day, new.deck_id);
    END;`)

  const setActive = db.prepare('UPDATE temp.undo_state SET active = ?')
  const touched = db.prepare<[], { tbl: UndoTable; rid: number; existed: number }>(
    'SELECT tbl, rid, existed FROM temp.undo_touched'
  )
  const newCounts = db.prepare<[], RowSnapshot['createdCounts'][number]>(
    'SELECT deck_id, state, suspended, mature FROM temp.undo_new_counts'
  )
  const newDaily = db.prepare<[], RowSnapshot['createdDaily'][number]>(
    'SELECT study_day, deck_id FROM temp.undo_new_daily'
  )
  const clearOld = new Map(UNDO_TABLES.map((t) => [t, db.prepare<[]>(`DELETE FROM temp.undo_old_${t}`)] as const))
  const clearTouched = db.prepare('DELETE FROM temp.undo_touched')
  const clearCounts = db.prepare('DELETE FROM temp.undo_new_counts')
  const clearDaily = db.prepare('DELETE FROM temp.undo_new_daily')
  const dropZeroCount = db.prepare(
    'DELETE FROM main.card_counts WHERE deck_id = @deck_id AND state = @state AND suspended = @suspended AND mature = @mature AND n = 0'
  )
  // Redo: restoring the base rows re-creates the derived rows that end up non-zero; the ones the
  // action left at zero are put back as zero rows, as the action left them.
  const keepZeroCount = db.prepare(
    'INSERT OR IGNORE INTO main.card_counts (deck_id, state, suspended, mature, n) VALUES (@deck_id, @state, @suspended, @mature, 0)'
  )
  const keepZeroDaily = db.prepare(
    'INSERT OR IGNORE INTO main.review_daily (study_day, deck_id) VALUES (@study_day, @deck_id)'
  )
  const dropZeroDaily = db.prepare(`DELETE FROM main.review_daily WHERE study_day = @study_day AND deck_id = @deck_id
    AND answers = 0 AND passed = 0 AND review_answers = 0 AND review_passed = 0 AND new_cards = 0 AND duration_ms = 0`)

  /** Empties the capture tables: all of them, or (after a capture that read them) only those that hold rows. */
  const reset = (filled?: { tables: Iterable<UndoTable>; counts: boolean; daily: boolean }) => {
    setActive.run(0)
    for (const table of filled?.tables ?? UNDO_TABLES) clearOld.get(table)!.run()
    clearTouched.run()
    if (filled?.counts ?? true) clearCounts.run()
    if (filled?.daily ?? true) clearDaily.run()
  }

  // A review_log row's `uid` is given when device sync first sends the answer (it names the answer
  // on every device); that is not a change of the answer, so an answer can still be undone after
  // a sync, and the undo then travels to the other devices (sync/README.md, "Undo").
  const sameRow = (a: Row | null | undefined, b: Row | null | undefined): boolean => {
    if (!a || !b) return !a && !b
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length && keys.every((k) => k === 'uid' || Object.is(a[k], b[k]) || a[k] === b[k])
    )
  }

  return {
    capture<T>(fn: () => T) {
      // The tables are empty here: every capture empties them when it ends, or fails.
      setActive.run(1)
      let result: T
      try {
        result = fn()
      } catch (error) {
        reset()
        throw error
      }
      setActive.run(0)
      const snapshot: RowSnapshot = {
        tables: {},
        createdCounts: newCounts.all(),
        createdDaily: newDaily.all(),
        cardIds: []
      }
      const byTable = new Map<UndoTable, { rid: number; existed: number }[]>()
      for (const row of touched.all()) {
        const list = byTable.get(row.tbl)
        if (list) list.push(row)
        else byTable.set(row.tbl, [row])
      }
      for (const [tbl, list] of byTable) {
        const t = tables[tbl]
        const keyed = (rows: Row[]) => new Map(rows.map((row) => [row[t.key] as number, row]))
        const now = keyed(t.touchedNow.all())
        const old = list.some((r) => r.existed) ? keyed(t.touchedOld.all()) : new Map<number, Row>()
        const change: TableChange = { before: new Map(), after: new Map() }
        snapshot.tables[tbl] = change
        for (const { rid, existed } of list) {
          change.before.set(rid, existed ? (old.get(rid) ?? null) : null)
          const after = now.get(rid) ?? null
          change.after.set(rid, after)
          if (tbl === 'cards') snapshot.cardIds.push(String((after ?? change.before.get(rid))?.id))
        }
      }
      reset({
        tables: Object.keys(snapshot.tables) as UndoTable[],
        counts: snapshot.createdCounts.length > 0,
        daily: snapshot.createdDaily.length > 0
      })
      return { result, snapshot }
    },

    restore(snapshot, direction) {
      const [from, to] = direction === 'undo' ? (['after', 'before'] as const) : (['before', 'after'] as const)
      for (const table of UNDO_TABLES) {
        const change = snapshot.tables[table]
        if (!change) continue
        for (const [rid, expected] of change[from]) {
          if (!sameRow(tables[table].current.get(rid) as Row | undefined, expected)) {
            throw new UndoConflictError(
              `a row of ${table} changed since (a quiz, a drill, a content sync or another window)`
            )
          }
        }
      }
      // Deletes, children first (review_log refers to cards, cards to notes and decks).
      for (const table of [...UNDO_TABLES].reverse()) {
        const change = snapshot.tables[table]
        if (!change) continue
        for (const [rid, row] of change[to]) if (row === null && change[from].get(rid)) tables[table].remove.run(rid)
      }
      // Then rows to put back, parents first.
      for (const table of UNDO_TABLES) {
        const change = snapshot.tables[table]
        if (!change) continue
        for (const [, row] of change[to]) {
          if (row === null) continue
          const t = tables[table]
          if (t.current.get(row[t.key] as number)) t.update.run(row)
          else t.insert.run(row)
        }
      }
      for (const key of snapshot.createdCounts) (direction === 'undo' ? dropZeroCount : keepZeroCount).run(key)
      for (const key of snapshot.createdDaily) (direction === 'undo' ? dropZeroDaily : keepZeroDaily).run(key)
    }
  }
}
