// The device side of sync as a service: where the server is, this device's id, sync now, and
// the status Settings → Sync shows. One round at a time; a round asked for while one runs
// waits for it and then runs (so what was answered meanwhile goes too).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ValidationError } from '../../shared/errors'
import type { SyncSettings, SyncStatus } from '../../shared/device-sync'
import type { SchedulerSettings } from '../scheduler/fsrs'
import type { SyncedSettings } from '../study/settings'
import type { Db } from '../store/db'
import { createSyncMarksStore } from '../store/sync-marks'
import { createSyncNotesStore } from '../store/sync-notes'
import { createSyncDraftsStore } from '../store/sync-drafts'
import { createSyncDrillsStore } from '../store/sync-drills'
import { createSyncQuizStore } from '../store/sync-quiz'
import { createSyncStateStore } from '../store/sync-state'
import { tolerateRepoTimeouts } from './library-timeouts'
import type { Connection, RoundDeps } from './round'
import { dropCache, serverUrls, SyncError } from './round-basics'

export interface DeviceSyncDeps {
  db: Db
  dataDir: string
  settings: {
    effective(deckId: string | null): SchedulerSettings & { dayStartHour: number }
    synced: SyncedSettings
  }
  clock?: () => number
  tzOffset?: (now: number) => number
  /** How long a round waits for the server at each step (ms). */
  timeoutMs?: number
  /**
   * Keep the connection and its repo open between rounds (the app, and `serve`): a round then
   * finds the documents and the server's heads it learnt before, instead of loading every document
   * from the local cache again. Call close() before the process ends. Off for the CLI (one round).
   */
  keepConnection?: boolean
}

export interface DeviceSync {
  status(): SyncStatus
  configure(settings: SyncSettings): SyncStatus
  /** Turns automatic sync on or off on this device (kept here, never synced). */
  setAuto(on: boolean): SyncStatus
  /** Runs a round now; resolves with the status after it (a failed round is in `lastError`). */
  syncNow(onStep?: (step: string) => void): Promise<SyncStatus>
  /** Closes the connection kept open between rounds, if any. */
  close(): Promise<void>
  /** Deletes one of the learner's own decks (it is retired: its cards and answers stay), here and, after a sync, everywhere. */
  deleteDeck(deckId: string): void
}

const KEY = {
  device: 'device',
  server: 'server',
  token: 'token',
  at: 'last-sync-at',
  error: 'last-error',
  report: 'last-report',
  auto: 'auto'
}

