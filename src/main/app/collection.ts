// The one set of services: opens the collection, syncs content, and implements every
// method of the contract. Each door (Electron IPC, HTTP, CLI) wraps this, nothing more.
// Around the services: automatic backups, restore (close, swap the file, reopen), storage
// failures as StorageError, and a recovery state when the file is damaged at start.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { methodNames, type Handlers } from '../../shared/api'
import type { RecoveryInfo } from '../../shared/backups'
import { CorruptCollectionError, StorageError, ValidationError } from '../../shared/errors'
import { backupDatabase, describeStorageFailure, isCorruption, quickCheck } from '../store/backup'
import type { AppInfo, SyncReport } from '../../shared/domain'
import { syncContentDir } from '../content/sync'
import { createBrowseStore } from '../store/browse'
import { createCardEditStore } from '../store/card-edit'
import { openDatabase, schemaVersion, type Db } from '../store/db'
import { createDeckStore } from '../store/decks'
import { createDrillSessionStore } from '../store/drill-sessions'
import { createDrillStore } from '../store/drills'
import { createReviewLogStore } from '../store/review-log'
import { createSearchStore } from '../store/search'
import { createSettingsStore } from '../store/settings'
import { createStudyCardStore } from '../store/study-cards'
import { createDrillService } from '../study/drills'
import { createEditService } from '../study/edit'
import { createOptimizerService } from '../study/optimizer'
import { createQuizService } from '../study/quiz'
import { createReviewService } from '../study/review'
import { createSettingsService } from '../study/settings'
import { createStatsService } from '../study/stats'
import { createCardInfoService } from '../study/card-info'
import { createDeviceSync } from '../sync/device-sync'
import { createUndoService, registerUndo } from '../study/undo'
import type { TableOptions } from '../../shared/imports'
import { exportCollection, previewImport, runImport } from '../import'
import { contentCheckHandlers } from './content-check'
import { createBackupService, keepAside, restoreCollectionFile, validationProblem, type BackupService } from './backups'
import { DATA_FILE_NAME } from './paths'
import { withUploadedFile } from './uploads'
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
  /** Resolves when no backup is under way; await it before close() in a short-lived process. */
  settled(): Promise<void>
  close(): void
}

type BackupMethod = 'listBackups' | 'createBackup' | 'restoreBackup' | 'backupTo'
type ServiceHandlers = Omit<Handlers, BackupMethod>

