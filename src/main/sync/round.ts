// One sync round of a device against the sync server: send this device's new answers and edits,
// take in everything other devices sent, and wait until the server holds what this device has.
// The local Automerge store (DATA_DIR/sync/) is only a cache: SQLite is what the app reads, and
// every step below can be cut at any point and run again without losing or repeating anything.
import * as A from '@automerge/automerge'
import { Repo, type AutomergeUrl, type DocHandle, type UrlHeads } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { ClosableStorage } from './closable-storage'
import { converged, findOrNull, findWithin, flushReady, holds, serverPeer } from './repo-waits'
import { ownDocuments } from './own-documents'
import type { SyncRoundReport } from '../../shared/device-sync'
import { encodeAnswer, logKey, periodOf, UNDONE } from './answers'
import { applyPending, type ApplyDeps } from './apply'
import type { DrillsDoc, EditsDoc, IndexDoc, LogDoc } from './documents'
import { pushDrills, takeDrills } from './drill-log'
import type { SyncDrillsStore } from '../store/sync-drills'
import type { SyncQuizStore } from '../store/sync-quiz'
import { pushQuizItems } from './quiz-sync'
import type { SyncMarksStore } from '../store/sync-marks'
import type { SyncNotesStore } from '../store/sync-notes'
import type { SyncDraftsStore } from '../store/sync-drafts'
import { pushDrafts } from './drafts-sync'
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
/** The index keys of the documents each device writes for itself, per month: answers and drill records. */
const OWN_KINDS = ['log:', 'drills:']

/** The collection's index URL, and the heads of the documents the server holds (see server.ts). */
async function fetchIndex(
  http: string,
  token: string,
  timeoutMs: number
): Promise<{ url: AutomergeUrl; heads: Record<string, UrlHeads> }> {
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
  const body = (await response.json()) as { index?: unknown; heads?: unknown }
  if (typeof body.index !== 'string' || !body.index.startsWith('automerge:'))
    throw new SyncError('the sync server sent no collection index')
  const heads = typeof body.heads === 'object' && body.heads !== null ? body.heads : {}
  return { url: body.index as AutomergeUrl, heads: heads as Record<string, UrlHeads> }
}

