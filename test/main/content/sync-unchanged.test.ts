// Content sync's shortcut (content/unchanged.ts): when the files and the shipped rows are as the
// last full sync left them, nothing is parsed. Each test changes one thing the shortcut must
// notice and checks the sync did what a full sync does.
import { statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { syncContentDir } from '../../../src/main/content/sync'
import { SYNC_MARK_KEY } from '../../../src/main/content/unchanged'
import { contentGeneration } from '../../../src/main/store/content-rows'
import type { Db } from '../../../src/main/store/db'
import { cardBlock, deckMd, topicMd } from '../../helpers/content'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir, writeTree } from '../../helpers/temp'

const mark = (db: Db) => db.prepare('SELECT value FROM settings WHERE key = ?').get(SYNC_MARK_KEY)
const front = (db: Db, id: string) =>
  (db.prepare('SELECT front, retired_at AS retiredAt FROM cards WHERE id = ?').get(id) ?? null) as {
    front: string
    retiredAt: number | null
  } | null

describe('content sync with nothing changed', () => {
  let db: Db
  let content: string

  beforeEach(() => {
    db = tempDb().db
    content = tempDir('retransmit-content-')
    writeTree(content, {
      'decks/net/deck.md': deckMd('Networking'),
      'decks/net/a.md': topicMd({ id: 'note-a', blocks: [cardBlock('card-1', 'Port of DNS?'), cardBlock('card-2')] })
    })
  })

  it('reports every row unchanged and writes nothing, as a full sync does', () => {
    const first = syncContentDir(db, content, FIXED_NOW)
    expect(first.created).toBe(1 + 1 + 2)
    expect(mark(db)).toBeDefined()
    const before = totalChanges(db)
    const again = syncContentDir(db, content, FIXED_NOW + 1)
    expect({ ...again, durationMs: 0 }).toEqual({
      decks: 1,
      created: 0,
      updated: 0,
      unchanged: 4,
      retired: 0,
      restored: 0,
      problems: [],
      durationMs: 0
    })
    expect(totalChanges(db)).toBe(before)
    // The same report as a full sync with no mark to go by.
    db.prepare('DELETE FROM settings WHERE key = ?').run(SYNC_MARK_KEY)
    expect({ ...syncContentDir(db, content, FIXED_NOW + 2), durationMs: 0 }).toEqual({ ...again, durationMs: 0 })
  })

  it('sees an edit that keeps the size and the modification time', () => {
    syncContentDir(db, content, FIXED_NOW)
    const file = join(content, 'decks/net/a.md')
    const { atime, mtime, size } = statSync(file)
    writeTree(content, {
      'decks/net/a.md': topicMd({ id: 'note-a', blocks: [cardBlock('card-1', 'Port of FTP?'), cardBlock('card-2')] })
    })
    utimesSync(file, atime, mtime)
    expect(statSync(file).size).toBe(size)
    const report = syncContentDir(db, content, FIXED_NOW + 1)
    expect(report.updated).toBeGreaterThanOrEqual(1)
    expect(front(db, 'card-1')?.front).toBe('Port of FTP?')
  })

  it("goes by the files' stamps while nothing is written, and by their bytes once a stamp moves", () => {
    syncContentDir(db, content, FIXED_NOW)
    const stored = () => JSON.parse((mark(db) as { value: string }).value) as { stamp?: string; folder: string }
    const first = stored()
    expect(first.stamp).toMatch(/^[0-9a-f]{64}$/)
    // Touched: a new modification time, the same bytes. The digest of the bytes still matches,
    // so the shortcut holds, and the new stamp is kept for the next start.
    const file = join(content, 'decks/net/a.md')
    utimesSync(file, new Date(FIXED_NOW), new Date(FIXED_NOW + 60_000))
    expect(syncContentDir(db, content, FIXED_NOW + 1).unchanged).toBe(4)
    expect(stored().folder).toBe(first.folder)
    expect(stored().stamp).not.toBe(first.stamp)
    // Then nothing moves: nothing is written.
    const before = totalChanges(db)
    expect(syncContentDir(db, content, FIXED_NOW + 2).unchanged).toBe(4)
    expect(totalChanges(db)).toBe(before)
  })

  it('sees an edit that keeps the size and the exact modification time, by its change time', () => {
    const file = join(content, 'decks/net/a.md')
    // Whole seconds: set again below to the very same nanosecond, so only ctime tells the edit.
    const when = new Date(Math.floor(FIXED_NOW / 1000) * 1000 - 3_600_000)
    utimesSync(file, when, when)
    syncContentDir(db, content, FIXED_NOW)
    const before = statSync(file, { bigint: true })
    writeTree(content, {
      'decks/net/a.md': topicMd({ id: 'note-a', blocks: [cardBlock('card-1', 'Port of FTP?'), cardBlock('card-2')] })
    })
    utimesSync(file, when, when)
    const after = statSync(file, { bigint: true })
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs])
    expect(syncContentDir(db, content, FIXED_NOW + 1).updated).toBeGreaterThanOrEqual(1)
    expect(front(db, 'card-1')?.front).toBe('Port of FTP?')
  })

  it('sees a new file, and a stored row changed behind its back', () => {
    syncContentDir(db, content, FIXED_NOW)
    writeFileSync(join(content, 'decks/net/b.md'), topicMd({ id: 'note-b', blocks: [cardBlock('card-3')] }))
    expect(syncContentDir(db, content, FIXED_NOW + 1).created).toBe(2)
    // A shipped row retired by another process (or restored from a backup): the files are as
    // before, but a full sync would bring it back, so the shortcut must not be taken.
    db.prepare("UPDATE cards SET retired_at = 5 WHERE id = 'card-2'").run()
    const report = syncContentDir(db, content, FIXED_NOW + 2)
    expect(report.restored).toBe(1)
    expect(front(db, 'card-2')?.retiredAt).toBeNull()
  })

  it('keeps reporting the problems of a library that has some (no shortcut is recorded)', () => {
    writeFileSync(join(content, 'decks/net/bad.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]))
    const first = syncContentDir(db, content, FIXED_NOW)
    expect(first.problems.length).toBeGreaterThan(0)
    expect(mark(db)).toBeUndefined()
    const again = syncContentDir(db, content, FIXED_NOW + 1)
    expect(again.problems).toEqual(first.problems)
  })

  it('moves the content generation for a change a sync compares, not for studying', () => {
    syncContentDir(db, content, FIXED_NOW)
    const generation = () => contentGeneration(db)
    const start = generation()
    db.prepare(
      "UPDATE cards SET state = 2, due = 5, stability = 3, reps = 1, buried_until = 9, flag = 1, tags = 'x' WHERE id = 'card-1'"
    ).run()
    expect(generation()).toBe(start)
    db.prepare("UPDATE cards SET user_edited_at = 7 WHERE id = 'card-1'").run()
    expect(generation()).toBe(start + 1)
    db.prepare("UPDATE notes SET source_line = 99 WHERE id = 'note-a'").run()
    expect(generation()).toBe(start + 2)
    // The edit is a change a full sync acts on (it keeps the user's text): no shortcut.
    expect(syncContentDir(db, content, FIXED_NOW + 1).unchanged).toBe(4)
    expect(generation()).toBeGreaterThan(start + 2)
  })
})
