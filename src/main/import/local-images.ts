// Images that imported markdown shows from files beside it (`![alt](img/tcp.png)`, or an HTML
// `<img src="...">`, which the renderer would show as text) are stored content-addressed and
// the text points at /media/<sha256>.<ext>. A path is resolved inside the imported file's
// folder only, as a folder import reads (content/confined-read.ts): no absolute paths, nothing
// that resolves (through `..` or links) outside the folder, regular files only, each under
// MAX_IMAGE_BYTES and all of them under MAX_IMAGES_BYTES. Remote images become
// links (never fetched) and are reported; an image that cannot be taken is reported with
// its line and stays in the text as a visible `[image: alt](path)`.
import { hash as digestOf } from 'node:crypto'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { confinedFolder, type ConfinedFolder } from '../content/confined-read'
import { maskCode } from '../../shared/markdown-code'
import { MEDIA_PATH, mediaExtension, mediaPath } from '../../shared/media'
import type { ImportPlan, ImportWarning, PlannedMedia } from './types'

/** Largest image taken from beside a markdown file (bytes). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** All images of one import together (bytes). */
export const MAX_IMAGES_BYTES = 50 * 1024 * 1024

/** `![alt](dest "title")`: dest in angle brackets or without spaces. */
const MARKDOWN_IMAGE = /!\[([^\]\n]*)\]\(\s*(?:<([^>\n]*)>|([^\s()]+))(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g
/** An HTML img tag with a quoted or bare src. */
const HTML_IMAGE = /<img\b[^<>]*?\ssrc\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>]+))[^<>]*>/gi
const HTML_ALT = /\salt\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)')/i

type Resolved = { url: string } | { problem: string }

/** Reads images for one import: each path once, within the caps. */
class ImageReader {
  readonly media = new Map<string, PlannedMedia>()
  readonly remote = new Set<string>()
  private readonly byPath = new Map<string, Resolved>()
  private readonly folder: ConfinedFolder

  constructor(private readonly root: string) {
    this.folder = confinedFolder(root, { maxFileBytes: MAX_IMAGE_BYTES, maxTotalBytes: MAX_IMAGES_BYTES })
  }

