// The collection's lifecycle: open the file and check it (a damaged one is kept aside and the
// collection opens in the recovery state), hand the open database to the wiring (wiring.ts),
// automatic backups, restore (close, swap the file, reopen), and SQLite's storage failures
// as StorageError. Each door (Electron IPC, HTTP, CLI) wraps the handlers, nothing more.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { methodNames, type Handlers } from '../../shared/api'
import type { RecoveryInfo } from '../../shared/backups'
import type { AppInfo, SyncReport } from '../../shared/domain'
import { CorruptCollectionError, StorageError, ValidationError } from '../../shared/errors'
import { backupDatabase, describeStorageFailure, isCorruption, quickCheck } from '../store/backup'
import { openDatabase, type Db } from '../store/db'
import { createBackupService, keepAside, restoreCollectionFile, validationProblem, type BackupService } from './backups'
import { DATA_FILE_NAME } from './paths'
import type { AutoSyncOptions } from './auto-sync'
import { wireServices, type ServiceHandlers, type Services } from './wiring'
import { version } from '../../../package.json'

export interface CollectionOptions {
  dataDir: string
  /** The shipped library (content/); null to skip content sync. */
  contentDir: string | null
  door: AppInfo['door']
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  clock?: () => number
  /** Local UTC offset in minutes for a moment, as Date#getTimezoneOffset(); tests fix it. */
  tzOffset?: (now: number) => number
  /** Sync content when opening (default true). */
  syncOnOpen?: boolean
  /**
   * A damaged collection file at start: false (default) throws CorruptCollectionError;
   * true opens in the recovery state (only appInfo, listBackups and restoreBackup work).
   */
  recover?: boolean
  /** Automatic backups at start and every 30 minutes of use (default true). */
  autoBackup?: boolean
  /** Where failed automatic backups are reported. */
  log?: (message: string) => void
  /** Where long methods (file imports) report progress, 0..1; the door that opened the collection shows it. */
  progress?: (fraction: number, message: string) => void
  /** Automatic sync's timing (tests shorten it); see app/auto-sync.ts. */
  autoSync?: AutoSyncOptions
}

export interface Collection {
  /** The open database; throws in the recovery state. */
  readonly db: Db
  dataFile: string
  /** Imported media, content-addressed (served at /media/<sha256>.<ext>). */
  mediaDir: string
  handlers: Handlers
  backups: BackupService
  lastSync(): SyncReport | null
  /** Non-null while the collection file is damaged and nothing is open. */
  recovery(): RecoveryInfo | null
  /**
   * Counts today's queue ahead of the first requests, one deck per turn of the event loop (a
   * request arriving meanwhile waits for one deck's count at most). Stops at a restore or close.
   */
  warm(): Promise<void>
  /** Resolves when no backup is under way; await it before close() in a short-lived process. */
  settled(): Promise<void>
  close(): void
}

