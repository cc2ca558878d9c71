// `npm run bench` also runs this: device sync through a sync server on loopback, as ratios to
// reading the same rows from SQLite. Measures: a device's first sync of a large collection (its
// own cards and every answer go out), a second device's first sync (all of it comes in: cards
// made, every card's log replayed with FSRS), and a no-op sync (nothing changed anywhere).
// The collection is the bench's own (build-collection.ts): RETRANSMIT_BENCH_SYNC_CARDS cards and
// RETRANSMIT_BENCH_SYNC_REVIEWS answers. The default is 10k and 100k, a tenth of the issue's
// 100k and 1M: on the shared 2-core machine (load ~15) 5k/50k took 81 s to send and 123 s to
// receive, so 1M answers would take most of an hour each way, past the bench's time limit. Set
// the two variables to 100000 and 1000000 to measure the full size.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openCollection } from '../src/main/app/collection'
import { openDatabase } from '../src/main/store/db'
import { startSyncServer } from '../src/main/sync/server'
import type { SyncStatus } from '../src/shared/device-sync'
import { buildCollection } from './build-collection'
import { progress, table, versus, writeResults, type Entry } from './report'

const ROOT = join(import.meta.dirname, '..')
const CARDS = Number(process.env.RETRANSMIT_BENCH_SYNC_CARDS ?? 10_000)
const REVIEWS = Number(process.env.RETRANSMIT_BENCH_SYNC_REVIEWS ?? 100_000)
/** No-op rounds measured: each on a fresh connection (the CLI), then each on one kept open (the app). */
const NOOP_RUNS = 7
const READ_RUNS = 5

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

/** Reading what a first sync sends: every answer and the learner's own cards, as the sync reads them. */
function readRows(dataDir: string): number {
  const db = openDatabase(join(dataDir, 'collection.sqlite'))
  try {
    const started = performance.now()
    let n = 0
    for (const _row of db
      .prepare('SELECT uid, card_id, reviewed_at, rating, duration_ms, source FROM review_log')
      .iterate())
      n++
    for (const _row of db.prepare("SELECT id, deck_id, front, back, tags FROM cards WHERE origin = 'user'").iterate())
      n++
    expect(n).toBeGreaterThan(0)
    return performance.now() - started
  } finally {
    db.close()
  }
}

async function timedSync(handlers: {
  syncNow(input: object): Promise<SyncStatus> | SyncStatus
}): Promise<{ ms: number; status: SyncStatus }> {
  const started = performance.now()
  const status = await handlers.syncNow({})
  const ms = performance.now() - started
  expect(status.lastError, 'the sync round failed').toBe('')
  return { ms, status }
}

/** A run of some groups only (RETRANSMIT_BENCH_ONLY, see run.bench-run.ts) leaves this out unless it names `device-sync`. */
const only = process.env.RETRANSMIT_BENCH_ONLY?.split(',').map((g) => g.trim())
it.skipIf(only !== undefined && !only.includes('device-sync'))(
  'device sync: first sync and a no-op sync against reading the rows from SQLite',
  async () => {
    const content = join(ROOT, 'content')
    progress(`sync bench: building ${CARDS.toLocaleString('en')} cards, ${REVIEWS.toLocaleString('en')} answers`)
    const built = buildCollection(content, { name: 'sync', cards: CARDS, logRows: REVIEWS, quizSessions: 0 })
    const serverDir = tempDir('retransmit-bench-sync-server-')
    const server = await startSyncServer({ port: 0, dataDir: serverDir, token: 'bench-sync-token-0123456789abcdef' })
    const address = { server: `http://127.0.0.1:${server.port}`, token: 'bench-sync-token-0123456789abcdef' }
    const second = tempDir('retransmit-bench-sync-second-')
    const entries: Entry[] = []
    try {
      const reads = Array.from({ length: READ_RUNS }, () => readRows(built.dataDir))
      const reference = {
        what: `read the same rows from SQLite (${REVIEWS.toLocaleString('en')} answers, ${CARDS.toLocaleString('en')} cards)`,
        samples: reads
      }

      const first = openCollection({ dataDir: built.dataDir, contentDir: content, door: 'cli', autoBackup: false })
      first.handlers.configureSync(address)
      progress('sync bench: first sync, sending')
      const sent = await timedSync(first.handlers)
      expect(sent.status.lastReport!.sent).toBe(REVIEWS)
      progress('sync bench: no-op syncs')
      const noops: number[] = []
      for (let i = 0; i < NOOP_RUNS; i++) {
        const round = await timedSync(first.handlers)
        expect(round.status.lastReport).toMatchObject({ sent: 0, received: 0, edits: 0 })
        noops.push(round.ms)
      }
      first.close()

      // The app keeps its connection and repo open between rounds (device-sync keepConnection):
      // the first round after opening loads the documents, the next ones find them in memory.
      const app = openCollection({ dataDir: built.dataDir, contentDir: content, door: 'http', autoBackup: false })
      await timedSync(app.handlers)
      const kept: number[] = []
      for (let i = 0; i < NOOP_RUNS; i++) {
        const round = await timedSync(app.handlers)
        expect(round.status.lastReport).toMatchObject({ sent: 0, received: 0, edits: 0 })
        kept.push(round.ms)
      }
      app.close()

      const other = openCollection({ dataDir: second, contentDir: content, door: 'cli', autoBackup: false })
      other.handlers.configureSync(address)
      progress('sync bench: first sync, receiving')
      const received = await timedSync(other.handlers)
      expect(received.status.lastReport!.received).toBe(REVIEWS)
      other.close()

      entries.push(
        versus('first sync, sending everything (one device)', [sent.ms], reference, 'p50', null),
        versus('first sync, receiving everything (a second device)', [received.ms], reference, 'p50', null),
        versus('no-op sync (nothing changed anywhere), fresh connection (the CLI)', noops, reference, 'p50', null),
        versus('no-op sync, connection kept open between rounds (the app)', kept, reference, 'p50', null)
      )
    } finally {
      await server.close()
      for (const dir of [built.dataDir, serverDir, second]) rmSync(dir, { recursive: true, force: true })
    }
    progress('')
    process.stdout.write(
      `\nDevice sync (${CARDS.toLocaleString('en')} cards, ${REVIEWS.toLocaleString('en')} answers)\n${table(entries)}\n`
    )
    writeResults(join(import.meta.dirname, 'sync-results.json'), {
      measures: entries,
      scaling: { tiers: [], rows: [] }
    })
  }
)
