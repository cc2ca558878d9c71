// Whole-file operations on a collection: online backups (SQLite's backup API), checks of a
// file's health, and reading what SQLite's error codes mean for the person at the keyboard.
import { renameSync, rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { untouchedSinceClean, type Db } from './db'

export interface FileHealth {
  /** 'ok', or SQLite's first complaint. */
  integrity: string
  schemaVersion: number
  /** True when the file has Retransmit's tables (a collection, not some other SQLite file). */
  isCollection: boolean
}

/**
 * Copies a live database to `file` with the online backup API: a consistent snapshot even
 * while this or another connection writes. Written next to the target and renamed into
 * place, so `file` is either absent or complete; the copy is a single file (journal_mode
 * DELETE), with no -wal or -shm beside it.
 */
export async function backupDatabase(db: Db, file: string): Promise<void> {
  const partial = `${file}.partial`
  try {
    await db.backup(partial)
    finishCopy(partial, file)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}

/** Copies a collection file (opened read-only) to `file` the same way as backupDatabase. */
export async function copyCollectionFile(source: string, file: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    await backupDatabase(db, file)
  } finally {
    db.close()
  }
}

function finishCopy(partial: string, file: string): void {
  const copy = new Database(partial)
  try {
    copy.pragma('journal_mode = DELETE')
  } finally {
    copy.close()
  }
  renameSync(partial, file)
}

/** Opens `file` read-only and checks it through; never throws for a damaged or foreign file. */
export function inspectFile(file: string): FileHealth {
  let db: Db | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    const integrity =
      rows.length === 1 && rows[0]!.integrity_check === 'ok' ? 'ok' : (rows[0]?.integrity_check ?? 'no answer')
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    const tables = db
      .prepare(
        "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN ('cards', 'review_log', 'decks')"
      )
      .get() as { n: number }
    return { integrity, schemaVersion, isCollection: tables.n === 3 }
  } catch (error) {
    return { integrity: error instanceof Error ? error.message : String(error), schemaVersion: 0, isCollection: false }
  } finally {
    db?.close()
  }
}

/**
 * PRAGMA quick_check on an open database: 'ok' or the first problem. O(size), no index
 * cross-checks: seconds for a large collection, so it is skipped ('ok') when the file was
 * opened exactly as a clean close left it (see untouchedSinceClean in db.ts).
 */
export function quickCheck(db: Db): string {
  if (untouchedSinceClean(db)) return 'ok'
  const rows = db.pragma('quick_check') as { quick_check: string }[]
  return rows.length === 1 && rows[0]!.quick_check === 'ok' ? 'ok' : (rows[0]?.quick_check ?? 'no answer')
}

/** One prepared statement per database: totalChanges runs after every request (a prepare costs ~40 µs). */
const totalChangesStatements = new WeakMap<Db, Database.Statement<[], { n: number }>>()

/** Rows changed through this connection since it opened: tells whether anything was written. */
export function totalChanges(db: Db): number {
  let statement = totalChangesStatements.get(db)
  if (!statement) {
    statement = db.prepare<[], { n: number }>('SELECT total_changes() AS n')
    totalChangesStatements.set(db, statement)
  }
  return statement.get()!.n
}

/**
 * True when no other connection has `file` open. In WAL mode every open connection holds a
 * shared lock on the file for as long as it is open, so an exclusive lock is only granted
 * to a lone connection. Waits up to `waitMs` for a transient lock to pass.
 */
export function noOtherConnection(file: string, waitMs = 2000): boolean {
  let db: Db | null = null
  try {
    db = new Database(file, { fileMustExist: true, timeout: waitMs })
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE; COMMIT')
    return true
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) return false
    return true // missing or damaged: nobody can be using it
  } finally {
    db?.close()
  }
}

/** SQLite says the file is damaged or not a database at all. */
export function isCorruption(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError && (error.code.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB')
  )
}

/** What to tell the user about a failed read or write of the collection, or null if it is not a storage problem. */
export function describeStorageFailure(error: unknown, dataDir: string): string | null {
  if (error instanceof Database.SqliteError) {
    const code = error.code
    if (code === 'SQLITE_FULL')
      return `the disk holding ${dataDir} is full; nothing was saved. Free some space and try again.`
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH')
      return `the data folder ${dataDir} is read-only; nothing was saved. Make it writable (or choose another with --data-dir / RETRANSMIT_DATA_DIR) and try again.`
    if (code.startsWith('SQLITE_CANTOPEN'))
      return `the collection in ${dataDir} cannot be opened (${code}); check that the folder exists and is writable: a read-only folder cannot hold a collection.`
    if (code.startsWith('SQLITE_IOERR'))
      return `reading or writing the collection in ${dataDir} failed (${code}); nothing was saved. Check that the disk has space and the folder is writable.`
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return 'the collection was locked by another Retransmit process; nothing was saved. Try again.'
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
      return `the collection file in ${dataDir} is damaged; restart Retransmit to keep it aside and restore a backup.`
    return null
  }
  const fsCode = (error as NodeJS.ErrnoException | null)?.code
  // mkdir on a read-only file system answers ENOENT for a missing parent it cannot create.
  if (fsCode === 'ENOENT' && (error as NodeJS.ErrnoException).syscall === 'mkdir')
    return `the data folder ${dataDir} cannot be created; check that its parent folder exists and is writable.`
  if (fsCode === 'ENOSPC') return `the disk holding ${dataDir} is full. Free some space and try again.`
  if (fsCode === 'EROFS' || fsCode === 'EACCES' || fsCode === 'EPERM')
    return `the data folder ${dataDir} is not writable. Make it writable (or choose another with --data-dir / RETRANSMIT_DATA_DIR) and try again.`
  return null
}
