// Pasting an image into the card editor (issue 13): which clipboard item is taken, where the
// markdown goes, and the base64 that travels to storeImage.
import { describe, expect, it } from 'vitest'
import { clipboardImage, imageMarkdown, insertAt, pasteProblem, toBase64 } from './paste-image'
import { MAX_PASTED_IMAGE_BYTES } from '../../../shared/media'

const item = (kind: string, type: string, file: Blob | null = new Blob(['x'], { type })) => ({
  kind,
  type,
  getAsFile: () => file
})

describe('pasting an image into the editor', () => {
  it('takes the first file of a kept raster type and leaves text and SVG to paste as usual', () => {
    const png = new Blob(['png'], { type: 'image/png' })
    expect(clipboardImage([item('string', 'text/plain'), item('file', 'image/png', png)])).toEqual({
      type: 'image/png',
      file: png
    })
    expect(clipboardImage([item('string', 'text/html'), item('string', 'text/plain')])).toBeNull()
    expect(clipboardImage([item('file', 'image/svg+xml'), item('file', 'application/pdf')])).toBeNull()
    expect(clipboardImage([item('file', 'image/png', null)])).toBeNull()
  })

  it('puts the image on a line of its own at the caret, replacing the selection', () => {
    const md = imageMarkdown('/media/abc.png')
    expect(insertAt('', 0, 0, md)).toEqual({ text: md, caret: md.length })
    expect(insertAt('before after', 7, 7, md)).toEqual({ text: `before \n${md}\nafter`, caret: 8 + md.length })
    expect(insertAt('one\nSELECTED\ntwo', 4, 12, md)).toEqual({ text: `one\n${md}\ntwo`, caret: 4 + md.length })
  })

  it('refuses an image over the cap before sending it', () => {
    expect(pasteProblem(MAX_PASTED_IMAGE_BYTES)).toBeNull()
    expect(pasteProblem(MAX_PASTED_IMAGE_BYTES + 1)).toMatch(/images over 10 MB cannot be pasted/)
  })

  it('encodes megabytes as Node does, without overflowing the stack', () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => (i * 31) & 0xff)
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
  })
})