  resolve(dest: string): Resolved {
    const path = dest.replace(/[?#].*$/, '')
    let decoded: string
    try {
      decoded = decodeURIComponent(path)
    } catch {
      decoded = path
    }
    if (decoded.includes('\0') || isAbsolute(decoded) || /^[A-Za-z]:/.test(decoded))
      return { problem: 'an absolute path; only files inside the imported folder are taken' }
    const full = resolve(this.root, decoded)
    const cached = this.byPath.get(full)
    if (cached) return cached
    const result = this.read(full)
    this.byPath.set(full, result)
    return result
  }

  private read(full: string): Resolved {
    const inside = relative(this.root, full)
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      return { problem: 'outside the imported folder; not taken' }
    const ext = mediaExtension(full)
    if (!ext) return { problem: 'not an image type that is kept (png, jpg, gif, webp, avif, bmp, svg)' }
    const found = this.folder.read(full)
    if ('skipped' in found)
      return { problem: found.skipped.includes('ENOENT') ? 'not found beside the imported file' : found.skipped }
    const sha256 = digestOf('sha256', found.bytes, 'hex')
    if (!this.media.has(`${sha256}.${ext}`)) this.media.set(`${sha256}.${ext}`, { sha256, ext, bytes: found.bytes })
    return { url: mediaPath(sha256, ext) }
  }
}

/** Markdown's image and link text may not hold brackets or line breaks. */
const cleanAlt = (text: string) =>
  text
    .replace(/[[\]\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()

/** A link destination may not hold spaces or unbalanced parentheses: percent-encode them. */
const linkDestination = (url: string) =>
  url.replace(/[()\s<>]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)

/** One text with its images taken; problems are reported at `line`. */
function rewrite(text: string, reader: ImageReader, report: (dest: string, problem: string) => void): string {
  if (!text.includes('![') && !/<img\b/i.test(text)) return text
  const masked = maskCode(text)
  const edits: { from: number; to: number; text: string }[] = []
  const take = (from: number, to: number, altText: string, rawDest: string) => {
    const dest = rawDest.trim()
    const alt = cleanAlt(altText)
    if (MEDIA_PATH.test(dest)) {
      edits.push({ from, to, text: `![${alt}](${dest})` })
      return
    }
    if (/^https?:\/\//i.test(dest)) {
      reader.remote.add(dest)
      edits.push({ from, to, text: `[image${alt ? `: ${alt}` : ''}](${linkDestination(dest)})` })
      return
    }
    const result = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(dest)
      ? { problem: 'not a file path (only files beside the imported file are taken)' }
      : reader.resolve(dest)
    if ('url' in result) {
      edits.push({ from, to, text: `![${alt}](${result.url})` })
      return
    }
    report(dest, result.problem)
    edits.push({ from, to, text: `[image${alt ? `: ${alt}` : ''}](${linkDestination(dest)})` })
  }
  for (const m of masked.matchAll(MARKDOWN_IMAGE)) {
    const original = text.slice(m.index, m.index + m[0].length)
    const again = new RegExp(MARKDOWN_IMAGE.source).exec(original)!
    take(m.index, m.index + m[0].length, again[1] ?? '', again[2] ?? again[3] ?? '')
  }
  for (const m of masked.matchAll(HTML_IMAGE)) {
    if (edits.some((e) => m.index < e.to && m.index + m[0].length > e.from)) continue
    const original = text.slice(m.index, m.index + m[0].length)
    const again = new RegExp(HTML_IMAGE.source, 'i').exec(original)!
    const alt = HTML_ALT.exec(original)
    take(m.index, m.index + m[0].length, alt?.[1] ?? alt?.[2] ?? '', again[1] ?? again[2] ?? again[3] ?? '')
  }
  edits.sort((a, b) => a.from - b.from)
  let out = ''
  let at = 0
  for (const edit of edits) {
    out += text.slice(at, edit.from) + edit.text
    at = edit.to
  }
  return out + text.slice(at)
}

/**
 * Takes the images a text import's cards, notes and quiz items show from files in `folder`
 * (the imported file's own folder) into the plan's media, and reports what it could not take.
 */
export function attachLocalImages(plan: ImportPlan, folder: string): void {
  const reader = new ImageReader(resolve(folder))
  const warnings: ImportWarning[] = []
  // A guide's question is both a note and a card: each problem is reported once per place.
  const reported = new Set<string>()
  const at = (line: number, endLine?: number) => (dest: string, problem: string) => {
    const message = `image ${dest}: ${problem}`
    if (reported.has(`${line}\n${message}`)) return
    reported.add(`${line}\n${message}`)
    warnings.push({ line, ...(endLine ? { endLine } : {}), message })
  }
  for (const card of plan.cards) {
    const report = at(card.line, card.endLine)
    card.front = rewrite(card.front, reader, report)
    card.back = rewrite(card.back, reader, report)
  }
  for (const note of plan.notes) note.body = rewrite(note.body, reader, at(note.line, note.endLine))
  for (const item of plan.quizItems) {
    const report = at(item.line)
    item.prompt = rewrite(item.prompt, reader, report)
    item.explanation = rewrite(item.explanation, reader, report)
  }
  if (reader.media.size > 0) plan.media = [...(plan.media ?? []), ...reader.media.values()]
  if (reader.remote.size > 0) {
    const list = [...reader.remote].slice(0, 5).join(', ')
    warnings.push({
      line: 1,
      message: `${reader.remote.size} remote image${reader.remote.size === 1 ? '' : 's'} kept as links, not loaded: ${list}${reader.remote.size > 5 ? ', …' : ''}`
    })
  }
  plan.warnings.push(...warnings)
}
