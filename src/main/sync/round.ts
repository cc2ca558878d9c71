// One sync round of a device against the sync server: send this device's new answers and edits,
// take in everything other devices sent, and wait until the server holds what this device has.
// The local Automerge store (DATA_DIR/sync/) is only a cache: SQLite is what the app reads, and
// every step below can be cut at any point and run again without losing or repeating anything.
import * as A from '@automerge/automerge'
import {
  decodeHeads,
  Repo,
  type AutomergeUrl,
  type DocHandle,
  type PeerId,
  type StorageId,
  type UrlHeads
} from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { ClosableStorage } from './closable-storage'
import type { SyncRoundReport } from '../../shared/device-sync'
import { encodeAnswer, logKey, periodOf, UNDONE } from './answers'
import { applyPending, type ApplyDeps } from './apply'
import type { EditsDoc, IndexDoc, LogDoc } from './documents'
import type { SyncMarksStore } from '../store/sync-marks'
import type { SyncNotesStore } from '../store/sync-notes'
import { pushEdits } from './edits'
import { pushMarks } from './marks'
import { pushSettings } from './settings-sync'
import type { SyncedSettings } from '../study/settings'
import { takeEdits } from './take-edits'
import { takeLog } from './take-log'
import { sameHeads, serverUrls, SyncError } from './round-basics'

export interface RoundOptions {
  /** The server's address: http://host:port (https:// for a server behind TLS). */
  server: string
  token: string
  deviceId: string
  /** Where the local Automerge cache lives. */
  cacheDir: string
  /** How long to wait for the server at each step (ms). */
  timeoutMs?: number
  /** Called with a short description of each step, for a progress line. */
  onStep?: (step: string) => void
}

export type { SyncRoundReport as RoundReport } from '../../shared/device-sync'

/** How many of this device's answers go into the log documents per batch. */
const SEND_BATCH = 20_000
const DEFAULT_TIMEOUT_MS = 60_000

async function fetchIndexUrl(http: string, token: string, timeoutMs: number): Promise<AutomergeUrl> {
  let response: Response
  try {
    response = await fetch(`${http}/collection`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs)
    })
  } catch (error) {
    throw new SyncError(
      `cannot reach the sync server at ${http}: ${(error as Error).cause ?? (error as Error).message}`
    )
  }
  if (response.status === 401) throw new SyncError('the sync server refused the token')
  if (!response.ok) throw new SyncError(`the sync server answered ${response.status}`)
  const body = (await response.json()) as { index?: unknown }
  if (typeof body.index !== 'string' || !body.index.startsWith('automerge:'))
    throw new SyncError('the sync server sent no collection index')
  return body.index as AutomergeUrl
}

/** Resolves once the server's copy of `handle` has exactly this device's heads. */
function converged(handle: DocHandle<unknown>, server: StorageId, timeoutMs: number): Promise<void> {
  const done = () => {
    const remote = handle.getRemoteHeads(server)
    return remote !== undefined && sameHeads(remote, handle.heads())
  }
  if (done()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new SyncError(`the sync server did not confirm document ${handle.documentId} within ${timeoutMs} ms`))
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      handle.off('remote-heads', check)
      handle.off('heads-changed', check)
    }
    handle.on('remote-heads', check)
    handle.on('heads-changed', check)
  })
}

/**
 * Resolves true once `handle` holds every change in `heads`, false after `timeoutMs`. A cache cut
 * short by a crash can lack changes SQLite already took in; the server has them (they were
 * confirmed before they were taken in) and sends them while the round syncs.
 */
function holds(handle: DocHandle<unknown>, heads: UrlHeads, timeoutMs: number): Promise<boolean> {
  const has = () => A.hasHeads(handle.doc(), decodeHeads(heads))
  if (has()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const check = () => {
      if (!has()) return
      cleanup()
      resolve(true)
    }
    const timer = setTimeout(() => {
      cleanup()
      resolve(false)
    }, timeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      handle.off('heads-changed', check)
    }
    handle.on('heads-changed', check)
  })
}

function serverPeer(repo: Repo, timeoutMs: number): Promise<StorageId> {
  const storageOf = (peerId: PeerId) => repo.getStorageIdOfPeer(peerId)
  for (const peer of repo.peers) {
    const id = storageOf(peer)
    if (id) return Promise.resolve(id)
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      repo.networkSubsystem.off('peer', onPeer)
      reject(new SyncError(`no answer from the sync server within ${timeoutMs} ms`))
    }, timeoutMs)
    const onPeer = ({ peerId }: { peerId: PeerId }) => {
      const id = storageOf(peerId)
      if (!id) return
      clearTimeout(timer)
      repo.networkSubsystem.off('peer', onPeer)
      resolve(id)
    }
    repo.networkSubsystem.on('peer', onPeer)
  })
}

