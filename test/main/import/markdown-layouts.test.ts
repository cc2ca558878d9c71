// The interview-repository layouts besides `###` guides: `<details>` Q&A, numbered questions at
// another heading level, numbered list items, Obsidian Spaced Repetition. Every fixture is ours,
// written in the layout; each test names what became what and which lines.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { exportCollection, previewImport, runImport } from '../../../src/main/import'
import { accountedLines } from '../../../src/main/import/markdown/builder'
import { parseMarkdown } from '../../../src/main/import/markdown'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { fixture, rows } from './helpers'

const layout = (name: string) => fixture(`layouts/${name}`)
const cards = (db: ReturnType<typeof tempDb>['db']) =>
  rows(db, 'SELECT kind, cloze_ordinal, front, back, tags, source_line FROM cards ORDER BY position')
const notes = (db: ReturnType<typeof tempDb>['db']) =>
  rows(db, 'SELECT title, body, source_line FROM notes ORDER BY source_line')

/** Lines with text that no card, note, warning or structure span accounts for. */
function unaccounted(name: string): number[] {
  const text = readFileSync(layout(name), 'utf8')
  const plan = parseMarkdown(text, { file: name, fallbackName: name.replace(/\.md$/, '') })
  const covered = accountedLines(plan, plan.structure ?? [])
  return text
    .split('\n')
    .flatMap((line, i) =>
      line.trim() === '' || /^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line) || covered.has(i + 1) ? [] : [i + 1]
    )
}

describe('<details> Q&A', () => {
  it('reads summaries as questions, unwraps answers, takes a labelled summary’s question from above, and accounts for the rest', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('details-qa.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'markdown', layout: '<details> Q&A', deck: 'networking-questions' })
    const made = cards(db)
    expect(made.map((c) => [c.front, c.tags, c.source_line])).toEqual([
      ['What does the TCP `RST` flag do?', 'transport', 12],
      ['Why does TCP need a three-way handshake?', 'transport', 20],
      ['What is TCP slow start?', 'transport', 39],
      ['Which record type maps a name to an IPv6 address?', 'names', 53]
    ])
    expect(made[0]!.back).toBe(
      'It aborts the connection at once: the receiver discards any queued data and the\nconnection goes straight to CLOSED, without the FIN exchange.'
    )
    // A nested <details> stays inside its answer.
    expect(made[1]!.back).toContain('3. ACK acknowledges the server')
    expect(made[1]!.back).toContain('<summary>Deeper: what if the SYN-ACK is lost?</summary>')
    expect(made[2]!.back).toMatch(/^The sender starts with a small congestion window/)
    expect(notes(db).find((n) => n.title === 'Names')).toEqual({
      title: 'Names',
      body: 'Resolution goes from the stub resolver to a recursive resolver, then down from the root.',
      source_line: 51
    })
    expect(summary.warnings).toEqual([
      { line: 1, message: expect.stringContaining('HTML layout') },
      { line: 5, endLine: 8, message: expect.stringContaining('table of contents') },
      { line: 35, endLine: 37, message: `question "What is Nagle's algorithm?" has no answer; skipped` }
    ])
    expect(unaccounted('details-qa.md')).toEqual([])
  })
})

describe('<details> edge cases', () => {
  it('takes the question from the paragraph above an "Answer" summary, and runs an unclosed block to the end, marked incomplete', async () => {
    const { db } = tempDb()
    const path = `${tempDir()}/edge.md`
    const { writeFileSync } = await import('node:fs')
    writeFileSync(
      path,
      '# Edge\n\nWhat does ICMP type 3 mean?\n\n<details><summary>Answer</summary>\nDestination unreachable.\n</details>\n\n<details>\n<summary>What does ICMP type 11 mean?</summary>\nTime exceeded, and then the file stops\n'
    )
    const summary = await runImport(db, path, { now: FIXED_NOW })
    expect(cards(db).map((c) => [c.front, c.back, c.source_line])).toEqual([
      ['What does ICMP type 3 mean?', 'Destination unreachable.', 3],
      ['What does ICMP type 11 mean?', 'Time exceeded, and then the file stops', 9]
    ])
    expect(summary.warnings).toEqual([
      { line: 9, endLine: 12, message: expect.stringContaining('<details> opened on line 9 is never closed') }
    ])
    expect(summary.created).toBe(4)
    expect(cards(db).map((c) => c.tags)).toEqual(['', 'incomplete'])
  })
})

