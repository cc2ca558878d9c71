// Property tests over the importers: mutated guides, CSVs and Anki packages (text truncated,
// quotes and newlines inserted; zip and SQLite bytes truncated and flipped; Anki rows with
// values of the wrong type) either import or fail with a named error, never anything else;
// a preview never writes; a failed import writes nothing (row counts and PRAGMA
// integrity_check unchanged).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { zipSync, strToU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { ContentError, NotFoundError, ValidationError } from '../../../src/shared/errors'
import { makeAnkiCollection, makeApkg, SAMPLE_NOTES } from '../../fixtures/import/make-apkg'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { growth, linearLimit } from '../../helpers/scaling'
import { budget, mutatedBytes, mutatedText } from './budget'
import { snapshot } from './snapshot'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'import')
const GUIDE = readFileSync(join(FIXTURES, 'interview-guide.md'), 'utf8')
const CSV = readFileSync(join(FIXTURES, 'cards.csv'), 'utf8')
const TOPIC = readFileSync(join(FIXTURES, 'topic.md'), 'utf8')
const APKG = makeApkg({ notes: SAMPLE_NOTES })
const ANKI_DB = new Uint8Array(makeAnkiCollection(SAMPLE_NOTES))

const NAMED = [ContentError, ValidationError, NotFoundError]
const isNamed = (error: unknown) => NAMED.some((kind) => error instanceof kind)

const dir = tempDir('retransmit-fuzz-import-')
let fileNo = 0
function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, `${fileNo++}-${name}`)
  writeFileSync(path, content)
  return path
}

/** One shared collection per suite: each run must leave it exactly as it found it, or add a whole import. */
const { db } = tempDb()

async function check(path: string): Promise<void> {
  const before = snapshot(db)
  const changes = totalChanges(db)
  try {
    await previewImport(db, path, { now: FIXED_NOW })
  } catch (error) {
    if (!isNamed(error)) throw error
  }
  expect(totalChanges(db), 'a preview wrote to the database').toBe(changes)
  try {
    await runImport(db, path, { now: FIXED_NOW })
  } catch (error) {
    if (!isNamed(error)) throw error
    expect(snapshot(db), 'a failed import changed the database').toEqual(before)
    return
  }
  expect(snapshot(db).integrity).toBe('ok')
}

describe('importers under mutated input', () => {
  it('the valid fixtures import (so the mutations start from something real)', async () => {
    const { db: fresh } = tempDb()
    for (const [name, content] of [
      ['g.md', GUIDE],
      ['c.csv', CSV],
      ['t.md', TOPIC],
      ['a.apkg', APKG]
    ] as const) {
      const summary = await runImport(fresh, write(name, content), { now: FIXED_NOW })
      expect(summary.created, name).toBeGreaterThan(0)
    }
  })

  it('a mutated markdown guide imports or fails with a named error, writing nothing on failure', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedText(GUIDE), (text) => check(write('guide.md', text))),
      budget(60)
    )
  })

  it('a mutated CSV imports or fails with a named error, writing nothing on failure', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedText(CSV), (text) => check(write('cards.csv', text))),
      budget(80)
    )
  })

  it('a mutated content topic file imports or fails with a named error', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedText(TOPIC), (text) => check(write('topic.md', text))),
      budget(60)
    )
  })

  it('a mutated .apkg (zip bytes) imports or fails with a named error', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBytes(APKG), (bytes) => check(write('deck.apkg', bytes))),
      budget(60)
    )
  })

  it('an .apkg whose SQLite collection bytes are mutated imports or fails with a named error', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBytes(ANKI_DB), (bytes) =>
        check(write('deck.apkg', zipSync({ 'collection.anki2': bytes, media: strToU8('{}') })))
      ),
      budget(60)
    )
  })

  // SQLite columns take any type, and col.models/decks are JSON text an exporter controls.
  it('an .apkg with Anki rows of the wrong type or shape imports or fails with a named error', async () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b))
    )
    const json = fc.oneof(
      fc.constantFrom('null', '[]', '"x"', '1', '{', '{"1": null}', '{"1": {"name": 5, "type": "1"}}'),
      fc.json({ maxDepth: 2 })
    )
    // A guid from SAMPLE_NOTES, and the note type ids the fixture declares, so rows collide and match too.
    const row = fc.record({
      guid: fc.oneof(value, fc.constant('aBc123')),
      mid: fc.oneof(value, fc.constantFrom(1700000000000, 1700000000001)),
      tags: value,
      flds: value,
      did: value
    })
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 4 }), json, json, async (rows, models, decks) => {
        const anki = new Database(makeAnkiCollection(SAMPLE_NOTES))
        // A crafted package need not declare Anki's NOT NULL columns: copies without constraints.
        for (const table of ['notes', 'cards'])
          anki.exec(
            `CREATE TABLE loose AS SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE loose RENAME TO ${table}`
          )
        anki.prepare('UPDATE col SET models = ?, decks = ?').run(models, decks)
        rows.forEach((r, i) => {
          anki
            .prepare("INSERT INTO notes VALUES (?, ?, ?, 0, -1, ?, ?, '', 0, 0, '')")
            .run(5000 + i, r.guid, r.mid, r.tags, r.flds)
          anki
            .prepare("INSERT INTO cards VALUES (?, ?, ?, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')")
            .run(9000 + i, 5000 + i, r.did)
        })
        const bytes = new Uint8Array(anki.serialize())
        anki.close()
        await check(write('typed.apkg', zipSync({ 'collection.anki2': bytes })))
      }),
      budget(80)
    )
  })

  // Found by the property above: `JSON.parse('null')` passed as the deck table, and
  // `ankiDecks[did]` threw a TypeError that reached the door as an internal error; rows
  // whose flds/tags were numbers or blobs threw on `.split` the same way.
  it('regression: an .apkg whose col.decks is JSON null, or whose note fields are not text, fails or imports cleanly (was a TypeError)', async () => {
    const anki = new Database(makeAnkiCollection(SAMPLE_NOTES))
    anki.prepare("UPDATE col SET decks = 'null'").run()
    const nullDecks = new Uint8Array(anki.serialize())
    for (const table of ['notes', 'cards'])
      anki.exec(
        `CREATE TABLE loose AS SELECT * FROM ${table}; DROP TABLE ${table}; ALTER TABLE loose RENAME TO ${table}`
      )
    anki.prepare("UPDATE col SET decks = '{}'").run()
    anki.prepare("UPDATE notes SET flds = 42, tags = x'00ff', guid = NULL WHERE id = (SELECT min(id) FROM notes)").run()
    const oddRows = new Uint8Array(anki.serialize())
    anki.close()
    const { db: fresh } = tempDb()
    await expect(
      runImport(fresh, write('null-decks.apkg', zipSync({ 'collection.anki2': nullDecks })), { now: FIXED_NOW })
    ).rejects.toThrow(ContentError)
    await expect(
      runImport(fresh, write('null-decks.apkg', zipSync({ 'collection.anki2': nullDecks })), { now: FIXED_NOW })
    ).rejects.toThrow(/decks are not a JSON object/)
    const summary = await runImport(fresh, write('odd-rows.apkg', zipSync({ 'collection.anki2': oddRows })), {
      now: FIXED_NOW
    })
    expect(summary.created).toBeGreaterThan(0)
    expect(summary.warnings.map((w) => w.message).join('\n')).toMatch(/note 1 .*empty answer|note 1 .*skipped/)
  })
})

