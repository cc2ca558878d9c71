import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { ContentError } from '../../../src/shared/errors'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW } from '../../helpers/temp'
import { count, fixture, rows } from './helpers'

describe('CSV import', () => {
  it('reads quoted fields with commas, quotes and newlines, tags split on spaces or commas', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, fixture('cards.csv'), { now: FIXED_NOW, deck: 'Flashcards' })
    expect(summary).toMatchObject({ deck: 'flashcards', format: 'csv', created: 6, warnings: [] })
    const cards = rows(
      db,
      'SELECT id, kind, cloze_ordinal, front, back, tags, note_id, origin, source_line FROM cards ORDER BY position'
    )
    expect(cards.map((c) => [c.front, c.back, c.tags])).toEqual([
      ['What port does HTTPS use?', '443 (TCP; HTTP/3 uses UDP 443)', 'ports http'],
      ['What are the TCP flags in a handshake, in order?', 'SYN, SYN-ACK, ACK', 'tcp handshake'],
      ['Name the four fields of the UDP header', '- source port\n- destination port\n- length\n- checksum', 'udp'],
      [
        'The {{c1::TTL}} field stops packets looping forever; IPv6 calls it {{c2::Hop Limit}}.',
        'RFC 791 and RFC 8200',
        'ip'
      ],
      [
        'The {{c1::TTL}} field stops packets looping forever; IPv6 calls it {{c2::Hop Limit}}.',
        'RFC 791 and RFC 8200',
        'ip'
      ],
      ['She said "hello"', 'A quoted quote', '']
    ])
    expect(cards[3]).toMatchObject({
      kind: 'cloze',
      cloze_ordinal: 1,
      id: expect.stringMatching(/^flashcards-[0-9a-f]{16}#c1$/)
    })
    expect(cards[4]).toMatchObject({ kind: 'cloze', cloze_ordinal: 2 })
    expect(cards.every((c) => c.origin === 'import' && c.note_id === null)).toBe(true)
    // Line numbers count the lines of multi-line records.
    expect(cards.map((c) => c.source_line)).toEqual([2, 3, 4, 8, 8, 9])
  })

  it('reads a question,answer header as front and back', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, fixture('question-answer.csv'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ created: 1, table: { header: true, columns: ['front', 'back'] } })
  })

  it('names the deck after the file when --deck is not given', async () => {
    const { db } = tempDb()
    const summary = await previewImport(db, fixture('cards.csv'), { now: FIXED_NOW })
    expect(summary.deck).toBe('cards')
  })

  it.each([
    ['unclosed-quote.csv', 2, /quoted field is never closed/],
    ['extra-field.csv', 3, /this row has 4 fields; the header names 3/]
  ])('rejects %s with a ContentError naming the line, and writes nothing', async (name, line, message) => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const attempt = runImport(db, fixture(name), { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(ContentError)
    await expect(attempt).rejects.toMatchObject({ file: name, line, message: expect.stringMatching(message) })
    expect(totalChanges(db)).toBe(before)
    expect(count(db, 'cards') + count(db, 'decks')).toBe(0)
  })
})
