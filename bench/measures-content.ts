// Content sync of a generated 10,000-card library (first time into an empty collection, then
// with nothing changed), and importing a 1 MB markdown guide through the import service.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCollection } from '../src/main/app/collection'
import type { Handlers } from '../src/shared/api'
import type { SyncReport } from '../src/shared/domain'
import { makeLargeGuide } from '../test/fixtures/import/large-guide'
import { seeded, words } from './random'
import { progress } from './report'

const SYNC_DECKS = 10
const FILES_PER_DECK = 20
const CARDS_PER_FILE = 50

/** 10 decks x 20 topic files x 50 cards = 10,000 cards, each file with its note. */
export function writeLibrary(): string {
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-bench-content-'))
  const random = seeded(11)
  for (let d = 0; d < SYNC_DECKS; d++) {
    const deck = join(dir, 'decks', `sync-deck-${d + 1}`)
    mkdirSync(deck, { recursive: true })
    writeFileSync(join(deck, 'deck.md'), `---\ntitle: Sync deck ${d + 1}\nposition: ${d + 1}\n---\n`)
    for (let f = 0; f < FILES_PER_DECK; f++) {
      const topic = `sync-${d + 1}-${f + 1}`
      const blocks = Array.from(
        { length: CARDS_PER_FILE },
        (_v, c) => `::: card ${topic}-${c + 1}\n${words(random, 9)}?\n---\n${words(random, 20)}.\n:::`
      )
      writeFileSync(
        join(deck, `${String(f + 1).padStart(2, '0')}-topic.md`),
        `---\nid: ${topic}\ntags: bench sync\n---\n\n# Topic ${topic}\n\n${words(random, 60)}.\n\n${blocks.join('\n\n')}\n`
      )
    }
  }
  return dir
}

export function measureSync(
  library: string,
  runs: number,
  unchangedRuns: number
): { first: number[]; unchanged: number[]; cards: number } {
  const first: number[] = []
  const unchanged: number[] = []
  let cards = 0
  for (let run = 0; run < runs; run++) {
    progress(`content sync: first time, run ${run + 1} / ${runs}`)
    const dataDir = mkdtempSync(join(tmpdir(), 'retransmit-bench-sync-'))
    const collection = openCollection({
      dataDir,
      contentDir: library,
      door: 'cli',
      syncOnOpen: false,
      autoBackup: false
    })
    try {
      let started = performance.now()
      const report = collection.handlers.syncContent({}) as SyncReport
      first.push(performance.now() - started)
      if (report.problems.length) throw new Error(`the generated library has problems: ${report.problems[0]!.message}`)
      cards = (collection.db.prepare('SELECT count(*) AS n FROM cards').get() as { n: number }).n
      if (run === runs - 1) {
        for (let i = 0; i < unchangedRuns; i++) {
          started = performance.now()
          const again = collection.handlers.syncContent({}) as SyncReport
          unchanged.push(performance.now() - started)
          if (again.created + again.updated !== 0) throw new Error('a sync with nothing changed changed something')
        }
      }
    } finally {
      collection.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  progress('')
  return { first, unchanged, cards }
}

/** Imports a fresh 1 MB guide into its own new deck each time (so every run writes everything). */
export async function measureImport(
  handlers: Handlers,
  runs: number
): Promise<{ times: number[]; created: number; bytes: number; guide: string; lastDeck: string }> {
  const guide = makeLargeGuide(1024 * 1024)
  const dataBase64 = Buffer.from(guide).toString('base64')
  const times: number[] = []
  let created = 0
  for (let run = 0; run < runs; run++) {
    progress(`import: run ${run + 1} / ${runs}`)
    const started = performance.now()
    const summary = await handlers.runImport({ fileName: 'guide-1mb.md', dataBase64, deck: `Bench import ${run + 1}` })
    times.push(performance.now() - started)
    created = summary.created
  }
  progress('')
  return { times, created, bytes: Buffer.byteLength(guide), guide, lastDeck: `Bench import ${runs}` }
}
