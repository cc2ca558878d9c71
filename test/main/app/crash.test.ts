// Crash safety: a child process answers cards with the real services and is killed with
// SIGKILL at seeded random moments, at least 100 times. After every kill, each answer the
// child acknowledged (it prints only after the transaction committed) is in the database,
// card state and review log agree, and PRAGMA integrity_check is ok.
import { seededRandom } from '../../../src/shared/seeded-random'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { bundleChild } from './child/bundle'

const KILLS = 100
const SEED = Number(process.env.RETRANSMIT_CRASH_SEED ?? 20260302)

/** A seeded generator, so a failing run can be repeated exactly. */
const seeded = seededRandom

let child = ''
beforeAll(async () => {
  child = await bundleChild(join(import.meta.dirname, 'child', 'collection-child.ts'))
}, 60_000)

interface Run {
  acked: string[]
  signal: NodeJS.Signals | null
  stderr: string
}

/**
 * Runs the answering child and kills it: `afterAcks` null kills at `delayMs` after spawn
 * (perhaps while it opens the file or makes its start-up backup), otherwise at `delayMs`
 * after its first acknowledgement.
 */
function runAndKill(dataDir: string, delayMs: number, afterFirstAck: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, 'answer', dataDir, '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acked: string[] = []
    let pending = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    const killLater = () => (timer = setTimeout(() => proc.kill('SIGKILL'), delayMs))
    if (!afterFirstAck) killLater()
    proc.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop()!
      for (const line of lines) {
        if (line.startsWith('ack ')) {
          acked.push(line.slice(4))
          if (afterFirstAck && timer === null) killLater()
        }
      }
    })
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.on('error', reject)
    proc.on('close', (_code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({ acked, signal, stderr })
    })
  })
}

function inspect(file: string) {
  const db = new Database(file, { readonly: true })
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ')
    const logged = new Map(
      (
        db.prepare('SELECT card_id AS id, count(*) AS n FROM review_log GROUP BY card_id').all() as {
          id: string
          n: number
        }[]
      ).map((r) => [r.id, r.n])
    )
    const reps = new Map(
      (db.prepare('SELECT id, reps FROM cards').all() as { id: string; reps: number }[]).map((r) => [r.id, r.reps])
    )
    return { integrity, logged, reps }
  } finally {
    db.close()
  }
}

describe('crash safety', () => {
  it(`keeps every acknowledged answer through ${KILLS} SIGKILLs at random moments (seed ${SEED})`, async () => {
    const random = seeded(SEED)
    const dataDir = tempDir()
    const setup = openCollection({ dataDir, contentDir: fixtureContent(), door: 'cli', autoBackup: false })
    setup.close()
    const file = join(dataDir, 'collection.sqlite')
    const acked = new Map<string, number>()
    let totalAcked = 0
    let killedMidStream = 0

    for (let kill = 0; kill < KILLS; kill++) {
      const afterFirstAck = random() < 0.75
      const delayMs = Math.floor(random() * (afterFirstAck ? 40 : 400))
      const run = await runAndKill(dataDir, delayMs, afterFirstAck)
      const context = `kill ${kill} (seed ${SEED}, ${afterFirstAck ? 'after first ack' : 'after spawn'} + ${delayMs} ms)`
      expect(run.signal, `${context}: the child ended on its own: ${run.stderr}`).toBe('SIGKILL')
      for (const id of run.acked) acked.set(id, (acked.get(id) ?? 0) + 1)
      totalAcked += run.acked.length
      if (run.acked.length > 0) killedMidStream++

      const { integrity, logged, reps } = inspect(file)
      expect(integrity, context).toBe('ok')
      for (const [id, n] of acked) {
        // Every acknowledged answer is there; at most one more (committed, killed before it printed).
        expect(logged.get(id) ?? 0, `${context}: ${id}`).toBeGreaterThanOrEqual(n)
        expect(logged.get(id) ?? 0, `${context}: ${id}`).toBeLessThanOrEqual(n + 1)
      }
      // Card state and log were written in one transaction: each card's reps match its log rows.
      for (const [id, n] of reps) expect(n, `${context}: reps of ${id}`).toBe(logged.get(id) ?? 0)
      // Count what actually committed from now on (the unacknowledged last answer, if any).
      for (const [id, n] of logged) acked.set(id, n)
    }
    expect(totalAcked).toBeGreaterThan(KILLS)
    expect(killedMidStream).toBeGreaterThan(KILLS / 2)
  }, 180_000)
})
