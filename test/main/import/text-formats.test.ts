// Delimited text: Anki's "Notes in Plain Text" export with its header lines, TSV without a
// header (Quizlet's export), CSV with other column names, the column mapping, HTML cells.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { readAnkiHeader } from '../../../src/main/import/table-format'
import { ContentError, ValidationError } from '../../../src/shared/errors'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { fixture, rows } from './helpers'

const dir = tempDir('retransmit-text-formats-')
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const cardsOf = (db: ReturnType<typeof tempDb>['db']) =>
  rows(db, 'SELECT deck_id, kind, cloze_ordinal, front, back, tags, source_line FROM cards ORDER BY source_line, id')

describe("Anki's Notes in Plain Text export", () => {
  it('reads the header lines as Anki writes and reads them', () => {
    const header = readAnkiHeader([
      'tags:legacy',
      '#separator:Pipe',
      '# a comment without a colon',
      '#HTML: false ',
      '#tags:one two',
      '#columns:Front|Back|Tags',
      '#deck column: 2',
      '#tags column:3',
      '#guid column:x',
      'data|row|here'
    ])
    expect(header).toMatchObject({
      lineCount: 9,
      separator: 'pipe',
      html: false,
      globalTags: ['one', 'two'],
      columnNames: ['Front', 'Back', 'Tags'],
      deckColumn: 2,
      tagsColumn: 3,
      present: true
    })
    // A bad value is ignored, as Anki ignores it.
    expect(header.guidColumn).toBeUndefined()
    expect(readAnkiHeader(['#separator:;']).separator).toBe('semicolon')
    expect(readAnkiHeader(['# Networking: a guide']).present).toBe(false)
  })

  it('imports notes with guid, note type, deck and tags columns; HTML becomes markdown; decks keep their path', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, fixture('anki-notes.txt'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ format: 'csv', created: 6, warnings: [] })
    expect(summary.table).toMatchObject({
      separator: 'tab',
      header: false,
      columns: ['ignore', 'ignore', 'deck', 'front', 'back', 'tags'],
      rows: 4
    })
    expect(rows(db, 'SELECT id, title FROM decks ORDER BY id')).toEqual([
      { id: 'networking-dns', title: 'Networking::DNS' },
      { id: 'networking-ip', title: 'Networking::IP' },
      { id: 'networking-transport', title: 'Networking::Transport' }
    ])
    const cards = cardsOf(db)
    expect(cards.map((c) => [c.deck_id, c.kind, c.front, c.back, c.tags])).toEqual([
      [
        'networking-transport',
        'basic',
        '**What does TCP add over IP?**',
        'Ordered, reliable delivery:\n\n- sequence numbers\n- acknowledgements',
        'tcp transport'
      ],
      [
        'networking-transport',
        'basic',
        'UDP header size',
        '8 bytes (source port, destination port, length, checksum)',
        'udp'
      ],
      // "Basic (and reversed card)": the second card asks back to front.
      [
        'networking-transport',
        'basic',
        '8 bytes (source port, destination port, length, checksum)',
        'UDP header size',
        'udp'
      ],
      [
        'networking-ip',
        'cloze',
        'IPv4 calls it {{c1::TTL}}; IPv6 calls it {{c2::Hop Limit}}.',
        '*RFC 791 and RFC 8200*',
        'ip'
      ],
      [
        'networking-ip',
        'cloze',
        'IPv4 calls it {{c1::TTL}}; IPv6 calls it {{c2::Hop Limit}}.',
        '*RFC 791 and RFC 8200*',
        'ip'
      ],
      // HTML cells: a newline is only white space, as a browser shows it.
      ['networking-dns', 'basic', 'Which record maps a name to an IPv6 address?', 'AAAA ("quad A")', 'dns']
    ])
    // Line numbers count the six header lines.
    expect(cards.map((c) => c.source_line)).toEqual([7, 8, 8, 9, 9, 10])
  })

  it('keeps ids by guid: an edited front updates the same card instead of adding one', async () => {
    const { db } = tempDb()
    await runImport(db, fixture('anki-notes.txt'), { now: FIXED_NOW })
    const { readFileSync } = await import('node:fs')
    const edited = readFileSync(fixture('anki-notes.txt'), 'utf8').replace('UDP header size', 'Size of the UDP header')
    const again = await runImport(db, write('anki-edited.txt', edited), { now: FIXED_NOW })
    expect(again).toMatchObject({ created: 0, updated: 2, unchanged: 4 })
  })

  it('applies #tags: to every note and #deck: to the whole file, reads semicolons, and counts media it cannot bring', async () => {
    const { db } = tempDb()
    const text = '#separator:semicolon\n#html:true\n#tags:net exam\n#deck:Ports\nSSH?;22 <img src="ssh.png">\nDNS?;53\n'
    const summary = await runImport(db, write('ports.txt', text), { now: FIXED_NOW })
    expect(summary).toMatchObject({ deck: 'ports', table: { separator: 'semicolon' } })
    expect(cardsOf(db).map((c) => [c.deck_id, c.front, c.back, c.tags])).toEqual([
      ['ports', 'SSH?', '22', 'net exam'],
      ['ports', 'DNS?', '53', 'net exam']
    ])
    expect(summary.warnings).toEqual([{ line: 5, message: expect.stringContaining('1 image(s)') }])
  })

  it('with #html:false keeps tags as literal text', async () => {
    const { db } = tempDb()
    await runImport(db, write('plain.txt', '#separator:tab\n#html:false\nWhat does <br> do?\tbreaks a line\n'), {
      now: FIXED_NOW
    })
    expect(cardsOf(db).map((c) => c.front)).toEqual(['What does <br> do?'])
  })
})