describe('numbered question headings at any level', () => {
  it('reads `#### N.` questions under `### Answers`, keeps deeper headings and code in the answer, and keeps the rest as notes', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('numbered-headings.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'guide', layout: 'numbered question headings (level 4)', warnings: [] })
    const made = cards(db)
    expect(made.map((c) => [c.front, c.tags])).toEqual([
      ['What is a port? [basic]', 'answers'],
      ['Why is UDP connectionless?', 'answers'],
      ['What does the checksum cover?', 'answers']
    ])
    expect(made[1]!.back).toContain('##### Example')
    expect(made[2]!.back).toContain('#### not a heading: this is inside code')
    expect(notes(db).filter((n) => !made.some((c) => c.front === n.title))).toEqual([
      {
        title: 'Transport Layer Answers',
        body: '| # | Question |\n| --- | --- |\n| 1 | What is a port? |\n| 2 | Why is UDP connectionless? |',
        source_line: 5
      },
      { title: 'Further reading', body: 'RFC 768 is three pages long.', source_line: 31 }
    ])
    expect(unaccounted('numbered-headings.md')).toEqual([])
  })

  it('reads `## 1. Question` at level 2 with `###` headings inside answers', async () => {
    const { db } = tempDb()
    const dir = tempDir()
    const path = `${dir}/level-two.md`
    const { writeFileSync } = await import('node:fs')
    writeFileSync(
      path,
      '# DNS\n\n## 1. What is a zone?\n\n### Short\n\nA delegated part of the namespace.\n\n## 2. What is glue?\n\nAddresses of name servers inside the zone they serve.\n'
    )
    const summary = await runImport(db, path, { now: FIXED_NOW })
    expect(summary.layout).toBe('numbered question headings (level 2)')
    expect(cards(db).map((c) => [c.front, c.back])).toEqual([
      ['What is a zone?', '### Short\n\nA delegated part of the namespace.'],
      ['What is glue?', 'Addresses of name servers inside the zone they serve.']
    ])
  })

  it('stays a numbered guide when answers hold `::` and `?` lines (no #flashcards tag)', async () => {
    const { db } = tempDb()
    const path = `${tempDir()}/colons.md`
    const { writeFileSync } = await import('node:fs')
    const answers = ['std::vector :: a C++ type', 'Is it up?', '?', 'key :: value', 'a :: b']
    const text = ['# Guide', '', ...answers.flatMap((a, i) => [`### ${i + 1}. Question ${i + 1}`, '', a, ''])]
    writeFileSync(path, text.join('\n'))
    const summary = await runImport(db, path, { now: FIXED_NOW })
    expect(summary.layout).toBe('numbered question headings')
    expect(cards(db).map((c) => c.back)).toEqual(answers)
  })
})

describe('numbered list items', () => {
  it('reads items with indented answers (and `N. ### Question` items), leaves out navigation links by name', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('numbered-list.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'markdown', layout: 'numbered list items' })
    const made = cards(db)
    expect(made.map((c) => [c.front, c.back, c.tags, c.source_line])).toEqual([
      [
        'What does bind do?',
        'It gives a socket its local address and port.\n\n```c\nbind(fd, (struct sockaddr *)&addr, sizeof addr);\n```',
        'questions',
        12
      ],
      [
        'What does listen do?',
        'It marks a TCP socket as passive and sets the length of its accept queue.',
        'questions',
        22
      ],
      [
        'What does accept return?',
        'A new socket for one connection; the listening socket keeps listening.',
        'questions',
        28
      ]
    ])
    expect(summary.warnings).toEqual([
      { line: 3, endLine: 8, message: expect.stringContaining('table of contents') },
      { line: 20, message: expect.stringMatching(/3 in-page navigation link\(s\).*\(lines 20, 26, 34\)/) },
      { line: 32, message: 'question "What does shutdown do?" has no answer; skipped' }
    ])
    expect(notes(db).at(-1)).toMatchObject({ body: 'A note at the end: every call above can fail with EINTR.' })
    expect(unaccounted('numbered-list.md')).toEqual([])
  })
})

