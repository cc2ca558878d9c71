// A folder of markdown files that is not laid out like content/ (a cloned interview-question
// repository): each file in its own deck titled with its path, each read in its own layout,
// images beside a file coming along, and everything left out named.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../../src/main/import'
import { MAX_FOLDER_FILES } from '../../../src/main/import/markdown-folder'
import { ContentError } from '../../../src/shared/errors'
import { solidPng } from '../../fixtures/import/png'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { rows } from './helpers'

/** Both files' names share their first 80 characters once the deck path is in front. */
const LONG = 'tcp-handshake-and-teardown-questions-for-interviews'

function repository(): string {
  const root = join(tempDir(), 'transport-bank')
  const write = (path: string, text: string | Uint8Array) => {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  write('README.md', '# Transport interview bank\n\nQuestions by topic, one file each.\n')
  write(
    `Part 1/1.${LONG}.md`,
    "# TCP\n\n#### 1. What does a SYN carry?\nThe sender's initial sequence number (RFC 9293 §3.4).\n\n#### 2. What is TIME-WAIT for?\nIt holds the socket pair for 2 MSL so late segments die out (RFC 9293 §3.6.1).\n"
  )
  write(
    `Part 1/2.${LONG}.md`,
    '# TCP, more\n\n**Q1: What does a SYN carry?**\nA: An initial sequence number, and options such as MSS (RFC 9293 §3.7.1).\n\n![The handshake](handshake.png)\n'
  )
  write('Part 1/handshake.png', solidPng(4, 2))
  write('Part 1/slides.pdf', 'not markdown')
  write('.git/HEAD.md', '### Not a question\nA git file.\n')
  write('node_modules/pkg/readme.md', '### What is this?\nA dependency.\n')
  return root
}

describe('a folder of markdown files', () => {
  it('imports each file into a deck titled with its path, in its own layout, with its images', async () => {
    const { db } = tempDb()
    const root = repository()
    const summary = await runImport(db, root, { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    expect(summary.format).toBe('markdown')
    expect(summary.layout).toBe(
      'folder of 3 markdown files (numbered question headings (level 4) ×1, Q: / A: pairs ×1)'
    )
    const decks = rows(db, "SELECT id, title FROM decks WHERE origin = 'import' ORDER BY title")
    expect(decks.map((d) => d.title)).toEqual([
      `transport-bank::Part 1::1.${LONG}`,
      `transport-bank::Part 1::2.${LONG}`
    ])
    expect(new Set(decks.map((d) => d.id)).size).toBe(2)
    const cards = rows(
      db,
      "SELECT d.title AS deck, c.front, c.back, c.source_file, c.source_line FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.origin = 'import' ORDER BY d.title, c.position"
    )
    expect(cards.map((c) => [c.front, c.source_file, c.source_line])).toEqual([
      ['What does a SYN carry?', `Part 1/1.${LONG}.md`, 3],
      ['What is TIME-WAIT for?', `Part 1/1.${LONG}.md`, 6],
      ['What does a SYN carry?', `Part 1/2.${LONG}.md`, 3]
    ])
    // The image beside the file is stored and shown from /media.
    expect(cards[2]!.back).toMatch(/!\[The handshake\]\(\/media\/[0-9a-f]{64}\.png\)/)
    // Hidden folders and node_modules are not walked; what was not imported is named.
    expect(JSON.stringify(rows(db, 'SELECT front FROM cards'))).not.toContain('dependency')
    const messages = summary.warnings.map((w) => w.message)
    expect(messages).toContain('README.md: no question headings found; nothing to import')
    expect(messages).toContain(
      'files that are not markdown were not imported (1 .png, 1 .pdf); images a card shows come along'
    )
  })

  it("puts one-question files in their folder's deck, each with ids of its own, and says a warning many files share once", async () => {
    const { db } = tempDb()
    const root = join(tempDir(), 'bank')
    mkdirSync(join(root, 'questions', 'dns'), { recursive: true })
    for (const [name, title] of [
      ['delegation', 'Debug a delegation'],
      ['ttl', 'Choose a TTL'],
      ['negative', 'Explain negative caching'],
      ['glue', 'Debug a delegation']
    ]) {
      // A section before the title, the same in every file, as one real bank writes them.
      writeFileSync(
        join(root, 'questions', 'dns', `${name}.md`),
        `---\ntitle: ${title}\nlevel: 2\n---\n\n## What to learn next\n\n- RFC 1034\n\n# ${title}\n\nWhat would you do (${name})?\n\n## Answer\n\nCheck ${name}.\n`
      )
    }
    const summary = await runImport(db, root, { now: FIXED_NOW })
    expect(rows(db, "SELECT title FROM decks WHERE origin = 'import'")).toEqual([{ title: 'bank::questions::dns' }])
    const made = rows(db, "SELECT front, back, source_file FROM cards WHERE origin = 'import' ORDER BY source_file")
    expect(made.map((c) => c.back)).toEqual(['Check delegation.', 'Check glue.', 'Check negative.', 'Check ttl.'])
    // Two files with the same title and the same section before it are still four questions.
    expect(rows(db, "SELECT count(*) AS n FROM notes WHERE title = 'What to learn next'")).toEqual([{ n: 4 }])
    expect(summary.warnings.map((w) => w.message)).toEqual([
      'in 4 files (questions/dns/delegation.md, questions/dns/glue.md, questions/dns/negative.md, …): frontmatter fields not imported: level (its title and tags are used)'
    ])
  })

  it('does not follow a link out of the folder, and refuses a folder with no markdown in it', async () => {
    const { db } = tempDb()
    const root = repository()
    const outside = join(tempDir(), 'secret.md')
    writeFileSync(outside, '### What is the secret?\nIt stays outside.\n')
    symlinkSync(outside, join(root, 'Part 1', 'linked.md'))
    const summary = await runImport(db, root, { now: FIXED_NOW, mediaDir: join(tempDir(), 'media') })
    expect(summary.warnings.map((w) => w.message)).toContain(
      'Part 1/linked.md is a link to a place outside the imported folder; not imported'
    )
    expect(JSON.stringify(rows(db, 'SELECT back FROM cards'))).not.toContain('stays outside')
    const empty = join(tempDir(), 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'notes.txt'), 'text')
    await expect(runImport(db, empty, { now: FIXED_NOW })).rejects.toThrow(ContentError)
    await expect(runImport(db, empty, { now: FIXED_NOW })).rejects.toThrow(
      /no markdown files, and is not laid out like content/
    )
  })

  it('refuses more markdown files than one import reads, before reading any', async () => {
    const { db } = tempDb()
    const big = join(tempDir(), 'big')
    mkdirSync(big)
    for (let i = 0; i <= MAX_FOLDER_FILES; i++)
      writeFileSync(join(big, `q${i}.md`), `### Question ${i}?\nAnswer ${i}.\n`)
    await expect(runImport(db, big, { now: FIXED_NOW })).rejects.toThrow(
      `the folder holds ${MAX_FOLDER_FILES + 1} markdown files; import at most ${MAX_FOLDER_FILES} at a time`
    )
    expect(rows(db, 'SELECT id FROM cards')).toEqual([])
  })
})
