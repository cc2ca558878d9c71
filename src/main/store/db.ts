// Opening the collection: one SQLite file, WAL, foreign keys, a busy timeout, and the
// numbered forward-only migrations in ./migrations tracked by PRAGMA user_version.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { StorageError } from '../../shared/errors'

export type Db = Database.Database

export interface Migration {
  version: number
  name: string
  sql: string
}

const migrationFiles = import.meta.glob('./migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>

/** The migrations in version order, parsed from their file names (`NNN-name.sql`). */
export const migrations: Migration[] = Object.entries(migrationFiles)
  .map(([path, sql]) => {
    const match = /(\d{3})-([a-z0-9-]+)\.sql$/.exec(path)
    if (!match) throw new StorageError(`badly named migration file: ${path}`)
    return { version: Number(match[1]), name: match[2]!, sql }
  })
  .sort((a, b) => a.version - b.version)

export const SCHEMA_VERSION = migrations.at(-1)?.version ?? 0

/** How long a writer waits for another process's lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 10_000
/**
 * How often the WAL is checkpointed into the database file (ms). SQLite's automatic checkpoint
 * runs inside whichever commit crosses 1000 WAL pages, so about one answer in 70 paid for it
 * (several ms with its fsync); this one runs between requests instead.
 */
const CHECKPOINT_INTERVAL_MS = 2_000

/** Databases whose file, when opened, was exactly as this app's last clean close left it. */
const untouchedSinceCleanClose = new WeakSet<Db>()

/** Beside the file, like -wal and -shm: the file's identity and times when it was last closed cleanly. */
const cleanCloseStampFile = (file: string) => `${file}-clean`

/** Device, inode, size and modification/change times (ns): any write to the file changes them. */
function stampOf(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true })
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch {
    return null
  }
}

function readCleanStamp(file: string): string | null {
  try {
    return readFileSync(cleanCloseStampFile(file), 'utf8')
  } catch {
    return null
  }
}

/** After the last connection closed (no -wal left), notes the file's stamp; otherwise forgets it. */
function recordCleanClose(file: string): void {
  try {
    const stamp = existsSync(`${file}-wal`) ? null : stampOf(file)
    if (stamp) writeFileSync(cleanCloseStampFile(file), stamp)
    else rmSync(cleanCloseStampFile(file), { force: true })
  } catch {
    // Only an optimisation for the next open: without it, that open checks the file through.
  }
}

/**
 * True when the file had not been touched since a clean close by this app when it was opened
 * (no -wal beside it, same inode, size and times), so a whole-file check found nothing new to
 * look at. A crash, another writer, a restore or damage from outside all change the stamp.
 */
export function untouchedSinceClean(db: Db): boolean {
  return untouchedSinceCleanClose.has(db)
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const stamp = file === ':memory:' || existsSync(`${file}-wal`) ? null : stampOf(file)
  const clean = stamp !== null && readCleanStamp(file) === stamp
  const db = new Database(file)
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('journal_mode = WAL')
    // NORMAL under WAL: a committed transaction survives an application crash; only a power
    // loss may roll back the last few commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Statement journals (one per INSERT or UPDATE that fires triggers: FTS, review_daily,
    // card_counts) and sort b-trees in memory: in a file they cost ~30 pwrite calls per card
    // inserted, half the time of a 10,000-card content sync. They hold one statement's pages.
    db.pragma('temp_store = MEMORY')
    migrate(db)
    if (file !== ':memory:') {
      checkpointBetweenRequests(db)
      if (clean) untouchedSinceCleanClose.add(db)
      const close = db.close.bind(db)
      db.close = () => {
        close()
        recordCleanClose(file)
        return db
      }
    }
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * A write transaction: `db.transaction(fn)` begun with BEGIN IMMEDIATE. A deferred transaction
 * that reads first and then writes cannot wait for another process's writer (SQLite returns
 * SQLITE_BUSY at once rather than call the busy handler, since its read snapshot may be stale);
 * taking the write lock at BEGIN makes it wait up to BUSY_TIMEOUT_MS like any other write.
 * Nested calls become savepoints, as with db.transaction.
 */
export function writeTransaction<Args extends unknown[], Result>(
  db: Db,
  fn: (...args: Args) => Result
): (...args: Args) => Result {
  return db.transaction(fn).immediate
}

/** Turns off the in-commit automatic checkpoint and checkpoints from a timer instead. */
function checkpointBetweenRequests(db: Db): void {
  db.pragma('wal_autocheckpoint = 0')
  const timer = setInterval(() => {
    if (!db.open) return clearInterval(timer)
    try {
      // PASSIVE never waits for readers or writers; what it cannot copy now it copies next time.
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // A busy or closing database: the next tick tries again, and closing checkpoints anyway.
    }
  }, CHECKPOINT_INTERVAL_MS)
  timer.unref()
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every migration newer than the file's version, each in its own transaction. */
export function migrate(db: Db, upTo: number = SCHEMA_VERSION): void {
  const current = schemaVersion(db)
  if (current > SCHEMA_VERSION) {
    throw new StorageError(
      `this collection has schema version ${current}, made by a newer Retransmit (this one knows ${SCHEMA_VERSION}); update the app`
    )
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > upTo) continue
    writeTransaction(db, () => {
      // Another process may have migrated while this one waited for the lock.
      if (schemaVersion(db) >= migration.version) return
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
}
