// Images beside imported markdown (issue 13): relative paths are taken from the imported
// file's folder and stored content-addressed; nothing outside the folder, no links out, no
// FIFOs, nothing over the cap; remote images stay links and are reported; code is left alone.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { MAX_IMAGE_BYTES } from '../../../src/main/import/local-images'
import { tempDb } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, rows } from './helpers'

/** A 1x1 PNG (a real file: signature, IHDR, IDAT, IEND). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64')
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const GUIDE = [
  '# Images',
  '',
  '### 1. What does the handshake look like?',
  '',
  '![handshake](img/handshake.png) and again ![same](./img/handshake.png "title")',
  '',
  '### 2. And a GIF in HTML?',
  '',
  '<img src="dot%20one.gif" alt="a dot"> then a remote ![pixel](https://example.invalid/p.png)',
  '',
  '### 3. What is left alone?',
  '',
  'Code: `![x](img/handshake.png)`',
  '',
  '```',
  '![x](img/missing-in-code.png)',
  '```',
  '',
  '### 4. What is refused?',
  '',
  '![up](../outside.png) ![abs](/etc/passwd.png) ![link](img/escape.png) ![fifo](img/pipe.png)',
  '![big](img/big.png) ![gone](img/none.png) ![text](notes.txt) ![data](data:image/png;base64,AAAA)',
  ''
].join('\n')

function folderWithImages(): { dir: string; file: string } {
  const parent = tempDir('retransmit-images-')
  writeFileSync(join(parent, 'outside.png'), PNG)
  const dir = join(parent, 'guide')
  mkdirSync(join(dir, 'img'), { recursive: true })
  writeFileSync(join(dir, 'img', 'handshake.png'), PNG)
  writeFileSync(join(dir, 'dot one.gif'), GIF)
  writeFileSync(join(dir, 'notes.txt'), 'not an image')
  symlinkSync(join(parent, 'outside.png'), join(dir, 'img', 'escape.png'))
  execFileSync('mkfifo', [join(dir, 'img', 'pipe.png')])
  writeFileSync(join(dir, 'img', 'big.png'), Buffer.alloc(MAX_IMAGE_BYTES + 1))
  const file = join(dir, 'guide.md')
  writeFileSync(file, GUIDE)
  return { dir, file }
}

describe('images beside imported markdown', () => {
  it('stores each image once under its SHA-256, points the card at it and reports what it could not take', async () => {
    const { file } = folderWithImages()
    const { db } = tempDb()
    const mediaDir = join(tempDir('retransmit-media-'), 'media')
    const summary = await runImport(db, file, { now: FIXED_NOW, mediaDir })
    expect(summary.media).toBe(2)
    const png = `/media/${sha(PNG)}.png`
    const gif = `/media/${sha(GIF)}.gif`
    expect(readFileSync(join(mediaDir, `${sha(PNG)}.png`))).toEqual(PNG)
    expect(readFileSync(join(mediaDir, `${sha(GIF)}.gif`))).toEqual(GIF)

    const backs = rows(db, 'SELECT back FROM cards ORDER BY position').map((r) => r.back as string)
    expect(backs[0]).toBe(`![handshake](${png}) and again ![same](${png})`)
    expect(backs[1]).toBe(`![a dot](${gif}) then a remote [image: pixel](https://example.invalid/p.png)`)
    // Code spans and fences keep what they show.
    expect(backs[2]).toContain('`![x](img/handshake.png)`')
    expect(backs[2]).toContain('![x](img/missing-in-code.png)')
    // Refused images stay visible as text naming the path; none of them was stored.
    expect(backs[3]).toContain('[image: up](../outside.png)')
    expect(backs[3]).toContain('[image: link](img/escape.png)')
    expect(count(db, 'cards')).toBe(4)

    const messages = summary.warnings.map((w) => `${w.line}: ${w.message}`)
    // Reported at the question's line (19), once although the question is a note and a card.
    const refused = summary.warnings.filter((w) => w.line === 19)
    expect(refused.map((w) => w.message)).toEqual([
      'image ../outside.png: outside the imported folder; not taken',
      'image /etc/passwd.png: an absolute path; only files inside the imported folder are taken',
      'image img/escape.png: is a link to a place outside the imported folder',
      'image img/pipe.png: is not a regular file (a pipe, socket or device)',
      `image img/big.png: is 10.0 MB; files over 10 MB are not read`,
      'image img/none.png: not found beside the imported file',
      'image notes.txt: not an image type that is kept (png, jpg, gif, webp, avif, bmp, svg)',
      'image data:image/png;base64,AAAA: not a file path (only files beside the imported file are taken)'
    ])
    expect(messages).toContain('1: 1 remote image kept as links, not loaded: https://example.invalid/p.png')
  })

  it('previews the same without writing a media file', async () => {
    const { file } = folderWithImages()
    const { db } = tempDb()
    const mediaDir = join(tempDir('retransmit-media-'), 'media')
    const preview = await previewImport(db, file, { now: FIXED_NOW, mediaDir })
    expect(preview.media).toBe(2)
    expect(() => readFileSync(join(mediaDir, `${sha(PNG)}.png`))).toThrow(/ENOENT/)
    expect(count(db, 'cards')).toBe(0)
  })
})
