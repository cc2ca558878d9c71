// Automatic sync between two real collections and a real sync server on loopback: an answer
// given on one device reaches the other with no "Sync now", an automatic round that only sent
// this device's work keeps its undo history, one that took in another device's answers clears
// it, and a server that went away shows in the status. Rounds come seconds apart in the app;
// here the timing is shortened and the test waits for each round's report, never for time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import type { SyncStatus } from '../../../src/shared/device-sync'
import { nodeTimers, type AutoSyncTimers } from '../../../src/main/sync/auto-sync'
import { startSyncServer, type SyncServer } from '../../../src/main/sync/server'
import { fixtureContent } from '../../helpers/collection'
import { fixedClock, FIXED_NOW, tempDir } from '../../helpers/temp'

const TOKEN = 'auto-sync-test-token-0123456789'
const timing = { startDelayMs: 0, debounceMs: 20, maxWaitMs: 200, periodMs: 100, retryMs: 20, maxRetryMs: 200 }

interface AutoDevice {
  collection: Collection
  clock: ReturnType<typeof fixedClock>
  /** Resolves with the status of the first automatic round after now that satisfies `test`. */
  round(test: (status: SyncStatus) => boolean): Promise<SyncStatus>
  answers(): { uid: string; cardId: string }[]
}

function openDevice(name: string, contentDir: string): AutoDevice {
  const waiting: { test: (status: SyncStatus) => boolean; resolve: (status: SyncStatus) => void }[] = []
  const clock = fixedClock(FIXED_NOW)
  const collection = openCollection({
    dataDir: tempDir(`retransmit-auto-${name}-`),
    contentDir,
    door: 'http',
    clock,
    autoBackup: false,
    autoSync: {
      timing,
      onRound: (status) => {
        for (const wait of waiting.splice(0)) {
          if (wait.test(status)) wait.resolve(status)
          else waiting.push(wait)
        }
      }
    }
  })
  return {
    collection,
    clock,
    round: (test) => new Promise((resolve) => waiting.push({ test, resolve })),
    answers: () =>
      collection.db.prepare('SELECT uid, card_id AS cardId FROM review_log ORDER BY uid').all() as {
        uid: string
        cardId: string
      }[]
  }
}

let server: SyncServer
let laptop: AutoDevice
let desktop: AutoDevice

beforeAll(async () => {
  server = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-auto-server-'), token: TOKEN })
  const content = fixtureContent()
  laptop = openDevice('laptop', content)
  desktop = openDevice('desktop', content)
})

afterAll(async () => {
  laptop?.collection.close()
  desktop?.collection.close()
  await server?.close()
})

