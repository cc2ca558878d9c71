// Backups of the collection: made at start and on the first write after 30 minutes of use,
// thinned to a bounded set; made on request; restored with the current file kept aside.
// The file operations themselves (SQLite's backup API, checks) live in store/backup.ts.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { BACKUP_NAME, type BackupEntry } from '../../shared/backups'
import { NotFoundError, StorageError, ValidationError } from '../../shared/errors'
import { backupDatabase, copyCollectionFile, inspectFile, noOtherConnection, totalChanges } from '../store/backup'
import { SCHEMA_VERSION, type Db } from '../store/db'

export const BACKUP_DIR_NAME = 'backups'
/** Automatic backups: at most one per this much time of use (ms). */
export const AUTO_BACKUP_INTERVAL_MS = 30 * 60_000
/** Thinning of automatic backups (see thin()); manual ones are never thinned. */
export const RETENTION = { newest: 5, days: 7, weeks: 4, months: 12 } as const

const DAY_MS = 86_400_000
/** A `.partial` copy older than this (ms, by its file time) was left by a killed process. */
const STALE_PARTIAL_MS = 3_600_000

export interface BackupServiceOptions {
  dataDir: string
  clock: () => number
  /** Where a failed automatic backup is reported (it never fails the request that triggered it). */
  log?: (message: string) => void
}

export type BackupService = ReturnType<typeof createBackupService>

export function createBackupService(options: BackupServiceOptions) {
  const dir = join(options.dataDir, BACKUP_DIR_NAME)
  const log = options.log ?? ((message: string) => console.error(message))
  let pending: Promise<unknown> = Promise.resolve()
  let changesSeen = -1
  let lastBackupAt: number | null = null

  function list(): BackupEntry[] {
    if (!existsSync(dir)) return []
    const entries: BackupEntry[] = []
    for (const name of readdirSync(dir)) {
      const createdAt = timeOfName(name)
      if (createdAt === null) continue
      try {
        entries.push({
          name,
          createdAt,
          sizeBytes: statSync(join(dir, name)).size,
          kind: name.endsWith('-manual.sqlite') ? 'manual' : 'auto'
        })
      } catch {
        // Thinned by another process while listing.
      }
    }
    return entries.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name))
  }

  /** Backs up `db` now; runs after any backup already under way, never two at once. */
  function create(db: Db, kind: BackupEntry['kind']): Promise<BackupEntry> {
    const run = pending.then(async () => {
      const now = options.clock()
      mkdirSync(dir, { recursive: true })
      let name = nameFor(now, kind)
      for (let i = 1; existsSync(join(dir, name)); i++) name = nameFor(now + i, kind)
      await backupDatabase(db, join(dir, name))
      lastBackupAt = now
      if (kind === 'auto') thin()
      return { name, createdAt: timeOfName(name)!, sizeBytes: statSync(join(dir, name)).size, kind }
    })
    pending = run.catch(() => undefined)
    return run
  }

  /** An automatic backup if the newest backup is 30 minutes old or more. */
  function autoIfDue(db: Db): void {
    const now = options.clock()
    lastBackupAt ??= list()[0]?.createdAt ?? null
    if (lastBackupAt !== null && now - lastBackupAt < AUTO_BACKUP_INTERVAL_MS && now >= lastBackupAt) return
    lastBackupAt = now
    create(db, 'auto').catch((error: unknown) => {
      if (db.open) log(`automatic backup failed: ${error instanceof Error ? error.message : String(error)}`)
    })
  }

  /**
   * Deletes the automatic backups the retention policy does not keep: the newest few, and
   * the newest of each of the last RETENTION.days UTC days, weeks and calendar months that
   * have a backup (as restic's --keep-daily/weekly/monthly), so repeated thinning is stable.
   */
  function thin(): string[] {
    const auto = list().filter((b) => b.kind === 'auto')
    const keep = new Set(auto.slice(0, RETENTION.newest).map((b) => b.name))
    const periods: [number, (t: number) => number][] = [
      [RETENTION.days, (t) => Math.floor(t / DAY_MS)],
      // Weeks start on Monday: the epoch was a Thursday.
      [RETENTION.weeks, (t) => Math.floor((t + 3 * DAY_MS) / (7 * DAY_MS))],
      [RETENTION.months, (t) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth()]
    ]
    for (const [count, period] of periods) {
      const seen = new Set<number>()
      for (const backup of auto) {
        const key = period(backup.createdAt)
        if (seen.has(key)) continue
        if (seen.size === count) break
        seen.add(key)
        keep.add(backup.name)
      }
    }
    const removed = auto.filter((b) => !keep.has(b.name)).map((b) => b.name)
    for (const name of removed) rmSync(join(dir, name), { force: true })
    // Copies a killed process left half-written (a live one finishes within the hour).
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.partial')) continue
      const path = join(dir, name)
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_PARTIAL_MS) rmSync(path, { force: true })
      } catch {
        // Renamed or removed by its writer meanwhile.
      }
    }
    return removed
  }

  return {
    dir,
    list,
    create,
    thin,
    /** At start: an automatic backup unless a recent one exists. */
    afterOpen(db: Db): void {
      changesSeen = totalChanges(db)
      autoIfDue(db)
    },
    /** After each request: if it wrote anything and 30 minutes have passed, an automatic backup. */
    afterRequest(db: Db): void {
      if (!db.open) return
      const changes = totalChanges(db)
      if (changes === changesSeen) return
      changesSeen = changes
      autoIfDue(db)
    },
    /** The full path of a backup named in the listing; anything else is not found. */
    resolve(name: string): string {
      if (!list().some((b) => b.name === name)) throw new NotFoundError('backup', name)
      return join(dir, name)
    },
    /** The newest backup that passes an integrity check and that this version can open. */
    newestGood(): BackupEntry | null {
      return list().find((b) => validationProblem(join(dir, b.name)) === null) ?? null
    },
    /** Resolves when no backup is under way (never rejects). */
    settled(): Promise<void> {
      return pending.then(() => undefined)
    }
  }
}

