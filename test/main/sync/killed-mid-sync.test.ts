// A device killed (SIGKILL) at every step of a sync round, many times over, while it and a
// second device keep answering, editing, moving a card and making quiz items: afterwards both
// collections hold every answer and quiz item exactly once, the same states, the last edit and
// the last move, and pass SQLite's integrity check.
import { afterAll, describe, expect, it } from 'vitest'
import { fixtureContent } from '../../helpers/collection'
import { quizBlock } from '../../helpers/content'
import { tempDir } from '../../helpers/temp'
import { startDevice, startServerProcess, type Device, type ServerProcess } from './devices'

// Each kill costs a device start (open the collection, bundle already built) and part of a
// round: about a second on an idle machine, several on the shared 2-core one. The issue asks
// for 50; 50 it is, and the test's time limit is set for a loaded machine.
const KILLS = 50
const TOKEN = 'killed-mid-sync-token-0123456789abcdef'
const HOUR = 3_600_000
const START = Date.UTC(2026, 8, 1, 8, 0, 0)
/** The steps a round reports, in order (round.ts); kill i lands after step i % 6. */
const STEPS = 6

interface Dump {
  answers: { uid: string; cardId: string; reviewedAt: number; rating: number }[]
  cards: { id: string; deckId: string; front: string; state: number; due: number; stability: number; reps: number }[]
  quizItems: { id: string; origin: string }[]
  integrity: string
  daily: { answers: number }
}

let server: ServerProcess
const started: Device[] = []
afterAll(async () => {
  for (const device of started) if (device.child.exitCode === null) device.child.kill('SIGKILL')
  await server?.stop()
})

describe('a device killed mid-sync', () => {
  it(`loses and duplicates nothing after ${KILLS} kills`, async () => {
    // The server in its own process, as `retransmit sync-server` runs.
    server = await startServerProcess(tempDir('retransmit-sync-server-'), { RETRANSMIT_SYNC_TOKEN: TOKEN })
    const content = fixtureContent()
    const killedDir = tempDir('retransmit-killed-')
    const address = { cmd: 'configure', server: server.server.server, token: TOKEN }
    const witness = await startDevice('witness', tempDir('retransmit-witness-'), content)
    started.push(witness)
    await witness.send(address)

    /** Rounds that ended before their kill, and why the failed ones failed (kept for the message below). */
    let finished = 0
    const failures: string[] = []
    let killedAnswers = 0
    let witnessAnswers = 0
    let clock = START
    let lastFront = ''
    let lastDeck = 'beta'
    const quizIds: string[] = []
    // Before the first round: three months of answers, so the first rounds have several documents to write.
    {
      const device = await startDevice('killed', killedDir, content)
      await device.send(address)
      clock = await device.send<number>({ cmd: 'answers', count: 180, from: clock, stepMs: 12 * HOUR })
      killedAnswers += 180
      await device.close()
    }
    for (let i = 0; i < KILLS; i++) {
      const device = await startDevice('killed', killedDir, content)
      started.push(device)
      clock = await device.send<number>({ cmd: 'answers', count: 3, from: clock + HOUR, stepMs: HOUR })
      killedAnswers += 3
      if (i % 3 === 0) {
        lastFront = `What is a handshake? (edit ${i})`
        await device.send({ cmd: 'edit', cardId: 'alpha-2', front: lastFront, back: 'Three segments.' })
      }
      if (i % 4 === 1) {
        lastDeck = lastDeck === 'alpha' ? 'beta' : 'alpha'
        await device.send({ cmd: 'bulk', cardIds: ['beta-1'], action: { action: 'move', deckId: lastDeck } })
      }
      if (i % 7 === 2) {
        quizIds.push(`killed-q${i}`)
        await device.send({
          cmd: 'create-quiz',
          deckId: 'alpha',
          block: quizBlock(`killed-q${i}`, 'truefalse', 'Is it?', 'answer: true\n')
        })
      }
      if (i % 10 === 5) {
        // The other device answers too, so the killed one also has answers to take in when it dies.
        await witness.send({ cmd: 'answers', count: 4, from: clock + 30 * 60_000, stepMs: 60_000 })
        witnessAnswers += 4
        expect((await witness.send<{ lastError: string }>({ cmd: 'sync' })).lastError, witness.stderr()).toBe('')
      }
      const round = device.send<{ lastError: string }>({ cmd: 'sync' }).then(
        (status) => (status.lastError ? failures.push(status.lastError) : finished++),
        () => {}
      )
      // A round that fails early (after an earlier kill) prints fewer steps: kill it when it ends.
      for (let step = 0; step <= i % STEPS; step++)
        if ((await Promise.race([device.nextStep(), round.then(() => null)])) === null) break
      device.child.kill('SIGKILL')
      await device.exited
    }

    const device = await startDevice('killed', killedDir, content)
    started.push(device)
    // A kill while the local Automerge cache was being written may leave it unreadable: the
    // round that finds it so reports the error and drops the cache; the next one rebuilds it.
    let status = await device.send<{ lastError: string }>({ cmd: 'sync' })
    if (status.lastError !== '') status = await device.send<{ lastError: string }>({ cmd: 'sync' })
    expect(status.lastError, `rounds that failed during the kills: ${failures.join('; ')}`).toBe('')
    // Most rounds were cut short: the kills landed inside rounds, not after them.
    expect(finished).toBeLessThan(KILLS / 2)
    expect((await witness.send<{ lastError: string }>({ cmd: 'sync' })).lastError).toBe('')
    expect((await device.send<{ lastError: string }>({ cmd: 'sync' })).lastError).toBe('')

    const [killed, other] = [await device.send<Dump>({ cmd: 'dump' }), await witness.send<Dump>({ cmd: 'dump' })]
    const total = killedAnswers + witnessAnswers
    for (const dump of [killed, other]) {
      expect(dump.answers).toHaveLength(total)
      expect(new Set(dump.answers.map((a) => a.uid)).size).toBe(total)
      expect(new Set(dump.answers.map((a) => `${a.cardId}@${a.reviewedAt}`)).size).toBe(total)
      expect(dump.daily.answers).toBe(total)
      expect(dump.integrity).toBe('ok')
      expect(dump.cards.find((c) => c.id === 'alpha-2')!.front).toBe(lastFront)
      expect(dump.cards.find((c) => c.id === 'beta-1')!.deckId).toBe(lastDeck)
      expect(dump.quizItems.filter((q) => q.origin === 'user').map((q) => q.id)).toEqual(quizIds.sort())
    }
    expect(other.answers).toEqual(killed.answers)
    expect(other.cards).toEqual(killed.cards)
    await device.close()
  }, 900_000)
})