export function openCollection(options: CollectionOptions): Collection {
  const clock = options.clock ?? Date.now
  const dataFile = join(options.dataDir, DATA_FILE_NAME)
  const backups = createBackupService({ dataDir: options.dataDir, clock, ...(options.log ? { log: options.log } : {}) })
  let services: Services | null = null
  let recovery: RecoveryInfo | null = null
  let restoring = false

  const start = (): void => {
    const db = openChecked(dataFile, options.dataDir, clock, backups)
    try {
      services = wireServices(db, { ...options, dataFile, clock })
    } catch (error) {
      db.close()
      throw error
    }
    recovery = null
    if (options.autoBackup !== false) backups.afterOpen(services.db)
  }
  try {
    start()
  } catch (error) {
    if (!(options.recover && error instanceof CorruptCollectionError)) throw error
    recovery = error.recovery
  }

  const live = (): Services => {
    if (services) return services
    if (restoring) throw new StorageError('a backup is being restored; try again in a moment')
    throw new StorageError(
      'the collection file is damaged and was kept aside; restore a backup (Settings → Backups) first'
    )
  }
  /** SQLite's storage failures (read-only, full disk, I/O) become StorageError; the transaction has rolled back. */
  const asStorageError = (error: unknown): unknown => {
    const message = describeStorageFailure(error, options.dataDir)
    return message === null ? error : new StorageError(message)
  }
  const afterRequest = (): void => {
    if (services && options.autoBackup !== false) backups.afterRequest(services.db)
  }

  const handlers = {} as Record<string, (input: unknown) => unknown>
  for (const method of methodNames) {
    handlers[method] = (input) => {
      const target = live().handlers[method as keyof ServiceHandlers] as (input: unknown) => unknown
      let result: unknown
      try {
        result = target(input)
      } catch (error) {
        throw asStorageError(error)
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => (afterRequest(), value),
          (error: unknown) => {
            throw asStorageError(error)
          }
        )
      }
      afterRequest()
      return result
    }
  }
  const typed = handlers as unknown as Handlers
  typed.appInfo = () =>
    services
      ? { ...services.handlers.appInfo({}), recovery: null }
      : { version, door: options.door, dataFile, schemaVersion: 0, lastSync: null, recovery }
  typed.listBackups = () => backups.list()
  typed.createBackup = async () => {
    try {
      return await backups.create(live().db, 'manual')
    } catch (error) {
      throw asStorageError(error)
    }
  }
  typed.backupTo = async ({ file }) => {
    try {
      if (file === undefined) return { file: join(backups.dir, (await backups.create(live().db, 'manual')).name) }
      if (existsSync(file)) throw new ValidationError(`${file} already exists; a backup never overwrites a file`)
      await backupDatabase(live().db, file)
      return { file }
    } catch (error) {
      throw asStorageError(error)
    }
  }
  typed.restoreBackup = async ({ name }) => {
    if (restoring) throw new StorageError('a backup is being restored; try again in a moment')
    const source = backups.resolve(name)
    const problem = validationProblem(source)
    if (problem) throw new ValidationError(problem)
    restoring = true
    await backups.settled()
    services?.close()
    services = null
    try {
      const { keptAside } = await restoreCollectionFile(source, dataFile, clock())
      return { restored: name, keptAside }
    } catch (error) {
      throw asStorageError(error)
    } finally {
      restoring = false
      // Reopen whatever is in place now: the restored copy, or the untouched file if the restore was refused.
      if (existsSync(dataFile) || !recovery) {
        try {
          start()
        } catch (error) {
          // A reopen that fails for any other reason outranks the restore's own outcome.
          // eslint-disable-next-line no-unsafe-finally
          if (!(error instanceof CorruptCollectionError)) throw error
          recovery = error.recovery
        }
      }
    }
  }

  return {
    get db() {
      return live().db
    },
    dataFile,
    mediaDir: join(options.dataDir, 'media'),
    handlers: typed,
    backups,
    lastSync: () => services?.lastSync() ?? null,
    recovery: () => recovery,
    async warm() {
      const owner = services
      if (!owner) return
      try {
        for (const _step of owner.warmCounts()) {
          await new Promise<void>((resolve) => setImmediate(resolve))
          if (services !== owner) return
        }
      } catch {
        // Only a head start: the request that needs these counts counts them, and reports any error.
      }
    },
    settled: () => backups.settled(),
    close: () => {
      services?.close()
      services = null
    }
  }
}

/** Opens the file, checks it, and keeps a damaged one aside (CorruptCollectionError says where). */
function openChecked(dataFile: string, dataDir: string, clock: () => number, backups: BackupService): Db {
  let db: Db | null = null
  let reason: string
  try {
    db = openDatabase(dataFile)
    const check = quickCheck(db)
    if (check === 'ok') return db
    reason = check
  } catch (error) {
    if (!isCorruption(error)) {
      const message = describeStorageFailure(error, dataDir)
      throw message === null ? error : new StorageError(message)
    }
    reason = (error as Error).message
  }
  if (db?.open) db.close()
  let keptAside: string | null = null
  try {
    keptAside = keepAside(dataFile, 'corrupt', clock())
  } catch {
    // Could not move it (read-only folder): it stays where it is, untouched.
  }
  const newest = backups.newestGood()
  const newestBackupPath = newest ? join(backups.dir, newest.name) : null
  const quote = (path: string) => `'${path.replace(/'/g, `'\\''`)}'`
  const message = [
    `the collection file is damaged (${reason}).`,
    keptAside
      ? `It was kept aside, untouched, as ${keptAside}.`
      : `It could not be moved aside; it is still ${dataFile}.`,
    newestBackupPath
      ? `The newest good backup is ${newestBackupPath}. Restore it with:\n  retransmit restore ${quote(newestBackupPath)} --data-dir ${quote(dataDir)}`
      : `No good backup was found in ${backups.dir}. Starting again begins an empty collection; the damaged file stays where it was kept.`
  ].join(' ')
  throw new CorruptCollectionError(message, { reason, keptAside, newestBackup: newest?.name ?? null, newestBackupPath })
}