/** Writes every loaded document to the local store (Repo#flush alone throws on a handle left unavailable). */
function flushReady(repo: Repo): Promise<void> {
  const ready = Object.values(repo.handles).filter((handle) => handle.isReady())
  return repo.flush(ready.map((handle) => handle.documentId))
}

/** The document, or null when neither the local cache nor the server has it. */
async function findOrNull<T>(repo: Repo, url: AutomergeUrl, timeoutMs: number): Promise<DocHandle<T> | null> {
  try {
    return await findWithin<T>(repo, url, timeoutMs)
  } catch (error) {
    if (error instanceof SyncError) return null
    throw error
  }
}

async function findWithin<T>(repo: Repo, url: AutomergeUrl, timeoutMs: number): Promise<DocHandle<T>> {
  try {
    return await repo.find<T>(url, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    throw new SyncError(`document ${url} is not available: ${(error as Error).message}`)
  }
}

export interface RoundDeps extends ApplyDeps {
  marks: SyncMarksStore
  notes: SyncNotesStore
  /** The settings' side of sync (study/settings.ts): the app's own service, so its cache sees what comes in. */
  synced: SyncedSettings
  /**
   * Persisted by the caller: `sent`, the highest own review_log row already in a log document;
   * `edits`, the time (ms) from which cards are looked at again for edits.
   */
  cursor(name: 'sent' | 'edits'): number
  setCursor(name: 'sent' | 'edits', value: number): void
}

/** Sends this device's answers after the cursor into its month documents; returns how many and the documents touched. */
async function sendAnswers(
  deps: RoundDeps,
  repo: Repo,
  index: DocHandle<IndexDoc>,
  deviceId: string,
  timeoutMs: number
): Promise<{ sent: number; handles: DocHandle<LogDoc>[] }> {
  // A redo puts an undone answer back under its old row id, below the cursor: start from there.
  const unsent = deps.store.firstUnsent()
  let cursor = Math.min(deps.cursor('sent'), unsent === null ? Infinity : unsent - 1)
  deps.db.transaction(() => deps.store.assignUids(deviceId))()
  const touched = new Map<string, DocHandle<LogDoc>>()
  const monthDoc = async (period: string): Promise<DocHandle<LogDoc>> => {
    const key = logKey(period, deviceId)
    let handle = touched.get(key)
    if (!handle) {
      const known = index.doc()[key]
      // A document this device named in the index but that neither its cache nor the server
      // holds (a crash between the two writes) is replaced: the answers it would have held
      // are after the cursor, and a copy that did get out is merged by uid wherever it went.
      handle = (known && (await findOrNull<LogDoc>(repo, String(known) as AutomergeUrl, timeoutMs))) || undefined
      if (!handle) {
        const made = repo.create<LogDoc>({})
        index.change((d) => void (d[key] = new A.ImmutableString(made.url)))
        handle = made
      }
      touched.set(key, handle)
    }
    return handle
  }
  let sent = 0
  for (;;) {
    const batch = deps.store.ownAnswersAfter(deviceId, cursor, SEND_BATCH)
    if (batch.length === 0) break
    const byPeriod = new Map<string, typeof batch>()
    for (const answer of batch) {
      const period = periodOf(answer.reviewedAt)
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), answer])
    }
    for (const [period, answers] of byPeriod) {
      ;(await monthDoc(period)).change((d) => {
        for (const answer of answers) {
          if (!(answer.uid in d)) {
            d[answer.uid] = new A.ImmutableString(encodeAnswer(answer))
            sent++
          }
        }
      })
    }
    cursor = batch.at(-1)!.id
  }
  // Answers undone here after they were sent: a tombstone under the uid, in the answer's month.
  const undone = deps.store.undone()
  for (const { uid, reviewedAt } of undone) {
    ;(await monthDoc(periodOf(reviewedAt))).change((d) => void (d[uid] = new A.ImmutableString(UNDONE)))
  }
  // The cursor moves only once the documents holding those answers are on disk here.
  await flushReady(repo)
  deps.setCursor('sent', cursor)
  deps.db.transaction(() => deps.store.clearUndone(undone.map((entry) => entry.uid)))()
  return { sent, handles: [...touched.values()] }
}

