import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { ContentError } from '../../../src/shared/errors'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { makeApkg, SAMPLE_NOTES } from '../../fixtures/import/make-apkg'
import { count, one, rows } from './helpers'

function writePackage(bytes: Uint8Array, name = 'deck.apkg'): string {
  const file = join(tempDir(), name)
  writeFileSync(file, bytes)
  return file
}

describe('Anki package import', () => {
  it('imports Basic notes as cards and Cloze notes as cloze cards, in the deck the cards were in', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, writePackage(makeApkg({ notes: SAMPLE_NOTES })), { now: FIXED_NOW })
    expect(summary).toMatchObject({ deck: 'networking-tcp', format: 'apkg', created: 5 })
    expect(one(db, 'SELECT id, title, origin FROM decks')).toEqual({
      id: 'networking-tcp',
      title: 'Networking::TCP',
      origin: 'import'
    })
    const cards = rows(db, 'SELECT id, kind, cloze_ordinal, front, back, tags FROM cards ORDER BY position')
    expect(cards.map((c) => c.kind)).toEqual(['basic', 'basic', 'cloze', 'cloze', 'basic'])
    expect(cards[0]).toMatchObject({
      front: 'What does **ARP** do?',
      back: 'Maps IPv4 addresses to MAC addresses.\nRFC 826.',
      tags: 'arp layer2'
    })
    expect(cards[1]).toMatchObject({
      front: 'Name the TCP states after *close()*',
      back: '- FIN_WAIT_1\n- FIN_WAIT_2\n- TIME_WAIT'
    })
    expect(cards[2]).toMatchObject({
      id: expect.stringMatching(/^networking-tcp-[0-9a-f]{16}#c1$/),
      cloze_ordinal: 1,
      front: 'A TCP header is {{c1::20}} bytes, up to {{c2::60}} with options.',
      back: 'RFC 9293 & friends'
    })
    expect(cards[3]).toMatchObject({ id: (cards[2]!.id as string).replace('#c1', '#c2'), cloze_ordinal: 2 })
    expect(cards[4]!.back).toBe(
      '```\nint fd = socket(AF_INET, SOCK_STREAM, 0);\n```\n\nThen `connect()`, see [the man page](https://man7.org/linux/man-pages/man2/connect.2.html).'
    )
  })

  it('drops sounds and images the package lacks with one warning counting and naming them', async () => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const preview = await previewImport(db, writePackage(makeApkg({ notes: SAMPLE_NOTES })), { now: FIXED_NOW })
    expect(totalChanges(db)).toBe(before) // a preview writes nothing
    expect(preview.warnings).toEqual([{ line: 1, message: expect.stringMatching(/^2 media references .* skipped/) }])
  })

  it('reads collection.anki21 and honours --deck', async () => {
    const { db } = tempDb()
    const file = writePackage(makeApkg({ notes: SAMPLE_NOTES, collectionName: 'collection.anki21' }))
    const summary = await runImport(db, file, { now: FIXED_NOW, deck: 'Anki TCP' })
    expect(summary).toMatchObject({ deck: 'anki-tcp', created: 5 })
  })

  it('keys cards on the Anki note guid, so a re-import updates in place', async () => {
    const { db } = tempDb()
    await runImport(db, writePackage(makeApkg({ notes: SAMPLE_NOTES })), { now: FIXED_NOW })
    const edited = SAMPLE_NOTES.map((n, i) =>
      i === 0 ? { ...n, fields: ['What does <b>ARP</b> do?', 'Resolves IPv4 to MAC.'] } : n
    )
    const again = await runImport(db, writePackage(makeApkg({ notes: edited })), { now: FIXED_NOW + 1 })
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 4 })
    expect(count(db, 'cards')).toBe(5)
  })

  it.each([
    ['a truncated zip', () => makeApkg({ notes: SAMPLE_NOTES }).subarray(0, 200), /damaged or truncated/],
    ['a zip without a collection', () => zipSync({ 'readme.txt': strToU8('hello') }), /no collection\.anki2/],
    [
      'a truncated zstd collection',
      () => zipSync({ 'collection.anki21b': new Uint8Array([40, 181, 47, 253]) }),
      /the collection is damaged: it cannot be decompressed/
    ],
    [
      'a collection that is not SQLite',
      () => zipSync({ 'collection.anki2': strToU8('not a database at all, just text '.repeat(10)) }),
      /not a readable Anki database/
    ],
    ['an .apkg that is not a zip', () => strToU8('front,back\na,b\n'), /not an Anki package/]
  ])('rejects %s with a ContentError and writes nothing', async (_what, bytes, message) => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const attempt = runImport(db, writePackage(bytes()), { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(ContentError)
    await expect(attempt).rejects.toThrow(message)
    expect(totalChanges(db)).toBe(before)
    expect(count(db, 'decks')).toBe(0)
  })
})
