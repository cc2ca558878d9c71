// The references the measures are divided by, each measured in the same run on the same data:
// the raw SQLite write transaction and point select, the full-text match alone, reading and
// hashing the content files alone, markdown-it plus the raw inserts of an import's rows, and a
// bare `node` that opens the collection. (The static page for Home is in measures-browser.ts.)
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import MarkdownIt from 'markdown-it'
import type { Db } from '../src/main/store/db'
import { repeat } from './measures-service'
import { seeded } from './random'

const ROOT = join(import.meta.dirname, '..')

/**
 * The raw SQLite write and read on this machine, on a scratch file beside the collection with
 * the collection's pragmas: a prepared single-row UPDATE plus an INSERT in one transaction (the
 * shape of an answer's write, without the app's indexes and triggers), and an indexed point
 * SELECT by a text id (a card read).
 */
export async function measureSqliteCeiling(dir: string): Promise<{ write: number[]; read: number[] }> {
  const db = new Database(join(dir, 'ceiling.sqlite'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.exec(`CREATE TABLE t (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, a INTEGER NOT NULL, b REAL NOT NULL);
             CREATE TABLE l (id INTEGER PRIMARY KEY, t_id TEXT NOT NULL, at INTEGER NOT NULL, x REAL NOT NULL);
             CREATE INDEX l_t ON l(t_id, at);`)
    const fill = db.prepare('INSERT INTO t (id, a, b) VALUES (?, ?, ?)')
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) fill.run(`row-${i}`, i, i / 7)
    })()
    const update = db.prepare('UPDATE t SET a = a + 1, b = ? WHERE id = ?')
    const insert = db.prepare('INSERT INTO l (t_id, at, x) VALUES (?, ?, ?)')
    const write = db.transaction((id: string, i: number) => {
      update.run(i / 3, id)
      insert.run(id, i, i / 5)
    })
    const select = db.prepare('SELECT seq, id, a, b FROM t WHERE id = ?')
    const random = seeded(3)
    const key = () => `row-${Math.floor(random() * 100_000)}`
    return {
      write: await repeat(5000, 200, (i) => write(key(), i)),
      read: await repeat(20_000, 500, () => select.get(key()))
    }
  } finally {
    db.close()
  }
}

/** The words of each Browse query matched in the full-text index alone (as browse.ts words them), counted. */
export function measureFtsAlone(db: Db, queries: string[]): Promise<number[]> {
  const match = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM cards_fts WHERE cards_fts MATCH ?')
  const fts = queries.map((q) =>
    q
      .split(' ')
      .filter((w) => !w.startsWith('deck:'))
      .map((w) => `"${w}"*`)
      .join(' ')
  )
  return repeat(300, 20, (i) => match.get(fts[i]!))
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )
}

/** Reads every file of a content folder and hashes its bytes (SHA-256): what any sync must at least do. */
export function measureReadAndHash(dir: string, runs: number): number[] {
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    for (const file of filesUnder(dir)) createHash('sha256').update(readFileSync(file)).digest()
    times.push(performance.now() - started)
  }
  return times
}

/**
 * markdown-it parsing the guide, then the raw inserts of the rows an import of it made (the
 * same notes and cards, copied under new ids into a new deck, with prepared statements in one
 * transaction; the tables' own triggers and indexes run, as they do for the import).
 */
export function measureParseAndInsert(db: Db, guide: string, importedDeckTitle: string, runs: number): number[] {
  const md = new MarkdownIt()
  const deck = db.prepare<[string], { id: string }>('SELECT id FROM decks WHERE title = ?').get(importedDeckTitle)
  if (!deck) throw new Error(`no imported deck "${importedDeckTitle}" to copy`)
  const notes = db.prepare('SELECT id, title, body, tags FROM notes WHERE deck_id = ?').all(deck.id) as {
    id: string
    title: string
    body: string
    tags: string
  }[]
  const cards = db
    .prepare('SELECT id, note_id AS noteId, kind, front, back, tags, position FROM cards WHERE deck_id = ?')
    .all(deck.id) as {
    id: string
    noteId: string | null
    kind: string
    front: string
    back: string
    tags: string
    position: number
  }[]
  const insertDeck = db.prepare(
    `INSERT INTO decks (id, title, origin, created_at, updated_at) VALUES (?, ?, 'user', ?, ?)`
  )
  const insertNote = db.prepare(
    `INSERT INTO notes (id, deck_id, title, body, tags, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'user', ?, ?)`
  )
  const insertCard =
    db.prepare(`INSERT INTO cards (id, deck_id, note_id, kind, front, back, tags, position, origin, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'user', ?, ?)`)
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    md.parse(guide, {})
    const now = Date.now()
    const copy = `raw-${run}`
    db.transaction(() => {
      insertDeck.run(`${copy}-deck`, `Raw import copy ${run + 1}`, now, now)
      for (const n of notes) insertNote.run(`${copy}-${n.id}`, `${copy}-deck`, n.title, n.body, n.tags, now, now)
      for (const c of cards) {
        insertCard.run(
          `${copy}-${c.id}`,
          `${copy}-deck`,
          c.noteId && `${copy}-${c.noteId}`,
          c.kind,
          c.front,
          c.back,
          c.tags,
          c.position,
          now,
          now
        )
      }
    }).immediate()
    times.push(performance.now() - started)
  }
  return times
}

/** A bare `node` that opens the same collection file and reads from it: spawn to its first output (ms). */
export async function measureBareNodeStart(file: string, runs: number): Promise<number[]> {
  const script = `const Database = require(${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3'))})
const db = new Database(${JSON.stringify(file)})
db.pragma('journal_mode = WAL')
db.prepare('SELECT count(*) AS n FROM decks').get()
process.stdout.write('ready\\n')
db.close()`
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`bare node exited with ${code}`))))
      child.stdout.once('data', () => {
        times.push(performance.now() - started)
        resolve()
      })
    })
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  }
  return times
}
