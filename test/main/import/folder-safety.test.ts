// A folder import reads only what is inside the folder: links out of it, FIFOs and devices
// are skipped with a warning naming them; files over the per-file cap are skipped; a FIFO or
// a device given directly is refused. Nothing hangs on a FIFO, nothing reads /dev/zero.
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { confinedFolder } from '../../../src/main/content/confined-read'
import { loadContentTree } from '../../../src/main/content/load'
import { runImport } from '../../../src/main/import'
import { ValidationError } from '../../../src/shared/errors'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count } from './helpers'

const topic = (id: string, question: string) =>
  `---\nid: ${id}\ntitle: ${question}\n---\n\n# ${question}\n\n::: card ${id}-card\n${question}\n---\nAn answer.\n:::\n`

function hostileFolder(): string {
  const root = tempDir('retransmit-folder-')
  const outside = tempDir('retransmit-outside-')
  writeFileSync(join(outside, 'secret.md'), topic('secret', 'Secret?'))
  mkdirSync(join(outside, 'deck'))
  writeFileSync(join(outside, 'deck', 'deck.md'), '---\ntitle: Outside\n---\n')
  const deck = join(root, 'decks', 'net')
  mkdirSync(deck, { recursive: true })
  writeFileSync(join(deck, 'deck.md'), '---\ntitle: Net\n---\n')
  writeFileSync(join(deck, 'one.md'), topic('one', 'One?'))
  mkdirSync(join(root, 'shared'))
  writeFileSync(join(root, 'shared', 'two.md'), topic('two', 'Two?'))
  symlinkSync(join(root, 'shared', 'two.md'), join(deck, 'two.md')) // a link inside the folder is fine
  symlinkSync(join(outside, 'secret.md'), join(deck, 'secret.md'))
  symlinkSync('/dev/zero', join(deck, 'zero.md'))
  execFileSync('mkfifo', [join(deck, 'pipe.md')])
  symlinkSync(join(outside, 'deck'), join(root, 'decks', 'outside'))
  return root
}

describe('reading a folder to import', () => {
  it('skips links out of the folder, FIFOs and devices with warnings that name them, and imports the rest', async () => {
    const root = hostileFolder()
    const { db } = tempDb()
    const summary = await runImport(db, root, { now: FIXED_NOW })
    const messages = summary.warnings.map((w) => w.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/decks\/net\/secret\.md is a link to a place outside the imported folder; skipped/),
        expect.stringMatching(/decks\/net\/zero\.md is a link to a place outside/),
        expect.stringMatching(/decks\/net\/pipe\.md is not a regular file/),
        expect.stringMatching(/decks\/outside is a link to a place outside/)
      ])
    )
    expect(count(db, 'decks')).toBe(1)
    expect(
      (db.prepare('SELECT front FROM cards ORDER BY front').all() as { front: string }[]).map((c) => c.front)
    ).toEqual(['One?', 'Two?'])
    expect((db.prepare("SELECT count(*) AS n FROM cards WHERE front LIKE '%Secret%'").get() as { n: number }).n).toBe(0)
  })

  it('caps each file and the whole walk', () => {
    const root = tempDir('retransmit-folder-')
    writeFileSync(join(root, 'a.md'), 'x'.repeat(600))
    writeFileSync(join(root, 'b.md'), 'x'.repeat(300))
    writeFileSync(join(root, 'c.md'), 'x'.repeat(300))
    const folder = confinedFolder(root, { maxFileBytes: 500, maxTotalBytes: 500 })
    expect(folder.read(join(root, 'a.md'))).toEqual({ skipped: expect.stringMatching(/files over .* are not read/) })
    expect('bytes' in folder.read(join(root, 'b.md'))).toBe(true)
    expect(folder.read(join(root, 'c.md'))).toEqual({ skipped: expect.stringMatching(/past .* read in all/) })
  })

  it('keeps the shipped-library walk confined too, without failing the rest', () => {
    const root = hostileFolder()
    const tree = loadContentTree(root, { drills: false })
    expect(tree.cards.map((c) => c.front)).not.toContain('Secret?')
    expect(tree.failedFiles.has('decks/net/pipe.md')).toBe(true)
  })

  it.each([
    [
      'a FIFO',
      () => {
        const fifo = join(tempDir(), 'cards.csv')
        execFileSync('mkfifo', [fifo])
        return fifo
      }
    ],
    ['/dev/zero', () => '/dev/zero']
  ])('refuses %s given directly, without reading it', async (_what, path) => {
    const { db } = tempDb()
    await expect(runImport(db, path(), { now: FIXED_NOW })).rejects.toBeInstanceOf(ValidationError)
    await expect(runImport(db, path(), { now: FIXED_NOW })).rejects.toThrow(/not a regular file/)
  })
})
