// Image occlusion notes from Anki, as cards the app can study: the picture with the asked
// region covered on the question, uncovered on the answer (shared/occlusion.ts draws them).
//
// Two kinds exist in real decks:
// - Anki's own (23.10 and later): a cloze note type whose cloze field holds the shapes as
//   `{{c2::image-occlusion:rect:left=.31:top=.22:width=.1:height=.05:oi=1}}`, with the
//   picture in another field. Anki draws the masks on a canvas with script; here each card
//   gets two small SVG masks built from the shapes (its own shapes filled on the question and
//   outlined on the answer; the other cards' shapes covered when their `oi` is 1).
// - The Image Occlusion Enhanced add-on: fields "Image", "Question Mask" and "Answer Mask",
//   the masks being SVG files in the package; they are used as they are.
import type { CardSides } from './card-sides'
import type { AnkiNoteType } from './collection'
import { occlusionFence } from '../../../shared/occlusion'
import { decodeEntities } from '../html-to-markdown'
import { lazyModule } from '../../lazy-module'

const images = lazyModule<typeof import('image-size')>('image-size')

export type OcclusionKind = 'anki' | 'addon'

/** What building occlusion sides needs from the package being read. */
export interface OcclusionMedia {
  /** The bytes of an image the package stored, by its served path. */
  bytes(path: string): Uint8Array | undefined
  /** Stores a generated SVG; returns the path it is served at. */
  storeSvg(svg: string): string
}

const SHAPE_IN_CLOZE = /\{\{c(\d+)::image-occlusion:([^}]*)\}\}/g
const ADDON_FIELDS = ['Image', 'Question Mask', 'Answer Mask']
/** The add-on's bookkeeping fields: an id and the all-masks SVG its editor reopens. Not shown. */
const ADDON_HIDDEN = ['ID (hidden)', 'Original Mask']
const MEDIA_IN_MARKDOWN = /\]\((\/media\/[0-9a-f]{64}\.[a-z0-9]+)\)/

/** Which kind of occlusion note this is, if any (from the type, and the raw HTML of its fields). */
export function occlusionKind(type: AnkiNoteType | undefined, rawFields: readonly string[]): OcclusionKind | null {
  if (!type) return null
  if (type.cloze && rawFields.some((field) => field.includes('image-occlusion:'))) return 'anki'
  if (ADDON_FIELDS.every((name) => type.fields.includes(name))) return 'addon'
  return null
}

interface Field {
  name: string
  markdown: string
}

function labelled(fields: Field[]): string {
  const shown = fields.filter((f) => f.markdown.trim().length > 0)
  return shown.map((f) => (shown.length === 1 ? f.markdown : `**${f.name}**\n\n${f.markdown}`)).join('\n\n')
}

const joined = (...parts: string[]): string => parts.filter((p) => p.length > 0).join('\n\n')

function mediaPathIn(markdown: string | undefined): string | null {
  return markdown?.match(MEDIA_IN_MARKDOWN)?.[1] ?? null
}

/**
 * Front and back of card `ord` of an occlusion note, or the reason it cannot be shown (the
 * caller then warns and skips it). `markdown` holds the fields converted, `raw` their HTML.
 */