function nameFor(now: number, kind: BackupEntry['kind']): string {
  return `collection-${fileStamp(now)}${kind === 'manual' ? '-manual' : ''}.sqlite`
}

function timeOfName(name: string): number | null {
  const m = BACKUP_NAME.exec(name)
  if (!m) return null
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]))
}

/** A time for file names: 2026-03-02T09-00-00-000Z. */
export function fileStamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-')
}

/** Why `file` cannot be restored, or null if it is a healthy collection this version can open. */
export function validationProblem(file: string): string | null {
  if (!existsSync(file)) return `${file} does not exist`
  const health = inspectFile(file)
  if (!health.isCollection)
    return `${file} is not a Retransmit collection (${health.integrity === 'ok' ? 'its tables are missing' : health.integrity})`
  if (health.integrity !== 'ok') return `${file} fails SQLite's integrity check: ${health.integrity}`
  if (health.schemaVersion < 1 || health.schemaVersion > SCHEMA_VERSION)
    return `${file} has schema version ${health.schemaVersion}; this Retransmit knows 1 to ${SCHEMA_VERSION}`
  return null
}

/**
 * Renames the collection file (and its -wal, which holds committed transactions) to
 * `<file>.<label>-<time>`, never over an existing file; drops the -shm index. Returns the new path.
 */
export function keepAside(dataFile: string, label: string, now: number): string {
  let aside = `${dataFile}.${label}-${fileStamp(now)}`
  for (let i = 1; existsSync(aside); i++) aside = `${dataFile}.${label}-${fileStamp(now)}-${i}`
  renameSync(dataFile, aside)
  if (existsSync(`${dataFile}-wal`)) renameSync(`${dataFile}-wal`, `${aside}-wal`)
  rmSync(`${dataFile}-shm`, { force: true })
  return aside
}

/**
 * Replaces the collection file with a copy of `source`: checks the source first, refuses
 * while another process has the collection open, keeps the current file aside as
 * `collection.sqlite.before-restore-<time>`, then copies the backup in with the backup API.
 * Call with the collection closed in this process.
 */
export async function restoreCollectionFile(
  source: string,
  dataFile: string,
  now: number
): Promise<{ keptAside: string | null }> {
  const problem = validationProblem(source)
  if (problem) throw new ValidationError(problem)
  if (existsSync(dataFile) && !noOtherConnection(dataFile)) {
    throw new StorageError(
      'the collection is open in another Retransmit process (the desktop app, `retransmit serve` or another command); close it and restore again'
    )
  }
  const keptAside = existsSync(dataFile) ? keepAside(dataFile, 'before-restore', now) : null
  try {
    await copyCollectionFile(source, dataFile)
  } catch (error) {
    // Nothing was put in place (the copy is renamed in only when complete): put the collection back.
    if (keptAside) {
      renameSync(keptAside, dataFile)
      if (existsSync(`${keptAside}-wal`)) renameSync(`${keptAside}-wal`, `${dataFile}-wal`)
    }
    throw error
  }
  return { keptAside }
}