describe('automatic sync', () => {
  it('is off until a server is saved, then on by default, and can be turned off', async () => {
    const { handlers } = laptop.collection
    expect((await handlers.syncStatus({})).auto).toBe(false)
    const address = `http://127.0.0.1:${server.port}`
    const firstRounds = [laptop, desktop].map((device) => device.round((status) => status.lastError === ''))
    for (const device of [laptop, desktop]) {
      const status = await device.collection.handlers.configureSync({ server: address, token: TOKEN })
      expect(status.auto).toBe(true)
    }
    // Each device's first round (soon after the server was saved) ran by itself.
    await Promise.all(firstRounds)
    expect((await handlers.setAutoSync({ on: false })).auto).toBe(false)
    expect((await handlers.syncStatus({})).auto).toBe(false)
    // The choice stays on this device: a round each way leaves the desktop's on.
    expect((await handlers.syncNow({})).lastError).toBe('')
    await desktop.round((status) => status.lastError === '')
    expect((await desktop.collection.handlers.syncStatus({})).auto).toBe(true)
    expect((await handlers.setAutoSync({ on: true })).auto).toBe(true)
    // Settled: a round that finds nothing new from the other device.
    await laptop.round((status) => status.lastError === '' && status.lastReport?.tookEdits === false)
  })

  it('brings an answer given on one device to the other without anyone pressing Sync now', async () => {
    const sent = laptop.round((status) => status.lastReport?.sent === 1)
    await laptop.collection.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    expect(laptop.answers()).toHaveLength(1)
    const status = await sent
    // The round gave the answer its sync id.
    const given = laptop.answers()
    expect(given[0]?.uid).toBeTruthy()
    expect(status.lastError).toBe('')
    expect(status.lastReport?.tookEdits).toBe(false)
    // The round that only sent this device's answer left its undo history alone.
    expect((await laptop.collection.handlers.undoStatus({})).undo).not.toBeNull()

    await desktop.round((s) => (s.lastReport?.received ?? 0) > 0)
    expect(desktop.answers()).toEqual(given)
  })

  it("clears the undo history only when a round takes in another device's work", async () => {
    expect((await laptop.collection.handlers.undoStatus({})).undo).not.toBeNull()
    const took = laptop.round((status) => (status.lastReport?.received ?? 0) > 0)
    desktop.clock.advance(3_600_000)
    const sent = desktop.round((status) => status.lastReport?.sent === 1)
    await desktop.collection.handlers.answerCard({ cardId: 'alpha-2', rating: 4, durationMs: 1000 })
    await sent
    expect((await desktop.collection.handlers.undoStatus({})).undo).not.toBeNull()

    await took
    expect((await laptop.collection.handlers.undoStatus({})).undo).toBeNull()
    expect(
      laptop
        .answers()
        .map((a) => a.cardId)
        .sort()
    ).toEqual(['alpha-1', 'alpha-2'])
  })

  it('shows a failure in the status when the server is gone, and keeps trying', async () => {
    await server.close()
    await laptop.collection.handlers.answerCard({ cardId: 'beta-1', rating: 3, durationMs: 1000 })
    const failed = await laptop.round((status) => Boolean(status.lastError))
    expect(failed.lastError).not.toBe('')
    // A failed round took nothing in: the answer can still be undone.
    expect((await laptop.collection.handlers.undoStatus({})).undo).not.toBeNull()
    // A later round after the failure (the backoff's wait) fails again rather than stopping.
    const again = await laptop.round((status) => Boolean(status.lastError))
    expect((await laptop.collection.handlers.syncStatus({})).lastError).toBe(again.lastError)
  })
})