interface Services {
  db: Db
  handlers: ServiceHandlers
  lastSync(): SyncReport | null
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
    services = openServices(options, dataFile, clock, backups)
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

function openServices(
  options: CollectionOptions,
  dataFile: string,
  clock: () => number,
  backups: BackupService
): Services {
  const db = openChecked(dataFile, options.dataDir, clock, backups)
  const decks = createDeckStore(db)
  const search = createSearchStore(db)
  const cards = createStudyCardStore(db)
  const log = createReviewLogStore(db)
  const settings = createSettingsService(createSettingsStore(db))
  const undo = createUndoService(db)
  registerUndo(db, undo)
  const review = createReviewService({
    db,
    cards,
    log,
    settings,
    undo,
    clock,
    ...(options.tzOffset ? { tzOffset: options.tzOffset } : {})
  })
  const edit = createEditService({
    db,
    browse: createBrowseStore(db),
    edits: createCardEditStore(db),
    cards,
    decks,
    review,
    undo,
    settings,
    clock
  })
  const cardInfo = createCardInfoService({ db, settings, clock })
  const importOptions = ({ deck, columns, header }: { deck?: string | undefined } & TableOptions) => ({
    now: clock(),
    mediaDir: join(options.dataDir, 'media'),
    dayStartHour: settings.global().dayStartHour,
    ...(deck ? { deck } : {}),
    ...(columns || header !== undefined
      ? { table: { ...(columns ? { columns } : {}), ...(header === undefined ? {} : { header }) } }
      : {}),
    ...(options.progress ? { onProgress: options.progress } : {})
  })
  const quiz = createQuizService({ db, review, clock })
  const stats = createStatsService({ db, review, clock })
  const optimizer = createOptimizerService({ db, log, settings })
  const drills = createDrillService({
    db,
    store: createDrillStore(db),
    sessions: createDrillSessionStore(db),
    cards,
    log,
    review,
    contentDir: options.contentDir,
    clock
  })
  const devices = createDeviceSync({
    db,
    dataDir: options.dataDir,
    settings,
    clock,
    ...(options.tzOffset ? { tzOffset: options.tzOffset } : {})
  })
  let lastSync: SyncReport | null = null

  const sync = (): SyncReport => {
    if (!options.contentDir) throw new Error('no content folder is configured')
    lastSync = syncContentDir(db, options.contentDir, clock())
    // Sync rewrote rows behind the history's back: undoing across it could bring back old text.
    undo.clear()
    drills.reload()
    return lastSync
  }
  if (options.contentDir && options.syncOnOpen !== false) sync()

  const deck = (deckId: string | undefined) => deckId ?? null
  const handlers: ServiceHandlers = {
    appInfo: () => ({ version, door: options.door, dataFile, schemaVersion: schemaVersion(db), lastSync }),
    listDecks: () => {
      const counts = review.deckCounts()
      return decks.summaries().map((d) => {
        const c = counts.get(d.id) ?? { new: 0, learning: 0, review: 0 }
        return { ...d, new: c.new, learning: c.learning, review: c.review, due: c.learning + c.review }
      })
    },
    search: ({ query, limit }) => search.search(query, limit ?? 50),
    syncContent: () => sync(),

    getSettings: ({ deckId }) => settings.view(deck(deckId)),
    updateSettings: ({ deckId, settings: patch }) => settings.update(deck(deckId), patch),

    getQueue: ({ deckId, first, set }) => review.queue(deck(deckId), first, set),
    answerCard: ({ cardId, rating, durationMs, deckId, set }) =>
      review.answer(cardId, rating, durationMs, deck(deckId), set),
    buryCard: ({ cardId, deckId, set }) => review.bury(cardId, deck(deckId), set),
    suspendCard: ({ cardId, deckId, set }) => review.suspend(cardId, deck(deckId), set),
    skipDrillCard: ({ cardId, deckId }) => review.skipDrill(cardId, deck(deckId)),
    flagCards: ({ cardIds, flag }) => review.flag(cardIds, flag),
    undo: () => ({ ...undo.undo(), history: undo.status() }),
    redo: () => ({ ...undo.redo(), history: undo.status() }),
    undoStatus: () => undo.status(),
    cardInfo: ({ id }) => cardInfo.info(id),

    startQuiz: (input) => quiz.start(input),
    answerQuizItem: ({ sessionId, itemId, answer }) => quiz.answer(sessionId, itemId, answer),
    finishQuiz: ({ sessionId }) => quiz.finish(sessionId),

    browseCards: ({ query, sort, descending, limit, offset }) => edit.browse(query, sort, descending, limit, offset),
    getCard: ({ id }) => edit.detail(id),
    updateCard: ({ id, front, back, tags }) => edit.update(id, front, back, tags),
    adoptShipped: ({ id }) => edit.adoptShipped(id),
    listNotes: ({ deckId, query, limit }) => edit.notes(deck(deckId), query, limit),
    getNote: ({ id }) => edit.note(id),
    updateNote: ({ id, title, body, tags }) => edit.updateNote(id, title, body, tags),
    bulkCards: ({ cardIds, action }) => edit.bulk(cardIds, action),
    createDeck: ({ title }) => edit.createDeck(title),
    createCard: ({ deckId, kind, front, back, tags }) => edit.createCard(deckId, kind, front, back, tags),
    createNote: ({ deckId, title, body, tags }) => edit.createNote(deckId, title, body, tags),
    createQuizItem: ({ deckId, block }) => edit.createQuizItem(deckId, block),
    deleteDeck: ({ deckId }) => (devices.deleteDeck(deckId), undo.clear(), { id: deckId }),

    syncStatus: () => devices.status(),
    configureSync: (input) => devices.configure(input),
    syncNow: async () => {
      const status = await devices.syncNow()
      // Rows changed behind the history's back: undoing across a sync could bring back old text.
      if (status.lastReport?.received || status.lastReport?.edits) undo.clear()
      return status
    },

    previewImport: ({ fileName, dataBase64, ...choices }) =>
      withUploadedFile(fileName, dataBase64, (path) => previewImport(db, path, importOptions(choices))),
    runImport: ({ fileName, dataBase64, ...choices }) =>
      withUploadedFile(fileName, dataBase64, (path) => runImport(db, path, importOptions(choices))),

    ...contentCheckHandlers(options.contentDir),
    previewImportFile: ({ path, ...choices }) => previewImport(db, path, importOptions(choices)),
    importFile: ({ path, ...choices }) => runImport(db, path, importOptions(choices)),
    exportDecks: ({ outDir, deckId }) => exportCollection(db, { outDir, ...(deckId ? { deckId } : {}) }),

    listDrills: () => drills.list(),
    getDrill: ({ id }) => drills.detail(id),
    openDrill: ({ id }) => drills.open(id),
    showHint: ({ id, n }) => drills.showHint(id, n),
    saveDraft: ({ id, code }) => drills.saveDraft(id, code),
    checkDrill: ({ id, code }) => drills.check(id, code),
    runDrill: ({ id, code }) => drills.run(id, code),
    submitDrill: ({ id, code }) => drills.submit(id, code),
    getSolution: ({ id }) => drills.solution(id),
    runDrillSolution: ({ id }) => drills.runSolution(id),

    getStats: ({ days, deckId }) => stats.report(days, deck(deckId)),
    optimizerStatus: () => optimizer.status(),
    optimizeParameters: () => optimizer.optimize()
  }

  return {
    db,
    handlers,
    lastSync: () => lastSync,
    close: () => db.close()
  }
}
