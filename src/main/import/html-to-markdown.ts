// Anki fields are HTML. This turns the tags Anki's editor produces (b, i, u, br, div, p, span,
// ul/ol/li, code, pre, a, h1-h6, sub/sup, hr, tables) into markdown and decodes entities.
// Images the package carries become markdown images (the caller maps a file name to its stored
// URL); remote images stay as links, never loaded; sounds and videos are counted as dropped.
// Small on purpose: unknown tags keep their text, so nothing a card says is lost.
// MathJax (`\(...\)`, `\[...\]`, and the older `[$]...[/$]`, `[$$]...[/$$]`) becomes the
// renderer's math (typeset with KaTeX); a `$` in a field's text is escaped, since Anki shows it.

import { stepFence, type FenceState } from '../../shared/markdown-code'

export interface HtmlConversion {
  markdown: string
  /** `<img>`, `<audio>`, `<video>` and `[sound:...]` references that were dropped. */
  droppedMedia: number
  /** http(s) image addresses kept as links (never fetched). */
  remoteImages: string[]
}

export interface HtmlOptions {
  /** The URL a packaged media file is served at, or null when it is not available. */
  mediaUrl?: (name: string) => string | null
}

/** File names of the local images a field shows (`<img src="name">`), decoded. */
export function localImageNames(html: string): string[] {
  const names: string[] = []
  for (const match of html.matchAll(/<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))/gi)) {
    const src = decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim()
    if (src && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('//')) names.push(safeDecode(src))
  }
  return names
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
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
/**
 * One tag, tried only where a `<` is (sticky). Attribute names and unquoted values stop at
 * `<`: with `<` allowed, a field of unclosed tags (`<a b<a b<a b…`) made every `<` scan to the
 * end of the field, quadratic time (100 KB took 10 s).
 */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*(\/?)>/y
/** Deepest element nesting kept; deeper tags keep their text in the element at this depth. */
const MAX_DEPTH = 100
const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+)))?/g
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

interface Token {
  index: number
  length: number
  /** Null for a comment. */
  tag: RegExpExecArray | null
}

/** Comments and tags in order, in linear time (a hand-run scan; see TAG). */
function* tokens(html: string): Generator<Token> {
  // A comment needs a `-->` after its `<!--`: past the last one, no `<!--` can close.
  const lastClose = html.lastIndexOf('-->')
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    if (html.startsWith('<!--', at) && at + 4 <= lastClose) {
      const end = html.indexOf('-->', at + 4)
      yield { index: at, length: end + 3 - at, tag: null }
      at = end + 2
      continue
    }
    TAG.lastIndex = at
    const match = TAG.exec(html)
    if (!match) continue
    yield { index: at, length: match[0].length, tag: match }
    at += match[0].length - 1
  }
}

function parseHtml(html: string): Element {
  const root: Element = { tag: '#root', attrs: new Map(), children: [] }
  const stack: Element[] = [root]
  // How many of each tag are open, so a stray closing tag does not search the whole stack.
  const open = new Map<string, number>()
  let last = 0
  for (const token of tokens(html)) {
    const top = stack.at(-1)!
    if (token.index > last) top.children.push(html.slice(last, token.index))
    last = token.index + token.length
    if (!token.tag) continue // a comment
    const [, closing, rawTag, rawAttrs, selfClosing] = token.tag
    const tag = rawTag!.toLowerCase()
    if (closing) {
      if (!open.get(tag)) continue
      while (stack.length > 1) {
        const popped = stack.pop()!
        open.set(popped.tag, open.get(popped.tag)! - 1)
        if (popped.tag === tag) break
      }
      continue
    }
    const attrs = new Map<string, string>()
    for (const a of (rawAttrs ?? '').matchAll(ATTR))
      attrs.set(a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''))
    const element: Element = { tag, attrs, children: [] }
    top.children.push(element)
    // Past MAX_DEPTH an element stays empty and its content goes to its parent, so rendering
    // (recursive) cannot overflow the stack on `<b><b><b>…`.
    if (!VOID.has(tag) && !selfClosing && stack.length <= MAX_DEPTH) {
      stack.push(element)
      open.set(tag, (open.get(tag) ?? 0) + 1)
    }
  }
  if (last < html.length) stack.at(-1)!.children.push(html.slice(last))
  return root
}

interface RenderState {
  dropped: number
  listDepth: number
  remote: string[]
  options: HtmlOptions
}

function textContent(node: Node): string {
  return typeof node === 'string' ? decodeEntities(node) : node.children.map(textContent).join('')
}

/** Escapes characters that would otherwise turn plain text into markup. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([*`$])/g, '\\$1')
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
  if (node.tag === 'img') return renderImage(node, state)
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
      // trimEnd, not .replace(/\s+$/, ''): that retries from every space of a long run (quadratic).
      const code = textContent(node).replace(/^\n/, '').trimEnd()
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
    case 'table':
      return renderTable(node, state)
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

/** `line` without trailing spaces and tabs; a loop, because /[ \t]+$/ is quadratic on a long run. */
function trimSpacesEnd(line: string): string {
  let end = line.length
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--
  return line.slice(0, end)
}

