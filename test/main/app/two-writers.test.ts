// Two writers on one data folder (the desktop app and the CLI): neither sees "database is
// locked"; both finish and every write is there. Write transactions begin IMMEDIATE, so a
// writer waits for the other (busy_timeout) instead of failing when its read snapshot is stale.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { bundleChild } from './child/bundle'

let child = ''
beforeAll(async () => {
  child = await bundleChild(join(import.meta.dirname, 'child', 'collection-child.ts'))
}, 60_000)

const opened: Collection[] = []
afterAll(async () => {
  for (const c of opened.splice(0)) {
    await c.settled()
    c.close()
  }
})

interface ChildRun {
  code: number | null
  lines: string[]
  stderr: string
}

function runChild(
  mode: 'answer' | 'import' | 'settings' | 'decks',
  dataDir: string,
  count: number,
  extra: string[] = [],
  onReady?: (start: () => void) => void
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mode, dataDir, String(count), ...extra], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let out = ''
    let stderr = ''
    let ready = false
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (!ready && out.startsWith('ready\n')) {
        ready = true
        onReady?.(() => proc.stdin.end('go\n'))
      }
    })
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.on('error', reject)
    proc.on('close', (code) => resolve({ code, lines: out.split('\n').filter(Boolean), stderr }))
  })
}

/** Two children of `mode` released together once both have opened the collection. */
async function race(mode: 'settings' | 'decks', dataDir: string, count: number, extras: [string[], string[]]) {
  const starts: (() => void)[] = []
  const whenReady = (start: () => void) => {
    starts.push(start)
    if (starts.length === 2) for (const go of starts) go()
  }
  return Promise.all(extras.map((extra) => runChild(mode, dataDir, count, extra, whenReady)))
}

function counts(file: string) {
  const db = new Database(file, { readonly: true })
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n
    return {
      reviews: one('SELECT count(*) AS n FROM review_log'),
      reps: one('SELECT coalesce(sum(reps), 0) AS n FROM cards'),
      importedDecks: one("SELECT count(*) AS n FROM decks WHERE id LIKE 'imported-%'"),
      importedCards: one("SELECT count(*) AS n FROM cards WHERE deck_id LIKE 'imported-%'"),
      integrity: db.pragma('integrity_check', { simple: true }) as string
    }
  } finally {
    db.close()
  }
}

describe('two writers on one data folder', () => {
  it('two processes: one answering 300 cards, one importing 12 decks; both finish, all writes are there', async () => {
    const dataDir = tempDir()
    openCollection({ dataDir, contentDir: fixtureContent(), door: 'cli', autoBackup: false }).close()
    const [answers, imports] = await Promise.all([runChild('answer', dataDir, 300), runChild('import', dataDir, 12)])
    expect(answers.stderr).toBe('')
    expect(imports.stderr).toBe('')
    expect(answers).toMatchObject({ code: 0 })
    expect(imports).toMatchObject({ code: 0 })
    expect(answers.lines.filter((l) => l.startsWith('ack '))).toHaveLength(300)
    expect(imports.lines.filter((l) => l.startsWith('imported '))).toHaveLength(12)
    expect(counts(join(dataDir, 'collection.sqlite'))).toEqual({
      reviews: 300,
      reps: 300,
      importedDecks: 12,
      importedCards: 1200,
      integrity: 'ok'
    })
  })

  it('the app answering in this process while the CLI imports in another, with content syncs in between', async () => {
    const dataDir = tempDir()
    const app = openCollection({ dataDir, contentDir: fixtureContent(), door: 'electron', autoBackup: false })
    opened.push(app)
    const dispatch = createDispatch(app.handlers)
    const cli = runChild('import', dataDir, 8)
    let finished = false
    void cli.then(() => (finished = true))
    const cards = ['alpha-1', 'alpha-2', 'beta-1']
    let answered = 0
    const failures: unknown[] = []
    // Answer (and sync content now and then) until the other process is done, and at least 100 times.
    while (!finished || answered < 100) {
      const result = await dispatch('answerCard', { cardId: cards[answered % 3]!, rating: 3, durationMs: 1 })
      if (result.ok) answered++
      else failures.push(result)
      if (answered % 25 === 0) {
        const sync = await dispatch('syncContent', {})
        if (!sync.ok) failures.push(sync)
      }
      // Let the child's output and exit be noticed between answers.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const imports = await cli
    expect(failures).toEqual([])
    expect(imports.stderr).toBe('')
    expect(imports.code).toBe(0)
    expect(counts(join(dataDir, 'collection.sqlite'))).toEqual({
      reviews: answered,
      reps: answered,
      importedDecks: 8,
      importedCards: 800,
      integrity: 'ok'
    })
  })

  // Read-modify-write in one IMMEDIATE transaction (issue 16): without it, each of these lost updates.
  it('settings: two processes each updating its own field never undo the other one’s update', async () => {
    const dataDir = tempDir()
    openCollection({ dataDir, contentDir: null, door: 'cli', autoBackup: false }).close()
    const rounds = 300
    const runs = await race('settings', dataDir, rounds, [['newPerDay'], ['reviewsPerDay']])
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stderr: '' })
      expect(run.lines.filter((l) => l.startsWith('lost ') || l.startsWith('error '))).toEqual([])
    }
    const c = openCollection({ dataDir, contentDir: null, door: 'cli', autoBackup: false })
    opened.push(c)
    const global = (await c.handlers.getSettings({})).global
    expect([global.newPerDay, global.reviewsPerDay]).toEqual([rounds, rounds])
  })

  it('createDeck: two processes choosing ids for the same title never choose the same one', async () => {
    const dataDir = tempDir()
    openCollection({ dataDir, contentDir: null, door: 'cli', autoBackup: false }).close()
    const rounds = 120
    const runs = await race('decks', dataDir, rounds, [[], []])
    const lines = runs.flatMap((r) => r.lines)
    expect(lines.filter((l) => l.startsWith('error '))).toEqual([])
    const ids = lines.filter((l) => l.startsWith('deck ')).map((l) => l.slice(5))
    expect(ids).toHaveLength(2 * rounds)
    expect(new Set(ids).size).toBe(2 * rounds)
  })
})