// The bug: warnings quote the file (a guide question's title, an Anki note type's name) and
// `retransmit import` prints them to the terminal as they are, so a crafted guide could send
// escape sequences (OSC 52 writes the clipboard, others retitle the window or hide text).
describe('regression: import warnings carry no terminal control characters', () => {
  it('shows ESC, BEL and other control characters in a quoted title as \\u{…}', async () => {
    const { db: fresh } = tempDb()
    const guide = '# G\n\n### 1. Evil \u001b]52;c;aGVsbG8=\u0007 title\u009b2J\n\n### 2. Fine?\n\nAn answer.\n'
    const summary = await previewImport(fresh, write('evil-guide.md', guide), { now: FIXED_NOW })
    const messages = summary.warnings.map((w) => w.message).join('\n')
    expect(messages).toContain('Evil \\u{1b}]52;c;aGVsbG8=\\u{7} title\\u{9b}2J')
    expect(messages).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  })
})

// The bug: looksCutOff read the guide's last line with /[*_]+$/ and /([A-Za-z]+)$/, which
// retry from every position of a long run: a 100 KB last line of letters ending in a digit
// (or of asterisks ending in a letter) took ~8 s, a 50 MB one would never finish.
describe('regression: a guide whose last line is one long run is read in linear time', () => {
  it('imports a guide ending in 200 KB of letters then a digit, or asterisks then a letter, in linear time', async () => {
    const { db: fresh } = tempDb()
    const tails: Array<[string, (n: number) => string]> = [
      ['letters then a digit', (n) => `${'a'.repeat(n)}1`],
      ['asterisks then a letter', (n) => `${'*'.repeat(n)}a`],
      ['letters then a word', (n) => `${'a'.repeat(n)} and`]
    ]
    for (const [name, tail] of tails) {
      // One file per size, written before timing: only the import is measured.
      const guide = (n: number) => write(`long-tail-${n}.md`, `# G\n\n### 1. Q?\n\n${tail(n)}`)
      const preview = (path: string) => previewImport(fresh, path, { now: FIXED_NOW })
      expect(
        (await preview(guide(200_000))).items.map((item) => [item.kind, item.action]),
        name
      ).toEqual([
        ['note', 'create'],
        ['card', 'create']
      ])
      expect(await growth(guide, preview, 25_000), name).toBeLessThan(linearLimit())
    }
  })
})