export function occlusionSides(
  kind: OcclusionKind,
  type: AnkiNoteType,
  markdown: readonly string[],
  raw: readonly string[],
  ord: number,
  media: OcclusionMedia
): CardSides | { problem: string } {
  const fields: Field[] = type.fields.map((name, i) => ({ name, markdown: markdown[i] ?? '' }))
  const byName = new Map(fields.map((f) => [f.name, f]))
  if (kind === 'addon') {
    const image = mediaPathIn(byName.get('Image')?.markdown)
    const question = mediaPathIn(byName.get('Question Mask')?.markdown)
    const answer = mediaPathIn(byName.get('Answer Mask')?.markdown)
    if (!image || !question || !answer) return { problem: 'its image or one of its masks is missing from the package' }
    const front = ['Header', 'Footer'].map((n) => byName.get(n)?.markdown ?? '')
    const rest = fields.filter((f) => ![...ADDON_FIELDS, ...ADDON_HIDDEN, 'Header', 'Footer'].includes(f.name))
    return {
      front: joined(front[0]!, occlusionFence({ image, mask: question }), front[1]!),
      back: joined(occlusionFence({ image, mask: answer }), labelled(rest))
    }
  }
  const shapeField = raw.findIndex((field) => field.includes('image-occlusion:'))
  const imageField = fields.findIndex((f, i) => i !== shapeField && mediaPathIn(f.markdown) !== null)
  const image = imageField >= 0 ? mediaPathIn(fields[imageField]!.markdown) : null
  const bytes = image ? media.bytes(image) : undefined
  if (!image || !bytes) return { problem: 'its image is missing from the package' }
  let size: { width: number; height: number }
  try {
    const measured = images().imageSize(bytes)
    size = { width: measured.width, height: measured.height }
  } catch {
    return { problem: 'its image cannot be read (unknown format or damaged)' }
  }
  const shapes = parseShapes(raw[shapeField]!)
  const ordinal = ord + 1
  // A label (text) is drawn on every card but asks nothing: a card needs a shape of its own.
  if (!shapes.some((s) => s.ordinal === ordinal && s.kind !== 'text'))
    return { problem: `it has no shape to ask on card ${ordinal}` }
  // Every field but the shapes and the picture: the ones the question template shows go above
  // the picture (Anki's Header), the others below the answer (Back Extra, Comments).
  const template = type.templates[0]?.qfmt ?? ''
  const others = fields.filter((_, i) => i !== shapeField && i !== imageField)
  const onFront = others.filter((f) => template.includes(`{{${f.name}}}`))
  const onBack = others.filter((f) => !onFront.includes(f))
  return {
    front: joined(
      labelled(onFront),
      occlusionFence({ image, mask: media.storeSvg(maskSvg(shapes, ordinal, size, 'front')) })
    ),
    back: joined(
      occlusionFence({ image, mask: media.storeSvg(maskSvg(shapes, ordinal, size, 'back')) }),
      labelled(onBack)
    )
  }
}

export interface Shape {
  ordinal: number
  kind: 'rect' | 'ellipse' | 'polygon' | 'text'
  props: Map<string, string>
}

/** The shapes of an occlusion field's clozes, in order. Unknown shape kinds are left out. */
export function parseShapes(html: string): Shape[] {
  const out: Shape[] = []
  for (const match of html.matchAll(SHAPE_IN_CLOZE)) {
    const [kind, ...pairs] = match[2]!.split(':')
    if (kind !== 'rect' && kind !== 'ellipse' && kind !== 'polygon' && kind !== 'text') continue
    const props = new Map<string, string>()
    // A text shape's words may hold a colon: a piece without `=` belongs to the value before it.
    let last = ''
    for (const pair of pairs) {
      const at = pair.indexOf('=')
      if (at > 0) {
        last = pair.slice(0, at)
        props.set(last, pair.slice(at + 1))
      } else if (last) props.set(last, `${props.get(last)}:${pair}`)
    }
    out.push({ ordinal: Number(match[1]), kind, props })
  }
  return out
}

/** Anki's colours: the asked shape, the others, and the outlines. */
const ASKED_FILL = '#ff8e8e'
const OTHER_FILL = '#ffeba2'
const OUTLINE = '#212121'

/**
 * One side's mask as SVG, in the image's pixels. Coordinates up to 1 are fractions of the
 * image (Anki since 23.12); larger ones are pixels (23.10).
 */