describe('Q: / A: paragraphs', () => {
  it('reads bold and plain Q/A markers, keeps multi-paragraph answers, tags by section, and names what it skips', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('qa-pairs.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'markdown', layout: 'Q: / A: pairs', deck: 'transport-notes' })
    const made = cards(db)
    expect(made.map((c) => [c.front, c.tags, c.source_line])).toEqual([
      ['What does a TCP SYN carry?', 'tcp', 11],
      ['Why three segments to open a connection?', 'tcp', 14],
      ['Does UDP retransmit?', 'udp', 26],
      ['What does the UDP checksum cover in IPv6?', 'udp', 29]
    ])
    expect(made.map((c) => c.back)).toEqual([
      "The sender's initial sequence number (RFC 9293 §3.4).",
      "Each side must learn the other's initial sequence number and see its own\nacknowledged; the middle segment does both at once.\n\nIt also guards against old duplicate SYNs (RFC 9293 §3.5).",
      'No. A lost datagram stays lost unless the application sends it again.',
      'A pseudo-header, the UDP header and the data; it is mandatory over IPv6 (RFC 8200 §8.1).\n\n```text\nQ: this line is code, not a question\nA: and this is not an answer\n```'
    ])
    // The section's own text (its table) is a note; the question left unanswered is named.
    expect(notes(db).map((n) => n.title)).toContain('Notes')
    expect(summary.warnings).toEqual([
      { line: 20, endLine: 21, message: `question "What ends a connection abruptly?" has no answer; skipped` }
    ])
    expect(unaccounted('qa-pairs.md')).toEqual([])
  })

  it('is not chosen for a guide whose prose merely starts a line with "Q:"', () => {
    const text = '### 1. What is ARP?\n\nQ: is it layer 2? Yes.\n\nQ: and in IPv6? No, NDP does its job.\n'
    expect(parseMarkdown(text, { file: 'g.md', fallbackName: 'g' }).layout).not.toBe('Q: / A: pairs')
  })
})

describe('one question per file', () => {
  it('makes one card: the title and question in front, the answer section behind, references in its note', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('question-file.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'markdown', layout: 'one question per file', deck: 'question-file' })
    const made = cards(db)
    expect(made).toHaveLength(1)
    expect(made[0]).toMatchObject({
      front:
        'Debug an authoritative DNS delegation\n\nA new subdomain answers at its own nameserver but not through public resolvers. What do you check?',
      tags: 'dns troubleshooting',
      source_line: 7
    })
    expect(made[0]!.back).toMatch(/^- The parent zone must publish NS records/)
    expect(made[0]!.back).toMatch(/dig \+trace sub\.example\.com NS\n```$/)
    expect(made[0]!.back).not.toContain('References')
    expect(notes(db)[0]!.body).toMatch(/```\n\n## References\n\n- RFC 1034, section 4\.2\.1$/)
    expect(summary.warnings).toEqual([
      { line: 1, endLine: 5, message: 'frontmatter fields not imported: difficulty (its title and tags are used)' }
    ])
    expect(unaccounted('question-file.md')).toEqual([])
  })
})

describe('one question per file, under Question and Answer headings', () => {
  it('takes the question from under `### Question`, and the whole answer with its numbered sections', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, layout('question-heading.md'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ layout: 'one question per file' })
    const made = cards(db)
    expect(made.map((c) => [c.front, c.source_line])).toEqual([['What is DNS and why does it matter?', 1]])
    expect(made[0]!.back).toMatch(/^### 1\. What is DNS\?\n/)
    expect(made[0]!.back).toMatch(/hosts connect to addresses\.$/)
    expect(summary.warnings).toEqual([])
    expect(unaccounted('question-heading.md')).toEqual([])
  })
})

