import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContentTree } from '../../../src/main/content/load'
import { syncContentDir } from '../../../src/main/content/sync'
import { exportCollection, runImport } from '../../../src/main/import'
import type { Db } from '../../../src/main/store/db'
import { NotFoundError } from '../../../src/shared/errors'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { makeApkg, SAMPLE_NOTES } from '../../fixtures/import/make-apkg'
import { fixture, rows } from './helpers'

const SHIPPED_CONTENT = join(__dirname, '../../../content')

function snapshot(db: Db) {
  return {
    decks: rows(db, 'SELECT id, title, description FROM decks WHERE retired_at IS NULL ORDER BY id'),
    notes: rows(db, 'SELECT id, deck_id, title, body, tags FROM notes WHERE retired_at IS NULL ORDER BY id'),
    cards: rows(
      db,
      "SELECT id, deck_id, note_id, kind, cloze_ordinal, front, back, tags, drills FROM cards WHERE retired_at IS NULL AND kind != 'drill' ORDER BY id"
    ),
    quizItems: rows(
      db,
      'SELECT id, deck_id, card_id, type, prompt, data, explanation, tags, drills FROM quiz_items WHERE retired_at IS NULL ORDER BY id'
    ).map((q): Record<string, unknown> => ({ ...q, data: JSON.parse(q.data as string) }))
  }
}

async function importEverything(db: Db): Promise<void> {
  const apkg = join(tempDir(), 'tcp.apkg')
  writeFileSync(apkg, makeApkg({ notes: SAMPLE_NOTES }))
  for (const file of [fixture('interview-guide.md'), fixture('cards.csv'), fixture('topic.md'), apkg]) {
    await runImport(db, file, { now: FIXED_NOW })
  }
}

describe('export to the content format', () => {
  it('round-trips the shipped library and every import format into an empty collection', async () => {
    const { db: source } = tempDb()
    const sync = syncContentDir(source, SHIPPED_CONTENT, FIXED_NOW)
    expect(sync.problems.filter((p) => p.severity === 'error')).toEqual([])
    await importEverything(source)
    const before = snapshot(source)
    expect(before.cards.some((c) => c.kind === 'cloze')).toBe(true)
    expect(new Set(before.quizItems.map((q) => q.type as string))).toEqual(
      new Set(['choice', 'truefalse', 'typein', 'cloze', 'order', 'match'])
    )

    const out = tempDir('retransmit-export-')
    const result = exportCollection(source, { outDir: out })
    expect(result.decks).toBe(before.decks.length)
    const tree = loadContentTree(out)
    expect(tree.problems.filter((p) => p.severity === 'error')).toEqual([])

    const { db: target } = tempDb()
    const summary = await runImport(target, out, { now: FIXED_NOW })
    expect(summary.format).toBe('content')
    expect(summary.created).toBe(before.notes.length + before.cards.length + before.quizItems.length)
    expect(snapshot(target)).toEqual(before)
  })

  it('writes one deck when asked, as deck.md plus numbered topic files', async () => {
    const { db } = tempDb()
    await importEverything(db)
    const out = tempDir('retransmit-export-')
    const result = exportCollection(db, { deckId: 'transport-odds-and-ends', outDir: out }) // the third deck imported
    expect(result).toEqual({ decks: 1, files: 3 })
    expect(readdirSync(join(out, 'decks'))).toEqual(['transport-odds-and-ends'])
    expect(readdirSync(join(out, 'decks/transport-odds-and-ends'))).toEqual([
      '0001-imported-transport.md',
      '0002-quiz.md',
      'deck.md'
    ])
    expect(readFileSync(join(out, 'decks/transport-odds-and-ends/deck.md'), 'utf8')).toBe(
      '---\ntitle: "Transport odds and ends"\nposition: 3\n---\n'
    )
    const topic = readFileSync(join(out, 'decks/transport-odds-and-ends/0001-imported-transport.md'), 'utf8')
    expect(topic).toContain('---\nid: imported-transport\ntitle: "Transport odds and ends"\ntags: ["transport"]\n---\n')
    expect(topic).toContain(
      '::: card imported-port-range\ntags: ports\n\nWhich port range is "well known"?\n---\n0 to 1023 (RFC 6335, section 6).\n:::'
    )
    expect(topic).toContain('::: cloze imported-handshake\n\nA TCP connection opens with {{c1::SYN}}')
  })

  it('keeps text that looks like block syntax from breaking the file', async () => {
    const dir = tempDir()
    const file = join(dir, 'tricky.csv')
    writeFileSync(
      file,
      'front,back,tags\n"answer: looks like a field\n---\nstill the front","::: card not-a-block\n:::\nback",x\n'
    )
    const { db: source } = tempDb()
    await runImport(source, file, { now: FIXED_NOW, deck: 'Tricky' })
    const out = tempDir('retransmit-export-')
    exportCollection(source, { outDir: out })
    const { db: target } = tempDb()
    await runImport(target, out, { now: FIXED_NOW })
    const [card] = rows(target, 'SELECT front, back FROM cards')
    expect(card).toEqual({
      front: 'answer: looks like a field\n***\nstill the front',
      back: '\\::: card not-a-block\n\\:::\nback'
    })
  })

  it('replaces its own earlier export in the same folder, leaving other files alone', async () => {
    const dir = tempDir()
    const guide = join(dir, 'guide.md')
    writeFileSync(guide, '# Small\n\n### 1. First?\n\nOne.\n\n### 2. Second?\n\nTwo.\n')
    const { db } = tempDb()
    await runImport(db, guide, { now: FIXED_NOW })
    const out = tempDir('retransmit-export-')
    exportCollection(db, { outDir: out })
    writeFileSync(join(out, 'decks/small/README.md'), 'mine')
    db.prepare("UPDATE notes SET retired_at = 1 WHERE title = 'Second?'").run()
    db.prepare("UPDATE cards SET retired_at = 1 WHERE front = 'Second?'").run()
    expect(exportCollection(db, { outDir: out })).toEqual({ decks: 1, files: 2 })
    expect(readdirSync(join(out, 'decks/small')).sort()).toEqual([
      expect.stringMatching(/^0001-small-[0-9a-f]{16}\.md$/),
      'README.md',
      'deck.md'
    ])
  })

  it('refuses an unknown deck', () => {
    const { db } = tempDb()
    expect(() => exportCollection(db, { deckId: 'nope', outDir: tempDir() })).toThrow(NotFoundError)
  })
})