export function createDeviceSync(deps: DeviceSyncDeps): DeviceSync {
  const store = createSyncStateStore(deps.db)
  const clock = deps.clock ?? Date.now
  const cacheDir = join(deps.dataDir, 'sync-cache')
  let running: Promise<SyncStatus> | null = null
  let step: string | null = null
  /** The connection kept open (keepConnection), with the server address and token it was made for. */
  let open: { key: string; connection: Connection } | null = null
  /** Resolves once every connection closed so far has stopped writing to the cache. */
  let closing: Promise<void> = Promise.resolve()
  const closeConnection = (): Promise<void> => {
    const was = open
    open = null
    if (was) closing = closing.then(() => was.connection.close())
    return closing
  }

  const deviceId = (): string => {
    const known = store.meta(KEY.device)
    if (known) return known
    const made = randomBytes(8).toString('hex')
    store.setMeta(KEY.device, made)
    return made
  }

  /** After the local cache is dropped, everything is looked at again (what the server has is not sent twice). */
  const resetCursors = () => {
    store.setMeta('sent-cursor', '0')
    store.setMeta('edits-cursor', '0')
  }

  const status = (): SyncStatus => {
    const report = store.meta(KEY.report)
    const auto = store.meta(KEY.auto)
    const configured = store.meta(KEY.server) !== null && store.meta(KEY.token) !== null
    return {
      server: store.meta(KEY.server),
      hasToken: store.meta(KEY.token) !== null,
      deviceId: deviceId(),
      running: running !== null,
      step,
      lastSyncAt: Number(store.meta(KEY.at)) || null,
      lastError: store.meta(KEY.error),
      lastReport: report ? (JSON.parse(report) as SyncStatus['lastReport']) : null,
      // Not chosen yet: whoever saved a server means to sync, so it is on once one is saved.
      auto: auto === null ? configured : auto === '1'
    }
  }

  const roundDeps: RoundDeps = {
    db: deps.db,
    store,
    marks: createSyncMarksStore(deps.db),
    notes: createSyncNotesStore(deps.db),
    drafts: createSyncDraftsStore(deps.db),
    drills: createSyncDrillsStore(deps.db),
    quiz: createSyncQuizStore(deps.db),
    synced: deps.settings.synced,
    settings: deps.settings,
    clock,
    tzOffset: deps.tzOffset ?? ((now) => new Date(now).getTimezoneOffset()),
    cursor: (name) => Number(store.meta(`${name}-cursor`) ?? 0),
    setCursor: (name, value) => store.setMeta(`${name}-cursor`, String(value))
  }

  async function round(onStep?: (step: string) => void): Promise<SyncStatus> {
    tolerateRepoTimeouts((message) => process.stderr.write(`${message}\n`))
    const server = store.meta(KEY.server)
    const token = store.meta(KEY.token)
    if (!server || !token) throw new ValidationError('set the sync server and its token first')
    try {
      // Loaded at the first round, not at start: Automerge and its WebAssembly cost every door
      // hundreds of ms, and status, settings and deleting a deck need none of it.
      const { connect, runRound } = await import('./round')
      await closing
      const key = `${server}\n${token}`
      if (open && open.key !== key) await closeConnection()
      const kept = deps.keepConnection
        ? { get: () => (open ??= { key, connection: connect(server, token, cacheDir) }).connection }
        : undefined
      const report = await runRound(
        roundDeps,
        {
          server,
          token,
          deviceId: deviceId(),
          cacheDir,
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
          onStep: (text) => {
            step = text
            onStep?.(text)
          }
        },
        kept
      )
      store.setMeta(KEY.at, String(clock()))
      store.setMeta(KEY.report, JSON.stringify(report))
      store.setMeta(KEY.error, '')
    } catch (error) {
      if (process.env.RETRANSMIT_SYNC_DEBUG) process.stderr.write(`sync round failed: ${(error as Error).stack}\n`)
      store.setMeta(KEY.error, error instanceof Error ? error.message : String(error))
      // A round that failed starts the next one on a new connection.
      await closeConnection()
      // Anything but the server's own refusals may mean a damaged local cache: the next round
      // starts it afresh from the server and re-sends this device's answers (deduplicated by uid).
      if (!(error instanceof SyncError) && !(error instanceof ValidationError)) {
        dropCache(cacheDir)
        resetCursors()
      }
    }
    return status()
  }

  return {
    status,
    configure({ server, token }) {
      serverUrls(server, token)
      if (token.length < 16) throw new ValidationError('a sync token has at least 16 characters')
      if (store.meta(KEY.server) !== server) {
        // Another server knows nothing of this device's documents: start its cache afresh
        // (once a connection still open to the old one has stopped writing to it).
        if (open) closing = closeConnection().then(() => dropCache(cacheDir))
        else dropCache(cacheDir)
        resetCursors()
      }
      store.setMeta(KEY.server, server)
      store.setMeta(KEY.token, token)
      return status()
    },
    setAuto(on) {
      store.setMeta(KEY.auto, on ? '1' : '0')
      return status()
    },
    async close() {
      while (running) await running.catch(() => {})
      await closeConnection()
    },
    async syncNow(onStep) {
      while (running) await running
      running = round(onStep).finally(() => {
        running = null
        step = null
      })
      await running
      return status()
    },
    deleteDeck(deckId) {
      const deck = store.decks().find((row) => row.id === deckId)
      if (!deck || deck.retired) throw new ValidationError(`no deck ${deckId}`)
      if (deck.origin !== 'user')
        throw new ValidationError(`deck ${deckId} is shipped content; only your own decks can be deleted`)
      deps.db.transaction(() => store.retireDeck(deckId, clock()))()
    }
  }
}
