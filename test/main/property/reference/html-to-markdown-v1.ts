// The html-to-markdown converter as it was before the linear-time tokenizer (commit 6ce3254),
// kept only so a property test can check the new one agrees with it on ordinary HTML.
// Anki fields are HTML. This turns the tags Anki's editor produces (b, i, u, br, div, p, span,
// ul/ol/li, code, pre, a, h1-h6, sub/sup, hr) into markdown, drops media, and decodes entities.
// Small on purpose: unknown tags keep their text, so nothing a card says is lost.

import { stepFence, type FenceState } from '../../../../src/shared/markdown-code'

export interface HtmlConversion {
  markdown: string
  /** `<img>`, `<audio>`, `<video>` and `[sound:...]` references that were dropped. */
  droppedMedia: number
}

interface Element {
  tag: string
  attrs: Map<string, string>
  children: Node[]
}
type Node = Element | string

const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'wbr', 'source', 'col', 'link'])
const MEDIA = new Set(['img', 'audio', 'video', 'object', 'embed'])
const SKIP = new Set(['script', 'style', 'head', 'title'])
/**
 * Marks "a line break here" for div-like blocks: a run of them is one line break, or a blank
 * line when the run also holds a real break (Anki writes an empty line as `<div><br></div>`).
 */
const LINE = '\u0001'
const TOKEN =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g
const NAMED: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  rarr: '\u2192',
  larr: '\u2190',
  times: '\u00d7',
  middot: '\u00b7',
  laquo: '\u00ab',
  raquo: '\u00bb',
  copy: '\u00a9',
  deg: '\u00b0'
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[name.toLowerCase()] ?? whole
  })
}

function parseHtml(html: string): Element {
  const root: Element = { tag: '#root', attrs: new Map(), children: [] }
  const stack: Element[] = [root]
  let last = 0
  for (const match of html.matchAll(TOKEN)) {
    const top = stack.at(-1)!
    if (match.index > last) top.children.push(html.slice(last, match.index))
    last = match.index + match[0].length
    const [, closing, rawTag, rawAttrs, selfClosing] = match
    if (!rawTag) continue // a comment
    const tag = rawTag.toLowerCase()
    if (closing) {
      const open = stack.map((e) => e.tag).lastIndexOf(tag)
      if (open > 0) stack.length = open
      continue
    }
    const attrs = new Map<string, string>()
    for (const a of (rawAttrs ?? '').matchAll(ATTR))
      attrs.set(a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''))
    const element: Element = { tag, attrs, children: [] }
    top.children.push(element)
    if (!VOID.has(tag) && !selfClosing) stack.push(element)
  }
  if (last < html.length) stack.at(-1)!.children.push(html.slice(last))
  return root
}

interface RenderState {
  dropped: number
  listDepth: number
}

function textContent(node: Node): string {
  return typeof node === 'string' ? decodeEntities(node) : node.children.map(textContent).join('')
}

/** Escapes characters that would otherwise turn plain text into markup. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([*`])/g, '\\$1')
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
}

function renderChildren(el: Element, state: RenderState): string {
  return el.children.map((child) => render(child, state)).join('')
}

function render(node: Node, state: RenderState): string {
  if (typeof node === 'string') {
    const text = decodeEntities(node.replace(/\s+/g, ' ')).replace(/\[sound:[^\]]*\]/g, () => {
      state.dropped++
      return ''
    })
    return escapeText(text)
  }
  const inner = () => renderChildren(node, state)
  const wrap = (mark: string) => {
    const content = inner()
    const trimmed = content.trim()
    if (!trimmed) return content
    const lead = content.slice(0, content.length - content.trimStart().length)
    const trail = content.slice(content.trimEnd().length)
    return `${lead}${mark}${trimmed}${mark}${trail}`
  }
  if (MEDIA.has(node.tag)) {
    state.dropped++
    return ''
  }
  if (SKIP.has(node.tag)) return ''
  switch (node.tag) {
    case 'br':
      return '\n'
    case 'hr':
      return '\n\n---\n\n'
    case 'b':
    case 'strong':
      return wrap('**')
    case 'i':
    case 'em':
      return wrap('*')
    case 'code':
    case 'kbd':
    case 'tt': {
      const code = textContent(node)
      const fence = code.includes('`') ? '`` ' : '`'
      return code ? `${fence}${code}${fence === '`' ? '`' : ' ``'}` : ''
    }
    case 'pre': {
      const code = textContent(node).replace(/^\n/, '').replace(/\s+$/, '')
      return `\n\n\`\`\`\n${code}\n\`\`\`\n\n`
    }
    case 'a': {
      const text = inner().trim()
      const href = node.attrs.get('href')
      return href && text ? `[${text}](${href})` : text
    }
    case 'p':
      return `\n\n${inner()}\n\n`
    case 'div':
    case 'tr':
      return `${LINE}${inner()}${LINE}`
    case 'td':
    case 'th':
      return ` ${inner()} |`
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return `\n\n${'#'.repeat(Number(node.tag[1]))} ${inner().trim()}\n\n`
    case 'ul':
    case 'ol': {
      state.listDepth++
      let n = 0
      const items = node.children
        .filter((c): c is Element => typeof c !== 'string' && c.tag === 'li')
        .map((li) => {
          n++
          const marker = node.tag === 'ol' ? `${n}. ` : '- '
          const body = renderChildren(li, state)
            .trim()
            .replace(/\n{2,}/g, '\n')
            .replace(/\n/g, '\n   ')
          // A nested list is indented by its parent item's continuation lines.
          return `${marker}${body}`
        })
      state.listDepth--
      return `\n\n${items.join('\n')}\n\n`
    }
    default:
      return inner()
  }
}

export function htmlToMarkdown(html: string): HtmlConversion {
  const state: RenderState = { dropped: 0, listDepth: 0 }
  const raw = render(parseHtml(html), state)
  let fence: FenceState | null = null
  const markdown = raw
    .replace(/[\n\u0001]*\u0001[\n\u0001]*/g, (run) => ((run.match(/\n/g)?.length ?? 0) >= 1 ? '\n\n' : '\n'))
    .split('\n')
    .map((line) => {
      const inFence = fence !== null
      fence = stepFence(line, fence)
      if (inFence || fence !== null) return line
      return line
        .replace(/[ \t]+$/, '')
        .replace(/^ (?=\S)/, '')
        .replace(/(\S) {2,}/g, '$1 ')
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return { markdown, droppedMedia: state.dropped }
}
