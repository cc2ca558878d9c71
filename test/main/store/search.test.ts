import { beforeAll, describe, expect, it } from 'vitest'
import { syncContentDir } from '../../../src/main/content/sync'
import { createSearchStore, toFtsQuery } from '../../../src/main/store/search'
import { cardBlock, deckMd, topicMd } from '../../helpers/content'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir, writeTree } from '../../helpers/temp'

describe('full-text search', () => {
  const { db } = tempDb()
  const search = createSearchStore(db)

  beforeAll(() => {
    const content = tempDir()
    writeTree(content, {
      'decks/tcp/deck.md': deckMd('TCP'),
      'decks/tcp/hs.md': topicMd({
        id: 'handshakes',
        note: '# Handshakes\n\nThe three-way handshake opens a TCP connection.',
        blocks: [
          cardBlock(
            'hs-syn',
            'What does the first segment of a handshake carry?',
            'The SYN flag and an initial sequence number.'
          ),
          cardBlock('hs-other', 'What is slow start?', 'Exponential growth of cwnd; unrelated to handshakes.'),
          cardBlock('hs-retired', 'A retired handshake card?', 'Gone.')
        ]
      })
    })
    syncContentDir(db, content, FIXED_NOW)
    db.prepare("UPDATE cards SET retired_at = 1 WHERE id = 'hs-retired'").run()
  })

  it('finds cards and notes, best match first, with highlighted snippets', () => {
    const results = search.search('handshake', 10)
    expect(results.map((r) => r.id)).toEqual(expect.arrayContaining(['hs-syn', 'hs-other', 'handshakes']))
    expect(results[0]!.snippet).toMatch(/\[\[handshake/i)
    const note = results.find((r) => r.kind === 'note')!
    expect(note).toMatchObject({ deck: 'tcp', title: 'Handshakes' })
  })

  it('stems and matches prefixes', () => {
    expect(search.search('handshakes', 10).map((r) => r.id)).toContain('hs-syn')
    expect(search.search('sequ', 10).map((r) => r.id)).toEqual(['hs-syn'])
  })

  it('leaves out retired cards', () => {
    expect(search.search('retired', 10)).toEqual([])
  })

  it('never turns user text into FTS syntax errors', () => {
    for (const hostile of ['"', 'AND OR NOT', 'a:b', '*', 'NEAR(', '(((', "'; DROP TABLE cards; --"]) {
      expect(() => search.search(hostile, 10)).not.toThrow()
    }
    expect(toFtsQuery('  ')).toBeNull()
    expect(toFtsQuery('tcp "syn')).toBe('"tcp"* "syn"*')
  })
})