describe('CSV and TSV without a front,back header', () => {
  it("imports Quizlet's tab export (no header) as front and back", async () => {
    const { db } = tempDb()
    const summary = await runImport(db, fixture('quizlet.tsv'), { now: FIXED_NOW })
    expect(summary).toMatchObject({ deck: 'quizlet', created: 3, warnings: [] })
    expect(summary.table).toMatchObject({ separator: 'tab', header: false, columns: ['front', 'back'] })
    expect(cardsOf(db).map((c) => [c.front, c.back, c.source_line])).toEqual([
      ['ARP', 'maps an IPv4 address to a MAC address on the local link', 1],
      ['NDP', 'does what ARP does for IPv6, over ICMPv6', 2],
      ['MTU', 'the largest payload a link carries in one frame', 3]
    ])
  })

  it('reads other column names by role, labels extra columns on the back, and follows a mapping', async () => {
    const { db } = tempDb()
    const preview = await previewImport(db, fixture('other-columns.csv'), { now: FIXED_NOW })
    expect(preview.table).toMatchObject({
      header: true,
      names: ['Topic', 'Question', 'Answer', 'Source'],
      columns: ['back', 'front', 'back', 'back'],
      sample: [
        ['TCP', 'What is a RST?', 'A segment that aborts the connection, at once', 'RFC 9293'],
        ['DNS', 'What port does DNS use?', '53 (UDP and TCP)', 'RFC 1035']
      ]
    })
    expect(preview.items.map((i) => [i.title, i.lines])).toEqual([
      ['What is a RST?', { from: 2, to: 2 }],
      ['What port does DNS use?', { from: 3, to: 3 }]
    ])
    await runImport(db, fixture('other-columns.csv'), { now: FIXED_NOW, table: { columns: ['tags', 'front', 'back'] } })
    expect(cardsOf(db).map((c) => [c.front, c.back, c.tags])).toEqual([
      ['What is a RST?', 'A segment that aborts the connection, at once', 'tcp'],
      ['What port does DNS use?', '53 (UDP and TCP)', 'dns']
    ])
    const { db: labelled } = tempDb()
    await runImport(labelled, fixture('other-columns.csv'), { now: FIXED_NOW })
    expect(cardsOf(labelled)[0]!.back).toBe(
      '**Topic:** TCP\n\n**Answer:** A segment that aborts the connection, at once\n\n**Source:** RFC 9293'
    )
  })

  it('reads a deck column named in the header, and a pipe-separated file', async () => {
    const { db } = tempDb()
    await runImport(
      db,
      write('decks.csv', 'deck|front|back\nTCP|What is MSS?|Largest segment payload\nUDP|Header size?|8 bytes\n'),
      {
        now: FIXED_NOW
      }
    )
    expect(cardsOf(db).map((c) => [c.deck_id, c.front])).toEqual([
      ['tcp', 'What is MSS?'],
      ['udp', 'Header size?']
    ])
  })

  it('warns, naming the column, when a mapping ignores a column that holds text', async () => {
    const { db } = tempDb()
    const summary = await previewImport(db, fixture('other-columns.csv'), {
      now: FIXED_NOW,
      table: { columns: ['ignore', 'front', 'back', 'ignore'] }
    })
    expect(summary.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('column 1 ("Topic") is ignored: its text in 2 row(s)'),
      expect.stringContaining('column 4 ("Source") is ignored')
    ])
  })

  it('reads a header row as data when told there is none, and refuses a mapping without a front', async () => {
    const { db } = tempDb()
    const summary = await previewImport(db, fixture('other-columns.csv'), {
      now: FIXED_NOW,
      table: { header: false, columns: ['ignore', 'front', 'back', 'ignore'] }
    })
    expect(summary.items.map((i) => i.title)).toEqual(['Question', 'What is a RST?', 'What port does DNS use?'])
    const before = totalChanges(db)
    await expect(
      runImport(db, fixture('other-columns.csv'), { now: FIXED_NOW, table: { columns: ['back', 'tags'] } })
    ).rejects.toThrow(ValidationError)
    await expect(
      runImport(db, fixture('quizlet.tsv'), { now: FIXED_NOW, table: { columns: ['front', 'back', 'tags'] } })
    ).rejects.toThrow(/names 3 columns; the file has 2/)
    expect(totalChanges(db)).toBe(before)
  })

  it('converts HTML cells found without a header saying so, and leaves a bare < alone', async () => {
    const { db } = tempDb()
    await runImport(db, write('html.csv', 'Name the layers,<ol><li>link</li><li>internet</li></ol>\nIs 1 < 2?,yes\n'), {
      now: FIXED_NOW
    })
    expect(cardsOf(db).map((c) => c.back)).toEqual(['1. link\n2. internet', 'yes'])
    const { db: plain } = tempDb()
    await runImport(plain, write('plain.csv', 'Is 1 < 2?,yes\nIs a<b valid?,in C\n'), { now: FIXED_NOW })
    expect(cardsOf(plain).map((c) => c.front)).toEqual(['Is 1 < 2?', 'Is a<b valid?'])
  })

  it('skips a row whose HTML converts to nothing, with a warning naming its lines, and imports the rest', async () => {
    const { db } = tempDb()
    const text = 'front,back\n<div>Kept?</div>,yes\nScript only?,<script>alert(1)</script>\n'
    const summary = await runImport(db, write('script.csv', text), { now: FIXED_NOW })
    expect(cardsOf(db).map((c) => c.front)).toEqual(['Kept?'])
    expect(summary.warnings).toContainEqual(
      expect.objectContaining({ line: 3, message: expect.stringMatching(/empty back; skipped/) })
    )
  })

  it('names the file and line of a row with more cells than the header, and of an unclosed quote', async () => {
    const { db } = tempDb()
    const text = 'front\tback\nA\tB\nC\tD\tE\n'
    await expect(runImport(db, write('wide.tsv', text), { now: FIXED_NOW })).rejects.toMatchObject({
      file: 'wide.tsv',
      line: 3,
      message: expect.stringContaining('this row has 3 fields')
    })
    const quoted = '#separator:comma\n#html:false\nA,B\n"C,D\nE,F\n'
    const attempt = runImport(db, write('quote.txt', quoted), { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(ContentError)
    await expect(attempt).rejects.toMatchObject({ file: 'quote.txt', line: 4 })
  })
})

// An outsider writes the file: Python's csv module, with its own quoting of tabs, quotes and
// newlines. Skipped (with the reason) where python3 is missing.
const python = (() => {
  try {
    execFileSync('python3', ['--version'])
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!python)('a TSV written by Python csv.writer', () => {
  it('imports every cell exactly, quoting and all', async () => {
    const cells = [
      ['tab\tinside', 'quote " inside'],
      ['newline\ninside', 'comma, inside'],
      ['"starts with a quote', 'ends with a quote"']
    ]
    const path = join(dir, 'python.tsv')
    const script = [
      'import csv, json, sys',
      'rows = json.loads(sys.argv[2])',
      "with open(sys.argv[1], 'w', newline='') as f:",
      "    w = csv.writer(f, delimiter='\\t', lineterminator='\\n')",
      "    w.writerow(['front', 'back'])",
      '    w.writerows(rows)'
    ].join('\n')
    execFileSync('python3', ['-c', script, path, JSON.stringify(cells)])
    const { db } = tempDb()
    await runImport(db, path, { now: FIXED_NOW })
    expect(cardsOf(db).map((c) => [c.front, c.back])).toEqual(cells)
  })
})