export function maskSvg(
  shapes: readonly Shape[],
  ordinal: number,
  size: { width: number; height: number },
  side: 'front' | 'back'
): string {
  const geometric = shapes.flatMap((s) =>
    ['left', 'top', 'width', 'height', 'rx', 'ry'].map((k) => Number(s.props.get(k) ?? 0))
  )
  const fractions = geometric.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)
  const x = (v: string | undefined) => num(v) * (fractions ? size.width : 1)
  const y = (v: string | undefined) => num(v) * (fractions ? size.height : 1)
  const stroke = Math.max(1, Math.round(Math.min(size.width, size.height) / 300))
  const drawn: string[] = []
  for (const shape of shapes) {
    const asked = shape.ordinal === ordinal
    if (shape.kind !== 'text' && !asked && shape.props.get('oi') !== '1') continue
    const fill = asked ? (side === 'front' ? ASKED_FILL : 'none') : OTHER_FILL
    const paint = `fill="${fill}" stroke="${OUTLINE}" stroke-width="${stroke}"`
    const left = x(shape.props.get('left'))
    const top = y(shape.props.get('top'))
    const angle = num(shape.props.get('angle'))
    const turn = angle ? ` transform="rotate(${fmt(angle)} ${fmt(left)} ${fmt(top)})"` : ''
    if (shape.kind === 'rect') {
      drawn.push(
        `<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(x(shape.props.get('width')))}" height="${fmt(y(shape.props.get('height')))}" ${paint}${turn}/>`
      )
    } else if (shape.kind === 'ellipse') {
      const rx = x(shape.props.get('rx'))
      const ry = y(shape.props.get('ry'))
      drawn.push(
        `<ellipse cx="${fmt(left + rx)}" cy="${fmt(top + ry)}" rx="${fmt(rx)}" ry="${fmt(ry)}" ${paint}${turn}/>`
      )
    } else if (shape.kind === 'polygon') {
      const points = (shape.props.get('points') ?? '')
        .trim()
        .split(/\s+/)
        .map((p) => p.split(',').map(Number) as [number, number])
        .filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py))
        .map(([px, py]) => [fractions ? px * size.width : px, fractions ? py * size.height : py] as const)
      if (points.length < 3) continue
      // Anki places a polygon by its bounding box's corner (left, top), whatever its points say.
      const dx = left - Math.min(...points.map((p) => p[0]))
      const dy = top - Math.min(...points.map((p) => p[1]))
      const list = points.map(([px, py]) => `${fmt(px + dx)},${fmt(py + dy)}`).join(' ')
      drawn.push(`<polygon points="${list}" ${paint}${turn}/>`)
    } else {
      // A label on the picture, shown on both sides of every card.
      const text = decodeEntities(shape.props.get('text') ?? '')
      const fontSize = Math.max(
        10,
        num(shape.props.get('fs')) * (num(shape.props.get('scale')) || 1) || size.height / 25
      )
      drawn.push(
        `<text x="${fmt(left)}" y="${fmt(top + fontSize)}" font-size="${fmt(fontSize)}" font-family="sans-serif" fill="#000" stroke="#fff" stroke-width="${fmt(fontSize / 8)}" paint-order="stroke"${turn}>${escapeXml(text)}</text>`
      )
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">` +
    drawn.join('') +
    '</svg>'
  )
}

function num(value: string | undefined): number {
  const n = Number(value)
  return Number.isFinite(n) ? n : 0
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100)

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!)

/**
 * An SVG with a width and height but no viewBox does not scale: laid over a picture shown
 * smaller than its pixels (the add-on's masks), it would be cut off. Adds the viewBox.
 */
export function withViewBox(svg: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(svg)
  const root = text.match(/<svg\b[^>]*>/i)
  if (!root || /\bviewBox\s*=/i.test(root[0])) return svg
  const width = root[0].match(/\swidth\s*=\s*["']?\s*([\d.]+)\s*(?:px)?\s*["'\s/>]/i)?.[1]
  const height = root[0].match(/\sheight\s*=\s*["']?\s*([\d.]+)\s*(?:px)?\s*["'\s/>]/i)?.[1]
  if (!width || !height) return svg
  const opened = root[0].replace(/^<svg\b/i, `<svg viewBox="0 0 ${width} ${height}"`)
  return new TextEncoder().encode(text.slice(0, root.index) + opened + text.slice(root.index! + root[0].length))
}
