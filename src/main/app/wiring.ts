// Wiring: the stores of one open database, the services built on them (each receives its
// stores and the services it uses in one deps object), and the handler of every contract
// method. Opening, recovery, backups and restore are the lifecycle's (collection.ts).
import { join } from 'node:path'
import { changingMethodNames, type Handlers } from '../../shared/api'
import type { AppInfo, SyncReport } from '../../shared/domain'
import { syncContentDir } from '../content/sync'
import { exportCollection, previewImport, runImport } from '../import'
import { storePastedImage } from './pasted-images'
import { schemaVersion, type Db } from '../store/db'
import { createCardInfoService } from '../study/card-info'
import { createDrillService } from '../study/drills'
import { createEditService } from '../study/edit'
import { createOptimizerService } from '../study/optimizer'
import { createQuizService } from '../study/quiz'
import { createInterviewService } from '../study/interview'
import { createReviewService } from '../study/review'
import { createSettingsService } from '../study/settings'
import { createStatsService } from '../study/stats'
import { createUndoService, registerUndo } from '../study/undo'
import { createDeviceSync } from '../sync/device-sync'
import type { TableOptions } from '../../shared/imports'
import { createAutoRounds, tookIn, type AutoSyncOptions } from './auto-sync'
import { contentCheckHandlers } from './content-check'
import { createStores } from './stores'
import { withUploadedFile } from './uploads'
import { version } from '../../../package.json'

/** The methods the lifecycle answers itself (backups and restore work on the file, not the services). */
export type BackupMethod = 'listBackups' | 'createBackup' | 'restoreBackup' | 'backupTo'
export type ServiceHandlers = Omit<Handlers, BackupMethod>

export interface WiringOptions {
  dataDir: string
  dataFile: string
  contentDir: string | null
  door: AppInfo['door']
  clock: () => number
  tzOffset?: (now: number) => number
  syncOnOpen?: boolean
  progress?: (fraction: number, message: string) => void
  /** Automatic sync's timing and timers (tests shorten them); the CLI never syncs by itself. */
  autoSync?: AutoSyncOptions
}

export interface Services {
  db: Db
  handlers: ServiceHandlers
  lastSync(): SyncReport | null
  /**
   * Counts today's queue deck by deck, yielding after each, so the queue's kept counts are
   * ready for Home's first questions (a fresh start otherwise counts all decks then).
   */
  warmCounts(): Generator<void>
  close(): void
}

/** Builds the stores and services of an open database and the handler of every contract method they serve. */
export function wireServices(db: Db, options: WiringOptions): Services {
  const { clock, dataFile } = options
  const stores = createStores(db)
  const { cards, decks, log, search } = stores
  const settings = createSettingsService({ db, store: stores.settings, clock })
  const undo = createUndoService({ db, store: stores.undo })
  registerUndo(db, undo)
  const tzOffset = options.tzOffset ?? ((now: number) => new Date(now).getTimezoneOffset())
  const interview = createInterviewService({
    store: stores.interview,
    settingsStore: stores.settings,
    settings,
    liveDeckIds: cards.liveDeckIds,
    clock,
    tzOffset
  })
  const review = createReviewService({ db, cards, log, settings, undo, interview, clock, tzOffset })
  const edit = createEditService({
    db,
    browse: stores.browse,
    edits: stores.cardEdits,
    cards,
    decks,
    review,
    undo,
    settings,
    clock
  })
  const cardInfo = createCardInfoService({ store: stores.cardInfo, settings, clock })
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
  const quiz = createQuizService({ db, store: stores.quiz, review, clock })
  const stats = createStatsService({ store: stores.stats, quiz: stores.quiz, review, clock })
  const optimizer = createOptimizerService({ log, settings })
  const drills = createDrillService({
    db,
    store: stores.drills,
    sessions: stores.drillSessions,
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
    ...(options.tzOffset ? { tzOffset: options.tzOffset } : {}),
    // The window and `serve` sync again and again; a CLI command syncs once and exits.
    keepConnection: options.door !== 'cli'
  })
  // The CLI syncs when told (one command, then it exits): no automatic rounds.
  const auto = options.door === 'cli' ? null : createAutoRounds(devices, () => undo.clear(), options.autoSync)
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
    getInterviewPlan: () => interview.view(),
    setInterviewPlan: ({ plan }) => interview.set(plan),

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
    storeImage: ({ type, dataBase64 }) => storePastedImage(join(options.dataDir, 'media'), type, dataBase64),
    deleteDeck: ({ deckId }) => (devices.deleteDeck(deckId), undo.clear(), { id: deckId }),

    syncStatus: () => devices.status(),
    configureSync: (input) => {
      const status = devices.configure(input)
      auto?.refresh()
      // A new server or token: the scheduled round goes soon rather than at the next period.
      auto?.changed()
      return status
    },
    setAutoSync: ({ on }) => {
      const status = devices.setAuto(on)
      auto?.refresh()
      return status
    },
    syncNow: async () => {
      const status = await devices.syncNow()
      // The same rule as an automatic round: only another device's work clears the history.
      if (tookIn(status)) undo.clear()
      if (!status.lastError) auto?.succeeded()
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
    exportDrillTrace: ({ id }) => drills.exportTrace(id),

    getStats: ({ days, deckId }) => stats.report(days, deck(deckId)),
    optimizerStatus: () => optimizer.status(),
    optimizeParameters: () => optimizer.optimize()
  }

  if (auto) {
    for (const method of changingMethodNames) {
      const name = method as keyof ServiceHandlers
      const inner = handlers[name] as (input: unknown) => unknown
      ;(handlers as Record<string, (input: unknown) => unknown>)[name] = (input) => {
        const result = inner(input)
        // A long method (an import) asks once it has finished, so its round sends all of it.
        if (result instanceof Promise) void result.then(auto.changed, () => {})
        else auto.changed()
        return result
      }
    }
    // Started here, it runs its first round after a few seconds: the window paints first.
    auto.refresh()
  }

  return {
    db,
    handlers,
    lastSync: () => lastSync,
    *warmCounts() {
      for (const id of cards.liveDeckIds()) {
        review.queue(id)
        yield
      }
      review.queue(null)
    },
    close: () => {
      auto?.stop()
      // The sync connection stops in the background; its late cache writes are dropped.
      void devices.close()
      db.close()
    }
  }
}
