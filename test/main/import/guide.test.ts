import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { PLAIN_NAME } from '../../../src/shared/plain-name'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, fixture, one, rows } from './helpers'

const GUIDE = fixture('interview-guide.md')

function cardByFront(db: ReturnType<typeof tempDb>['db'], front: string) {
  return one(db, 'SELECT * FROM cards WHERE front = ?', front)
}

describe('markdown interview guide import', () => {
  it('turns each answered question into a note and a Q/A card in a deck named after the guide', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, GUIDE, { now: FIXED_NOW })
    expect(summary).toMatchObject({
      deck: 'networking-interview-guide',
      format: 'guide',
      created: 23,
      updated: 0,
      unchanged: 0
    })
    expect(one(db, 'SELECT * FROM decks')).toMatchObject({
      id: 'networking-interview-guide',
      title: 'Networking Interview Guide',
      description: 'A practical guide to the networking questions that come up in backend and SRE interviews.',
      origin: 'import'
    })
    // Eleven answers, and the part's introduction kept as a note rather than dropped.
    expect(count(db, 'notes')).toBe(12)
    expect(count(db, 'cards')).toBe(11)
    expect(one(db, "SELECT title, body, source_line FROM notes WHERE title LIKE 'Part 1%'")).toEqual({
      title: 'Part 1: TCP Fundamentals',
      body: 'These questions cover the transport layer.',
      source_line: 9
    })
    const titles = rows(db, 'SELECT title FROM notes ORDER BY seq').map((r) => r.title)
    expect(titles[0]).toBe('What is the TCP three-way handshake?')
    expect(titles).toContain('What is TIME_WAIT and why does it exist?')
    expect(titles).not.toContain('What is a reverse proxy?')
    for (const row of rows(db, 'SELECT id, origin, note_id, kind FROM cards')) {
      expect(row.id).toMatch(PLAIN_NAME)
      expect(row).toMatchObject({ origin: 'import', kind: 'basic' })
      expect(row.note_id).toMatch(PLAIN_NAME)
    }
  })

  it('keeps the whole answer: bold sub-headings, lists, tables, code in many languages, diagrams, quotes', async () => {
    const { db } = tempDb()
    await runImport(db, GUIDE, { now: FIXED_NOW })
    const handshake = cardByFront(db, 'What is the TCP three-way handshake?')
    expect(handshake.back).toMatch(/^\*\*Short answer:\*\* the client sends SYN/)
    expect(handshake.back).toContain('  |  ---- SYN (seq=x) ------>    |')
    expect(handshake.back).toContain('> Interview tip: mention SYN cookies')
    expect(handshake.back).not.toMatch(/---\s*$/) // the rule between questions is not part of the answer
    expect(cardByFront(db, 'What is a SYN flood?').back).toContain(
      '| SYN cookies | encode state in the ISN | loses some TCP options |'
    )
    expect(cardByFront(db, 'What is a SYN flood?').back).toContain('```bash\n# Linux: turn on SYN cookies')
    expect(cardByFront(db, 'What is TIME_WAIT and why does it exist?').back).toContain('```c\n')
    expect(cardByFront(db, 'How does DNS resolution work?').back).toContain('```go\n')
    // An unnumbered `###` inside a numbered guide belongs to the answer around it.
    const flow = cardByFront(db, 'How does TCP flow control differ from congestion control?')
    expect(flow.back).toContain('### Example')
    expect(flow.back).toContain('```python')
    const note = one(db, 'SELECT * FROM notes WHERE id = ?', flow.note_id)
    expect(note).toMatchObject({ title: flow.front, body: flow.back })
  })

  it('does not read headings inside fenced code as questions', async () => {
    const { db } = tempDb()
    await runImport(db, GUIDE, { now: FIXED_NOW })
    expect(rows(db, "SELECT id FROM cards WHERE front LIKE '%inside a code fence%'")).toEqual([])
    expect(cardByFront(db, 'What happens when you type a URL into a browser?').back).toContain(
      '### This heading is inside a code fence'
    )
  })

  it('tags each question with its part', async () => {
    const { db } = tempDb()
    await runImport(db, GUIDE, { now: FIXED_NOW })
    expect(cardByFront(db, 'What is a SYN flood?').tags).toBe('part-1-tcp-fundamentals')
    expect(cardByFront(db, 'How does DNS resolution work?').tags).toBe('part-2-application-protocols')
    expect(one(db, "SELECT tags FROM notes WHERE title = 'What is a SYN cookie?'").tags).toBe('part-3-security')
  })

  it('warns about an empty answer and imports a cut-off final answer tagged incomplete, naming their lines', async () => {
    const { db } = tempDb()
    const preview = await previewImport(db, GUIDE, { now: FIXED_NOW })
    expect(preview.warnings).toEqual([
      { line: 137, endLine: 140, message: expect.stringContaining('"What is a reverse proxy?" has no answer') },
      { line: 172, message: expect.stringContaining('cut off') }
    ])
    const incomplete = preview.items.filter((i) => i.incomplete)
    expect(incomplete.map((i) => [i.kind, i.title])).toEqual([
      ['note', 'How would you mitigate a volumetric DDoS attack?'],
      ['card', 'How would you mitigate a volumetric DDoS attack?']
    ])
    await runImport(db, GUIDE, { now: FIXED_NOW })
    expect(cardByFront(db, 'How would you mitigate a volumetric DDoS attack?').tags).toBe('part-3-security incomplete')
    expect(cardByFront(db, 'What is a SYN cookie?').tags).not.toContain('incomplete')
  })

  it('closes a code fence left open by a guide cut off inside a code block', async () => {
    const dir = tempDir()
    const file = join(dir, 'cut.md')
    writeFileSync(
      file,
      '# Cut Guide\n\n### 1. First?\n\nDone.\n\n### 2. Second?\n\nSee:\n\n```python\ndef handler(sock):\n    data = sock.re'
    )
    const { db } = tempDb()
    const summary = await runImport(db, file, { now: FIXED_NOW })
    expect(summary.warnings).toEqual([{ line: 7, message: expect.stringContaining('cut off') }])
    expect(cardByFront(db, 'Second?')).toMatchObject({
      back: 'See:\n\n```python\ndef handler(sock):\n    data = sock.re\n```',
      tags: 'incomplete'
    })
    expect(cardByFront(db, 'First?').tags).toBe('')
  })

  it('puts the guide into the deck named by --deck, creating it once', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, GUIDE, { now: FIXED_NOW, deck: 'My Interview Prep!' })
    expect(summary.deck).toBe('my-interview-prep')
    expect(one(db, 'SELECT id, title, origin FROM decks')).toEqual({
      id: 'my-interview-prep',
      title: 'My Interview Prep!',
      origin: 'import'
    })
    expect(rows(db, 'SELECT DISTINCT deck_id FROM cards')).toEqual([{ deck_id: 'my-interview-prep' }])
  })

  it('accepts question headings written as Q12:, plain, or with bold only on the number', async () => {
    const dir = tempDir()
    const file = join(dir, 'styles.md')
    writeFileSync(
      file,
      '# Styles\n\n### Q1: What is ARP?\n\nAddress resolution.\n\n### **2.** What is NDP?\n\nNeighbor discovery.\n\n### 3) What is ICMP?\n\nControl messages.\n'
    )
    const { db } = tempDb()
    await runImport(db, file, { now: FIXED_NOW })
    expect(rows(db, 'SELECT front FROM cards ORDER BY position').map((r) => r.front)).toEqual([
      'What is ARP?',
      'What is NDP?',
      'What is ICMP?'
    ])
  })
})