export async function runRound(deps: RoundDeps, options: RoundOptions): Promise<SyncRoundReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const step = options.onStep ?? (() => {})
  const urls = serverUrls(options.server, options.token)
  step('asking the server for the collection')
  const indexUrl = await fetchIndexUrl(urls.http, options.token, timeoutMs)
  const adapter = new WebSocketClientAdapter(urls.ws)
  // The adapter rethrows any socket error but a refused connection from inside an event
  // handler, which would end the whole process (the app's main process too); a lost server
  // shows up instead as the step that times out waiting for it.
  adapter.onError = () => {}
  const storage = new ClosableStorage(options.cacheDir)
  const repo = new Repo({
    network: [adapter],
    storage,
    sharePolicy: async () => true
  })
  try {
    const server = await serverPeer(repo, timeoutMs)
    const index = await findWithin<IndexDoc>(repo, indexUrl, timeoutMs)
    await converged(index, server, timeoutMs)

    step('sending answers')
    const { sent, handles: sentDocs } = await sendAnswers(deps, repo, index, options.deviceId, timeoutMs)
    // This device's other month documents too: one written in a round cut short before the
    // server had it sits only in the local store, and nothing else would ever load it.
    for (const [key, url] of Object.entries(index.doc())) {
      if (!key.startsWith('log:') || !key.endsWith(`:${options.deviceId}`)) continue
      if (sentDocs.some((handle) => handle.url === String(url))) continue
      const handle = await findOrNull<LogDoc>(repo, String(url) as AutomergeUrl, timeoutMs)
      if (handle) sentDocs.push(handle)
    }

    step('merging edits')
    const edits = await findWithin<EditsDoc>(repo, String(index.doc().edits) as AutomergeUrl, timeoutMs)
    await converged(edits, server, timeoutMs)
    const editsApplied = deps.store.appliedHeads(edits.url) as UrlHeads | null
    if (editsApplied && !(await holds(edits, editsApplied, timeoutMs))) {
      throw new SyncError('the sync server does not have the edits this collection took in; is it the same server?')
    }
    const editsFrom = deps.clock()
    const editCount = pushEdits(
      edits,
      editsApplied,
      { cards: deps.store.editableCards(deps.cursor('edits')), notes: deps.notes.editable(deps.cursor('edits')) },
      deps.store.decks(),
      editsFrom
    )
    const marks = deps.marks.changes()
    const settings = deps.synced.changes()
    const markCount = pushMarks(edits, options.deviceId, marks) + pushSettings(edits, options.deviceId, settings)
    await flushReady(repo)
    deps.setCursor('edits', editsFrom)
    deps.db.transaction(() => {
      deps.marks.clearSent(marks)
      deps.synced.clearSent(settings)
    })()
    await converged(edits, server, timeoutMs)
    const refused: string[] = []
    takeEdits(deps, edits, refused)

    step('receiving answers')
    await converged(index, server, timeoutMs)
    const logUrls = Object.entries(index.doc())
      // This device's own documents hold nothing it lacks.
      .filter(([key]) => key.startsWith('log:') && !key.endsWith(`:${options.deviceId}`))
      .map(([key, url]) => ({ url: String(url) as AutomergeUrl, device: key.slice(key.lastIndexOf(':') + 1) }))
    let received = 0
    let waiting = 0
    for (const { url, device } of logUrls) {
      // Named in the index by a device that has not yet sent it (cut short): it comes in a later round.
      const handle = await findOrNull<LogDoc>(repo, url, timeoutMs)
      if (!handle) {
        waiting++
        continue
      }
      await converged(handle, server, timeoutMs)
      const recorded = deps.store.appliedHeads(handle.url)
      if (recorded) await holds(handle, recorded as UrlHeads, timeoutMs)
      received += takeLog(deps, handle, { own: `${options.deviceId}:`, writer: `${device}:` }, refused)
    }
    received += applyPending(deps)

    step('waiting for the server to store everything')
    for (const handle of [index, edits, ...sentDocs]) await converged(handle, server, timeoutMs)
    await flushReady(repo)
    return {
      sent,
      received,
      edits: editCount + markCount,
      documents: logUrls.length + 2,
      waiting,
      refused: refused.slice(0, 20),
      refusedCount: refused.length
    }
  } finally {
    await repo.shutdown().catch(() => {})
    storage.close()
  }
}
