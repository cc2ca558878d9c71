// In-process measures on the 100k collection: answering, the queue, Browse search, Stats, and the
// raw SQLite ceiling those are compared with. Everything goes through `handlers`, as a door would.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Handlers } from '../src/shared/api'
import type { QueueState } from '../src/shared/study'
import { DECKS, deckId } from './build-collection'
import { seeded, WORDS } from './random'
import { progress } from './report'

export interface Samples {
  [measure: string]: number[]
}

/** Lets timers run between requests, as they do between a door's requests (idle checkpoints). */
const betweenRequests = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Answers cards deck by deck (each deck has its own daily limits), timing each answerCard call. */
export async function measureAnswers(handlers: Handlers, answers: number, warmup = 50): Promise<number[]> {
  const ratings = [3, 3, 3, 4, 3, 2, 3, 1] as const
  const times: number[] = []
  let done = 0
  for (let d = 0; d < DECKS && done < answers + warmup; d++) {
    const deck = deckId(d)
    let state = handlers.getQueue({ deckId: deck }) as QueueState
    for (let i = 0; i < 120 && state.card && done < answers + warmup; i++, done++) {
      const started = performance.now()
      state = handlers.answerCard({ cardId: state.card.id, rating: ratings[done % ratings.length]!, durationMs: 4000, deckId: deck }) as QueueState
      const ms = performance.now() - started
      if (done >= warmup) times.push(ms)
      await betweenRequests()
    }
    progress(`answering: ${Math.max(0, done - warmup)} / ${answers}`)
  }
  progress('')
  return times
}

/** Times `fn` (synchronous) `times` times after `warmup` untimed calls, yielding between calls. */
export async function repeat(times: number, warmup: number, fn: (i: number) => unknown): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < warmup + times; i++) {
    const started = performance.now()
    fn(i)
    const ms = performance.now() - started
    if (i >= warmup) out.push(ms)
    await betweenRequests()
  }
  return out
}

export function measureQueue(handlers: Handlers): Promise<number[]> {
  return repeat(300, 20, () => handlers.getQueue({}))
}

/** `deck:<one deck> word word`, a different deck and words each time. */
export function browseQueries(count: number): string[] {
  const random = seeded(7)
  return Array.from({ length: count }, (_v, i) => {
    const a = WORDS[Math.floor(random() * WORDS.length)]!
    const b = WORDS[Math.floor(random() * WORDS.length)]!
    return `deck:${deckId(i % DECKS)} ${a} ${b}`
  })
}

export function measureBrowse(handlers: Handlers): Promise<number[]> {
  const queries = browseQueries(320)
  return repeat(300, 20, (i) =>
    handlers.browseCards({ query: queries[i]!, sort: 'position', descending: false, limit: 200, offset: 0 })
  )
}

export function measureStats(handlers: Handlers): Promise<number[]> {
  return repeat(60, 5, () => handlers.getStats({ days: 365 }))
}

/**
 * The raw SQLite ceiling on this machine, on a scratch file beside the collection with the
 * collection's pragmas: a prepared single-row update plus an insert in one transaction (the
 * shape of an answer's write), and an indexed point select by a text id (a card read).
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
