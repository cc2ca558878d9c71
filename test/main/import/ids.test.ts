// Imported ids: 64 bits of hash, so a million rows of one deck do not collide (40-bit ids did:
// a million-row CSV lost rows as "duplicates"); rows imported with the old 10-digit ids are
// still found on a re-import instead of being duplicated.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentHash } from '../../../src/main/content/row-hash'
import { runImport } from '../../../src/main/import'
import { legacyIdOf, slugify, stableId } from '../../../src/main/import/ids'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, rows } from './helpers'

describe('imported ids', () => {
  it('a million keys of one deck give a million distinct ids', () => {
    const ids = new Set<string>()
    for (let i = 0; i < 1_000_000; i++) ids.add(stableId('flashcards', 'card', `question ${i}`))
    expect(ids.size).toBe(1_000_000)
  })

  it('keeps two long names that share their first 80 characters apart, and short names as they were', () => {
    const part = 'Networking Interview Question Bank::I — Foundation Questions::'
    const one = slugify(`${part}1.Networking Terminology`)
    const two = slugify(`${part}2.OSI and TCP-IP Models`)
    expect(one).not.toBe(two)
    expect(one.length).toBeLessThanOrEqual(80)
    expect(one).toMatch(/^networking-interview-question-bank-i-foundation-questions-[a-z0-9-]*-[0-9a-f]{8}$/)
    expect(slugify(`${part}1.Networking Terminology`)).toBe(one)
    expect(slugify('Networking::TCP')).toBe('networking-tcp')
    expect(slugify('  ¿¡ ', 'part')).toBe('part')
  })

  it('maps an id to the 10-digit id the same row had before, and leaves other ids alone', () => {
    const id = stableId('net', 'anki', 'guid')
    expect(id).toMatch(/^net-[0-9a-f]{16}$/)
    expect(legacyIdOf(id)).toBe(id.slice(0, -6))
    expect(legacyIdOf(`${id}#c2`)).toBe(`${id.slice(0, -6)}#c2`)
    expect(legacyIdOf('tcp-handshake')).toBeNull()
  })

  it('a re-import finds rows stored under their old 10-digit ids: updated in place, not duplicated', async () => {
    const { db } = tempDb()
    const file = join(tempDir(), 'cards.csv')
    writeFileSync(file, 'front,back,tags\nWhat is ARP?,Address resolution,l2\nA {{c1::SYN}} opens,TCP,tcp\n')
    await runImport(db, file, { now: FIXED_NOW })
    // As an older version stored them: the same ids with 10 hex digits, hashed with that id
    // (the row's columns in the order the importer writes them).
    for (const row of rows(
      db,
      'SELECT id, deck_id, note_id, kind, cloze_ordinal, front, back, tags, drills, source_file, source_line FROM cards'
    )) {
      const legacy = { ...row, id: legacyIdOf(row.id as string) }
      db.prepare('UPDATE cards SET id = ?, content_hash = ? WHERE id = ?').run(legacy.id, contentHash(legacy), row.id)
    }
    const old = rows(db, 'SELECT id FROM cards ORDER BY id').map((r) => r.id)
    writeFileSync(
      file,
      'front,back,tags\nWhat is ARP?,Maps IPv4 to MAC,l2\nA {{c1::SYN}} opens,TCP,tcp\nNew one?,Yes,x\n'
    )
    const again = await runImport(db, file, { now: FIXED_NOW + 1 })
    expect(again).toMatchObject({ created: 1, updated: 1, unchanged: 1 })
    expect(count(db, 'cards')).toBe(3)
    expect(
      rows(db, 'SELECT id FROM cards WHERE id IN (' + old.map(() => '?').join(',') + ') ORDER BY id', ...old).map(
        (r) => r.id
      )
    ).toEqual(old)
  })
})