describe('Obsidian Spaced Repetition', () => {
  it('reads ::, :::, ?, ??, ==cloze== and #flashcards decks; names what it leaves out', async () => {
    const { db } = tempDb()
    const preview = await previewImport(db, layout('obsidian-sr.md'), { now: FIXED_NOW })
    expect(preview).toMatchObject({ format: 'markdown', layout: 'Obsidian Spaced Repetition', deck: 'obsidian-sr' })
    await runImport(db, layout('obsidian-sr.md'), { now: FIXED_NOW })
    expect(cards(db).map((c) => [c.kind, c.cloze_ordinal, c.front, c.back, c.tags, c.source_line])).toEqual([
      ['basic', null, "The TCP header's minimum size", '20 bytes', 'networking-transport', 12],
      ['basic', null, 'TCP', 'Transmission Control Protocol', 'networking-transport', 15],
      ['basic', null, 'Transmission Control Protocol', 'TCP', 'networking-transport', 15],
      [
        'basic',
        null,
        'What does a receiver advertise\nin every segment?',
        'Its receive window: how many more bytes\nit can buffer.',
        'networking-transport',
        17
      ],
      ['basic', null, 'Port 443', 'HTTPS', 'networking-transport', 23],
      ['basic', null, 'HTTPS', 'Port 443', 'networking-transport', 23],
      [
        'cloze',
        1,
        'The {{c1::SYN}} flag opens a connection and the {{c2::FIN}} flag closes it.',
        '',
        'networking-transport',
        27
      ],
      [
        'cloze',
        2,
        'The {{c1::SYN}} flag opens a connection and the {{c2::FIN}} flag closes it.',
        '',
        'networking-transport',
        27
      ],
      // A tag at the start of a card's line is that card's deck only.
      ['basic', null, 'What port does DNS use?', '53', 'networking-dns', 31],
      ['basic', null, 'UDP header size', '8 bytes', 'networking-transport later', 35]
    ])
    expect(preview.warnings).toEqual([
      { line: 1, endLine: 4, message: expect.stringContaining('frontmatter') },
      { line: 13, message: expect.stringMatching(/2 Obsidian scheduling comment\(s\).*\(lines 13, 31\)/) }
    ])
    // `std::move` in code is no card; the paragraph is kept as a note.
    expect(notes(db).map((n) => n.body)).toEqual([
      '#review\n\nNotes from the transport chapter.',
      'C++ has `std::move`, which is no card.'
    ])
    expect(unaccounted('obsidian-sr.md')).toEqual([])
  })
})

describe('round trip', () => {
  it('a layout imported, exported in the content format and imported again gives the same cards', async () => {
    for (const name of ['details-qa.md', 'numbered-list.md', 'numbered-headings.md']) {
      const { db } = tempDb()
      await runImport(db, layout(name), { now: FIXED_NOW })
      const out = tempDir()
      await exportCollection(db, { outDir: out })
      const { db: again } = tempDb()
      await runImport(again, out, { now: FIXED_NOW })
      const shape = (d: typeof db) =>
        rows(d, 'SELECT id, front, back, tags FROM cards ORDER BY id').map((r) => JSON.stringify(r))
      expect(shape(again), name).toEqual(shape(db))
    }
  })
})

describe('long answers', () => {
  it('flags an answer over 1,500 characters with its lines and a suggestion to split', async () => {
    const { db } = tempDb()
    const path = `${tempDir()}/long.md`
    const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i} about congestion control and its windows.`).join(
      '\n'
    )
    const { writeFileSync } = await import('node:fs')
    writeFileSync(path, `# Long\n\n### 1. Explain congestion control\n\n${long}\n\n### 2. Short?\n\nYes.\n`)
    const summary = await previewImport(db, path, { now: FIXED_NOW })
    expect(summary.warnings).toEqual([
      {
        line: 3,
        endLine: 45,
        message: expect.stringMatching(/"Explain congestion control" is 2\d\d\d characters; consider splitting it/)
      }
    ])
  })
})