/** Markdown's image and link text may not hold `[` `]` or line breaks. */
const altText = (text: string) =>
  text
    .replace(/[[\]\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()

function renderImage(node: Element, state: RenderState): string {
  const src = (node.attrs.get('src') ?? '').trim()
  const alt = altText(node.attrs.get('alt') ?? node.attrs.get('title') ?? '')
  if (/^https?:\/\//i.test(src)) {
    state.remote.push(src)
    // A link destination may not hold spaces or unbalanced parentheses: percent-encode them.
    const href = src.replace(/[()\s]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    return `[image${alt ? `: ${alt}` : ''}](${href})`
  }
  const url = src && !/^[a-z][a-z0-9+.-]*:/i.test(src) ? state.options.mediaUrl?.(safeDecode(src)) : null
  if (!url) {
    state.dropped++
    return ''
  }
  return `![${alt}](${url})`
}

/** Rows of cells (a `<table>`'s own rows, through thead/tbody/tfoot) as a GFM table. */
function renderTable(table: Element, state: RenderState): string {
  const rows: string[][] = []
  const collect = (el: Element) => {
    for (const child of el.children) {
      if (typeof child === 'string') continue
      if (child.tag === 'tr') {
        rows.push(
          child.children
            .filter((c): c is Element => typeof c !== 'string' && (c.tag === 'td' || c.tag === 'th'))
            .map((cell) =>
              renderChildren(cell, state)
                .replace(/\u0001/g, ' ')
                .replace(/\s*\n\s*/g, ' ')
                .replace(/\|/g, '\\|')
                .trim()
            )
        )
      } else if (child.tag === 'thead' || child.tag === 'tbody' || child.tag === 'tfoot') collect(child)
    }
  }
  collect(table)
  if (rows.length === 0) return renderChildren(table, state)
  const width = Math.max(...rows.map((r) => r.length), 1)
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`
  const [head, ...body] = rows
  return `\n\n${[line(head!), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n')}\n\n`
}

/** Delimiters of the formulas Anki typesets: opener, closer, and whether the formula is displayed. */
const MATH_DELIMITERS: readonly [string, string, boolean][] = [
  ['\\(', '\\)', false],
  ['\\[', '\\]', true],
  ['[$]', '[/$]', false],
  ['[$$]', '[/$$]', true]
]
/** Stands for formula N while the rest of the field is converted (private-use characters). */
const mathMark = (n: number) => `\uE000${n}\uE001`
const MATH_MARK = /\uE000(\d+)\uE001/g

/**
 * Takes the formulas out of a field before its tags are read, so their TeX is neither escaped
 * nor split by tags (a `<br>` inside a formula is a space; entities are decoded). Each formula
 * is found with indexOf from its opener: linear in the field, and an opener without a closer
 * stops the search for that kind.
 */
function extractMath(html: string): { html: string; formulas: string[] } {
  const formulas: string[] = []
  let out = html
  for (const [open, close, display] of MATH_DELIMITERS) {
    let result = ''
    let at = 0
    for (;;) {
      const start = out.indexOf(open, at)
      const end = start < 0 ? -1 : out.indexOf(close, start + open.length)
      if (end < 0) break
      const tex = decodeEntities(out.slice(start + open.length, end).replace(/<[^>]*>/g, ' '))
        .replace(/\s+/g, ' ')
        .trim()
      result += out.slice(at, start) + (tex ? mathMark(formulas.length) : out.slice(start, end + close.length))
      if (tex) formulas.push(display ? `\\[${tex}\\]` : `\\(${tex}\\)`)
      at = end + close.length
    }
    out = result + out.slice(at)
  }
  return { html: out, formulas }
}

export function htmlToMarkdown(field: string, options: HtmlOptions = {}): HtmlConversion {
  const state: RenderState = { dropped: 0, listDepth: 0, remote: [], options }
  const { html, formulas } = extractMath(field)
  const raw = render(parseHtml(html), state)
  let fence: FenceState | null = null
  const markdown = raw
    .replace(/[\n\u0001]*\u0001[\n\u0001]*/g, (run) => ((run.match(/\n/g)?.length ?? 0) >= 1 ? '\n\n' : '\n'))
    .split('\n')
    .map((line) => {
      const inFence = fence !== null
      fence = stepFence(line, fence)
      if (inFence || fence !== null) return line
      return trimSpacesEnd(line)
        .replace(/^ (?=\S)/, '')
        .replace(/(\S) {2,}/g, '$1 ')
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .replace(MATH_MARK, (whole, n: string) => formulas[Number(n)] ?? whole)
  return { markdown, droppedMedia: state.dropped, remoteImages: state.remote }
}
