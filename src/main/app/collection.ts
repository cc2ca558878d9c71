// The one set of services: opens the collection, syncs content, and implements every
// method of the contract. Each door (Electron IPC, HTTP, CLI) wraps this, nothing more.
import { join } from 'node:path'
import type { Handlers } from '../../shared/api'
import type { AppInfo, SyncReport } from '../../shared/domain'
import { syncContentDir } from '../content/sync'
import { openDatabase, schemaVersion, type Db } from '../store/db'
import { createDeckStore } from '../store/decks'
import { createSearchStore } from '../store/search'
import { DATA_FILE_NAME } from './paths'
import { version } from '../../../package.json'

export interface CollectionOptions {
  dataDir: string
  /** The shipped library (content/); null to skip content sync. */
  contentDir: string | null
  door: AppInfo['door']
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  clock?: () => number
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
  let lastSync: SyncReport | null = null

  const sync = (): SyncReport => {
    if (!options.contentDir) throw new Error('no content folder is configured')
    lastSync = syncContentDir(db, options.contentDir, clock())
    return lastSync
  }
  if (options.contentDir && options.syncOnOpen !== false) sync()

  const handlers: Handlers = {
    appInfo: () => ({ version, door: options.door, dataFile, schemaVersion: schemaVersion(db), lastSync }),
    listDecks: () => decks.summaries(clock()),
    search: ({ query, limit }) => search.search(query, limit ?? 50),
    syncContent: () => sync()
  }

  return {
    db,
    dataFile,
    handlers,
    lastSync: () => lastSync,
    close: () => db.close()
  }
}
