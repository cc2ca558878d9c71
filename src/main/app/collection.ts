// The one set of services: opens the collection, syncs content, and implements every
// method of the contract. Each door (Electron IPC, HTTP, CLI) wraps this, nothing more.
import { join } from 'node:path'
import type { Handlers } from '../../shared/api'
import type { AppInfo, SyncReport } from '../../shared/domain'
import { syncContentDir } from '../content/sync'
import { createBrowseStore } from '../store/browse'
import { createCardEditStore } from '../store/card-edit'
import { openDatabase, schemaVersion, type Db } from '../store/db'
import { createDeckStore } from '../store/decks'
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
import { previewImport, runImport } from '../import'
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
}

export interface Collection {
  db: Db
  dataFile: string
  handlers: Handlers
  lastSync(): SyncReport | null
  close(): void
}

export function openCollection(options: CollectionOptions): Collection {
  const clock = options.clock ?? Date.now
  const dataFile = join(options.dataDir, DATA_FILE_NAME)
  const db = openDatabase(dataFile)
  const decks = createDeckStore(db)
  const search = createSearchStore(db)
  const cards = createStudyCardStore(db)
  const log = createReviewLogStore(db)
  const settings = createSettingsService(createSettingsStore(db))
  const review = createReviewService({ db, cards, log, settings, clock, ...(options.tzOffset ? { tzOffset: options.tzOffset } : {}) })
  const edit = createEditService({ db, browse: createBrowseStore(db), edits: createCardEditStore(db), cards, decks, review, clock })
  const quiz = createQuizService({ db, review, clock })
  const stats = createStatsService({ db, review, clock })
  const optimizer = createOptimizerService({ db, log, settings })
  const drills = createDrillService({ db, store: createDrillStore(db), cards, log, review, contentDir: options.contentDir, clock })
  let lastSync: SyncReport | null = null

  const sync = (): SyncReport => {
    if (!options.contentDir) throw new Error('no content folder is configured')
    lastSync = syncContentDir(db, options.contentDir, clock())
    drills.reload()
    return lastSync
  }
  if (options.contentDir && options.syncOnOpen !== false) sync()

  const deck = (deckId: string | undefined) => deckId ?? null
  const handlers: Handlers = {
    appInfo: () => ({ version, door: options.door, dataFile, schemaVersion: schemaVersion(db), lastSync }),
    listDecks: () => decks.summaries(clock()),
    search: ({ query, limit }) => search.search(query, limit ?? 50),
    syncContent: () => sync(),

    getSettings: ({ deckId }) => settings.view(deck(deckId)),
    updateSettings: ({ deckId, settings: patch }) => settings.update(deck(deckId), patch),

    getQueue: ({ deckId }) => review.queue(deck(deckId)),
    answerCard: ({ cardId, rating, durationMs, deckId }) => review.answer(cardId, rating, durationMs, deck(deckId)),
    undoAnswer: ({ deckId }) => review.undo(deck(deckId)),
    buryCard: ({ cardId, deckId }) => review.bury(cardId, deck(deckId)),
    suspendCard: ({ cardId, deckId }) => review.suspend(cardId, deck(deckId)),

    startQuiz: (input) => quiz.start(input),
    answerQuizItem: ({ sessionId, itemId, answer }) => quiz.answer(sessionId, itemId, answer),
    finishQuiz: ({ sessionId }) => quiz.finish(sessionId),

    browseCards: ({ query, sort, descending, limit, offset }) => edit.browse(query, sort, descending, limit, offset),
    getCard: ({ id }) => edit.detail(id),
    updateCard: ({ id, front, back, tags }) => edit.update(id, front, back, tags),
    adoptShipped: ({ id }) => edit.adoptShipped(id),
    getNote: ({ id }) => edit.note(id),
    updateNote: ({ id, title, body, tags }) => edit.updateNote(id, title, body, tags),
    bulkCards: ({ cardIds, action }) => edit.bulk(cardIds, action),
    createDeck: ({ title }) => edit.createDeck(title),
    createCard: ({ deckId, kind, front, back, tags }) => edit.createCard(deckId, kind, front, back, tags),
    createNote: ({ deckId, title, body, tags }) => edit.createNote(deckId, title, body, tags),
    createQuizItem: ({ deckId, block }) => edit.createQuizItem(deckId, block),

    previewImport: ({ fileName, dataBase64, deck }) =>
      withUploadedFile(fileName, dataBase64, (path) => previewImport(db, path, { now: clock(), ...(deck ? { deck } : {}) })),
    runImport: ({ fileName, dataBase64, deck }) =>
      withUploadedFile(fileName, dataBase64, (path) => runImport(db, path, { now: clock(), ...(deck ? { deck } : {}) })),

    listDrills: () => drills.list(),
    getDrill: ({ id }) => drills.detail(id),
    saveDraft: ({ id, code }) => drills.saveDraft(id, code),
    runDrill: ({ id, code }) => drills.run(id, code),
    submitDrill: ({ id, code, hintsUsed, elapsedMs }) => drills.submit(id, code, hintsUsed, elapsedMs),
    getSolution: ({ id }) => drills.solution(id),

    getStats: ({ days, deckId }) => stats.report(days, deck(deckId)),
    optimizerStatus: () => optimizer.status(),
    optimizeParameters: () => optimizer.optimize()
  }

  return {
    db,
    dataFile,
    handlers,
    lastSync: () => lastSync,
    close: () => db.close()
  }
}