describe('automatic sync timers', () => {
  /** Real timers that count how many are set and not yet run or cleared. */
  function countingTimers() {
    const live = new Set<unknown>()
    let set = 0
    const timers: AutoSyncTimers = {
      set(run, ms) {
        set++
        const handle: unknown = nodeTimers.set(() => {
          live.delete(handle)
          run()
        }, ms)
        live.add(handle)
        return handle
      },
      clear(handle) {
        live.delete(handle)
        nodeTimers.clear(handle)
      }
    }
    return { timers, live: () => live.size, set: () => set }
  }

  const open = (door: 'http' | 'cli', timers: AutoSyncTimers) =>
    openCollection({
      dataDir: tempDir(`retransmit-auto-timers-${door}-`),
      contentDir: fixtureContent(),
      door,
      clock: fixedClock(),
      autoBackup: false,
      // Long enough that no round runs while the test looks.
      autoSync: { timers, timing: { startDelayMs: 3_600_000 } }
    })
  // Nothing listens here: a round would fail, but none is due within the test.
  const settings = { server: 'http://127.0.0.1:9', token: TOKEN }

  it('leaves no timer behind when the collection closes', async () => {
    const counted = countingTimers()
    const collection = open('http', counted.timers)
    await collection.handlers.configureSync(settings)
    await collection.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    expect(counted.live()).toBe(1)
    collection.close()
    expect(counted.live()).toBe(0)
  })

  it('sets no timer in the CLI, which syncs only when told', async () => {
    const counted = countingTimers()
    const collection = open('cli', counted.timers)
    await collection.handlers.configureSync(settings)
    await collection.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    expect((await collection.handlers.syncStatus({})).auto).toBe(true)
    expect(counted.set()).toBe(0)
    collection.close()
  })

  it('ends the wait after a failure when Sync now succeeds', async () => {
    // Timers run only when the test says; each set() records its delay (ms).
    const pending: { run: () => void; ms: number }[] = []
    const timers: AutoSyncTimers = {
      set: (run, ms) => pending.push({ run, ms }),
      clear: (handle) => void pending.splice((handle as number) - 1, 1, { run: () => {}, ms: -1 })
    }
    const last = () => pending.at(-1)!
    let rounds: ((status: SyncStatus) => void)[] = []
    const collection = openCollection({
      dataDir: tempDir('retransmit-auto-retry-'),
      contentDir: fixtureContent(),
      door: 'http',
      clock: fixedClock(),
      autoBackup: false,
      // The schedule's clock stands still, so each delay is exact (with Date.now a millisecond
      // could pass between a round's end and the timer it sets: 599,999 ms once here).
      autoSync: {
        timers,
        now: () => FIXED_NOW,
        onRound: (status) => rounds.splice(0).forEach((resolve) => resolve(status))
      }
    })
    try {
      await collection.handlers.configureSync(settings)
      const failed = new Promise<SyncStatus>((resolve) => (rounds = [resolve]))
      last().run()
      expect((await failed).lastError).not.toBe('')
      // The schedule sets the retry once the round's promise has settled (a turn later).
      await new Promise<void>((resolve) => setImmediate(resolve))
      expect(last().ms).toBe(30_000)

      const live = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-auto-retry-server-'), token: TOKEN })
      try {
        // Saving a server asks for a round after the quiet time; a successful Sync now ends the
        // failure's wait and the next automatic round comes a period later.
        await collection.handlers.configureSync({ server: `http://127.0.0.1:${live.port}`, token: TOKEN })
        expect((await collection.handlers.syncNow({})).lastError).toBe('')
        expect(last().ms).toBe(10 * 60_000)
      } finally {
        await live.close()
      }
    } finally {
      collection.close()
    }
  })
})

describe('Sync now and the undo history', () => {
  // The CLI door runs no automatic round, so every round here is one "Sync now".
  const open = (name: string) =>
    openCollection({
      dataDir: tempDir(`retransmit-sync-now-${name}-`),
      contentDir: fixtureContent(),
      door: 'cli',
      clock: fixedClock(FIXED_NOW),
      autoBackup: false
    })

  it("keeps undo after a round that only sent this device's work, and clears it once another's comes in", async () => {
    const syncServer = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-sync-now-server-'), token: TOKEN })
    const mine = open('laptop')
    const theirs = open('desktop')
    try {
      const settings = { server: `http://127.0.0.1:${syncServer.port}`, token: TOKEN }
      for (const device of [mine, theirs]) await device.handlers.configureSync(settings)
      // Settle first: a device's first round counts as taking edits in, and so does the round after
      // the other device's first.
      for (const device of [mine, theirs, mine]) expect((await device.handlers.syncNow({})).lastError).toBe('')
      await mine.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
      await mine.handlers.flagCards({ cardIds: ['alpha-1'], flag: 2 })
      const sent = await mine.handlers.syncNow({})
      expect(sent.lastError).toBe('')
      // An answer and an edit (the flag) went out, nothing came in: the flag can still be undone.
      expect(sent.lastReport).toMatchObject({ sent: 1, received: 0, tookEdits: false })
      expect(sent.lastReport!.edits).toBeGreaterThan(0)
      expect((await mine.handlers.undoStatus({})).undo).not.toBeNull()

      await theirs.handlers.answerCard({ cardId: 'alpha-2', rating: 4, durationMs: 1000 })
      expect((await theirs.handlers.syncNow({})).lastError).toBe('')
      const took = await mine.handlers.syncNow({})
      expect(took.lastReport?.received).toBe(1)
      expect((await mine.handlers.undoStatus({})).undo).toBeNull()
    } finally {
      mine.close()
      theirs.close()
      await syncServer.close()
    }
  })
})