export interface RoundDeps extends ApplyDeps {
  marks: SyncMarksStore
  notes: SyncNotesStore
  drafts: SyncDraftsStore
  drills: SyncDrillsStore
  quiz: SyncQuizStore
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
  const documents = ownDocuments<LogDoc>(repo, index, timeoutMs)
  const monthDoc = (period: string) => documents.get(logKey(period, deviceId))
  let sent = 0
  for (;;) {
    const batch = deps.store.ownAnswersAfter(deviceId, cursor, SEND_BATCH)
    if (batch.length === 0) break
    const byPeriod = new Map<string, typeof batch>()
    for (const answer of batch) {
      const period = periodOf(answer.reviewedAt)
      const answers = byPeriod.get(period)
      if (answers) answers.push(answer)
      else byPeriod.set(period, [answer])
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
  return { sent, handles: documents.touched() }
}

/** The WebSocket to the sync server and the repo over the local cache, which device-sync keeps open between rounds. */
export interface Connection {
  repo: Repo
  /** Stops the repo (its last flush) and the socket; what its timers write after that is dropped. */
  close(): Promise<void>
}

export function connect(server: string, token: string, cacheDir: string): Connection {
  const adapter = new WebSocketClientAdapter(serverUrls(server, token).ws)
  // The adapter rethrows any socket error but a refused connection from inside an event
  // handler, which would end the whole process (the app's main process too); a lost server
  // shows up instead as the step that times out waiting for it.
  adapter.onError = () => {}
  const storage = new ClosableStorage(cacheDir)
  const repo = new Repo({
    network: [adapter],
    storage,
    sharePolicy: async () => true
  })
  return {
    repo,
    async close() {
      await repo.shutdown().catch(() => {})
      await storage.close()
    }
  }
}

/**
 * One round. With `kept`, the round takes its connection from there (made, once the server has
 * answered over HTTP, by the first round that needs it) and leaves it open: documents loaded and
 * heads learnt in earlier rounds are still there. Without, it opens one and closes it at the end (the CLI).
 */
export async function runRound(
  deps: RoundDeps,
  options: RoundOptions,
  kept?: { get(): Connection }
): Promise<SyncRoundReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const step = options.onStep ?? (() => {})
  const urls = serverUrls(options.server, options.token)
  step('asking the server for the collection')
  const { url: indexUrl, heads: serverHeads } = await fetchIndex(urls.http, options.token, timeoutMs)
  /** Waits until this copy holds what the server held when asked (a kept connection may lag behind). */
  const caughtUp = async (handle: DocHandle<unknown>) => {
    const heads = serverHeads[handle.url]
    if (!Array.isArray(heads)) return
    let held: boolean
    try {
      held = await holds(handle, heads, timeoutMs)
    } catch {
      throw new SyncError(`the sync server sent malformed heads for ${handle.url}`)
    }
    if (!held) throw new SyncError(`document ${handle.url} did not arrive from the sync server within ${timeoutMs} ms`)
  }
  // Only now: a socket closed while still connecting (a server that does not answer) would throw.
  const open = kept ? kept.get() : connect(options.server, options.token, options.cacheDir)
  const repo = open.repo
  try {
    const server = await serverPeer(repo, timeoutMs)
    const index = await findWithin<IndexDoc>(repo, indexUrl, timeoutMs)
    await caughtUp(index)
    await converged(index, server, timeoutMs)

    step('sending answers')
    const { sent, handles: sentDocs } = await sendAnswers(deps, repo, index, options.deviceId, timeoutMs)
    step('sending drill attempts')
    const drillDocs = ownDocuments<DrillsDoc>(repo, index, timeoutMs)
    const drills = await pushDrills(deps, drillDocs, options.deviceId)
    // The notes are cleared only once the documents holding them are on disk here.
    await flushReady(repo)
    if (drills.last !== null) deps.db.transaction(() => deps.drills.clearSent(drills.last!))()
    sentDocs.push(...drillDocs.touched())
    // This device's other month documents too: one written in a round cut short before the
    // server had it sits only in the local store, and nothing else would ever load it.
    for (const [key, url] of Object.entries(index.doc())) {
      if (!OWN_KINDS.some((kind) => key.startsWith(kind)) || !key.endsWith(`:${options.deviceId}`)) continue
      if (sentDocs.some((handle) => handle.url === String(url))) continue
      const handle = await findOrNull<LogDoc>(repo, String(url) as AutomergeUrl, timeoutMs)
      if (handle) sentDocs.push(handle)
    }

    step('merging edits')
    const edits = await findWithin<EditsDoc>(repo, String(index.doc().edits) as AutomergeUrl, timeoutMs)
    await caughtUp(edits)
    await converged(edits, server, timeoutMs)
    const editsApplied = deps.store.appliedHeads(edits.url) as UrlHeads | null
    if (editsApplied && !(await holds(edits, editsApplied, timeoutMs))) {
      throw new SyncError('the sync server does not have the edits this collection took in; is it the same server?')
    }
    // What the document held before this device wrote to it, and right after: any other
    // difference from what was taken in last time came from another device.
    const before = edits.heads()
    const editsFrom = deps.clock()
    const editCount =
      pushQuizItems(edits, editsApplied, deps.quiz.own(deps.cursor('edits'))) +
      pushEdits(
        edits,
        editsApplied,
        { cards: deps.store.editableCards(deps.cursor('edits')), notes: deps.notes.editable(deps.cursor('edits')) },
        deps.store.decks(),
        editsFrom
      )
    const marks = deps.marks.changes()
    const settings = deps.synced.changes()
    const markCount =
      pushMarks(edits, options.deviceId, marks) +
      pushSettings(edits, options.deviceId, settings) +
      pushDrafts(edits, options.deviceId, deps.drafts.savedSince(deps.cursor('edits')))
    const pushed = edits.heads()
    await flushReady(repo)
    deps.setCursor('edits', editsFrom)
    deps.db.transaction(() => {
      deps.marks.clearSent(marks)
      deps.synced.clearSent(settings)
    })()
    await converged(edits, server, timeoutMs)
    const refused: string[] = []
    const tookEdits = !editsApplied || !sameHeads(editsApplied, before) || !sameHeads(pushed, edits.heads())
    takeEdits(deps, edits, refused)

    step('receiving answers')
    await converged(index, server, timeoutMs)
    const logUrls = Object.entries(index.doc())
      // This device's own documents hold nothing it lacks.
      .filter(([key]) => OWN_KINDS.some((kind) => key.startsWith(kind)) && !key.endsWith(`:${options.deviceId}`))
      .map(([key, url]) => ({
        url: String(url) as AutomergeUrl,
        device: key.slice(key.lastIndexOf(':') + 1),
        drills: key.startsWith('drills:')
      }))
    let received = 0
    let drillsReceived = 0
    let waiting = 0
    for (const { url, device, drills: isDrills } of logUrls) {
      // Named in the index by a device that has not yet sent it (cut short): it comes in a later round.
      const handle = await findOrNull<LogDoc>(repo, url, timeoutMs)
      if (!handle) {
        waiting++
        continue
      }
      await caughtUp(handle)
      await converged(handle, server, timeoutMs)
      const recorded = deps.store.appliedHeads(handle.url)
      if (recorded) await holds(handle, recorded as UrlHeads, timeoutMs)
      const prefixes = { own: `${options.deviceId}:`, writer: `${device}:`, device }
      if (isDrills) drillsReceived += takeDrills(deps, handle, prefixes, refused)
      else received += takeLog(deps, handle, prefixes, refused)
    }
    received += applyPending(deps)

    step('waiting for the server to store everything')
    for (const handle of [index, edits, ...sentDocs]) await converged(handle, server, timeoutMs)
    await flushReady(repo)
    return {
      sent,
      received,
      edits: editCount + markCount,
      tookEdits,
      drillsSent: drills.written,
      drillsReceived,
      documents: logUrls.length + 2,
      waiting,
      refused: refused.slice(0, 20),
      refusedCount: refused.length
    }
  } finally {
    if (!kept) await open.close()
  }
}
