// Pasting an image into a card's markdown: the clipboard's first image of a kept type is
// stored through the API (content-addressed, see src/main/app/pasted-images.ts) and a markdown
// image pointing at the app's own /media route goes in at the caret.
import { MAX_PASTED_IMAGE_BYTES, PASTED_IMAGE_TYPES, type PastedImageType } from '../../../shared/media'

/** The parts of a DataTransferItem this module reads. */
export interface ClipboardItem {
  kind: string
  type: string
  getAsFile(): Blob | null
}

export const isPastedImageType = (type: string): type is PastedImageType => Object.hasOwn(PASTED_IMAGE_TYPES, type)

/** The first image of a kept type on the clipboard, or null (text pastes as usual). */
export function clipboardImage(items: Iterable<ClipboardItem>): { type: PastedImageType; file: Blob } | null {
  for (const item of items) {
    if (item.kind !== 'file' || !isPastedImageType(item.type)) continue
    const file = item.getAsFile()
    if (file) return { type: item.type, file }
  }
  return null
}

/** Why an image cannot be pasted, or null when it can. */
export function pasteProblem(sizeBytes: number): string | null {
  return sizeBytes > MAX_PASTED_IMAGE_BYTES
    ? `The image is ${(sizeBytes / 1024 / 1024).toFixed(1)} MB; images over ${MAX_PASTED_IMAGE_BYTES / 1024 / 1024} MB cannot be pasted.`
    : null
}

/** `text` with `snippet` in place of the selection [start, end), and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, snippet: string): { text: string; caret: number } {
  const before = text.slice(0, start)
  const after = text.slice(end)
  // An image on a line of its own reads best in the source and renders as its own paragraph.
  const lead = before === '' || before.endsWith('\n') ? '' : '\n'
  const trail = after === '' || after.startsWith('\n') ? '' : '\n'
  const inserted = `${lead}${snippet}${trail}`
  return { text: before + inserted + after, caret: before.length + lead.length + snippet.length }
}

export const imageMarkdown = (url: string) => `![pasted image](${url})`

/** Base64 of bytes, in chunks (a spread of megabytes into fromCharCode would overflow the stack). */
export function toBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}
