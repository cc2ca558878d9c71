// Math in cards: `$...$` and `\(...\)` inline, `$$...$$` and `\[...\]` displayed. The parser
// only marks where math is: each formula becomes an element holding its TeX as text
// (`.math-inline` or `.math-display`), which the sanitizer keeps as it is, and math-typeset.ts
// typesets those elements with KaTeX through DOM calls after the page shows them. No KaTeX
// markup ever passes through HTML parsing, and the first page loads no KaTeX.
//
// Dollars follow pandoc's rule so prices stay prose: the opening `$` has a non-space after it
// and no digit before it; the first unescaped `$` after it closes, and only when it has a
// non-space before it and no digit after it (`$5 and $10` is not math). Math is never found in
// code spans or code blocks (those rules run first at their own positions), and `\$` is a dollar.
import type MarkdownIt from 'markdown-it'

type Md = InstanceType<typeof MarkdownIt>
type InlineState = Parameters<Parameters<Md['inline']['ruler']['push']>[1]>[0]
type BlockState = Parameters<Parameters<Md['block']['ruler']['push']>[1]>[0]

const DOLLAR = 0x24
const BACKSLASH = 0x5c

const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
const isDigit = (code: number) => code >= 0x30 && code <= 0x39

/** The end of a `$...$` formula starting at `start` (the index of its closing `$`), or -1. */
function closingDollar(src: string, start: number, max: number): number {
  const first = src.charCodeAt(start + 1)
  if (start + 1 >= max || isSpace(first) || first === DOLLAR) return -1
  if (start > 0 && isDigit(src.charCodeAt(start - 1))) return -1
  for (let i = start + 1; i < max; i++) {
    const code = src.charCodeAt(i)
    if (code === BACKSLASH) {
      i++
      continue
    }
    if (code !== DOLLAR) continue
    const valid = !isSpace(src.charCodeAt(i - 1)) && !(i + 1 < max && isDigit(src.charCodeAt(i + 1)))
    return valid ? i : -1
  }
  return -1
}

function pushMath(state: InlineState, tex: string, display: boolean, markup: string): void {
  const token = state.push(display ? 'math_inline_display' : 'math_inline', 'math', 0)
  token.content = tex
  token.markup = markup
}

function inlineMath(state: InlineState, silent: boolean): boolean {
  const { src, pos, posMax } = state
  const code = src.charCodeAt(pos)
  if (code === BACKSLASH) {
    const next = src[pos + 1]
    if (next !== '(' && next !== '[') return false
    const close = src.indexOf(next === '(' ? '\\)' : '\\]', pos + 2)
    if (close < 0 || close + 2 > posMax || src.slice(pos + 2, close).trim() === '') return false
    if (!silent) pushMath(state, src.slice(pos + 2, close).trim(), next === '[', `\\${next}`)
    state.pos = close + 2
    return true
  }
  if (code !== DOLLAR) return false
  if (src.charCodeAt(pos + 1) === DOLLAR) {
    const close = src.indexOf('$$', pos + 2)
    if (close < 0 || close + 2 > posMax || src.slice(pos + 2, close).trim() === '') return false
    if (!silent) pushMath(state, src.slice(pos + 2, close).trim(), true, '$$')
    state.pos = close + 2
    return true
  }
  const close = closingDollar(src, pos, posMax)
  if (close < 0) return false
  if (!silent) pushMath(state, src.slice(pos + 1, close), false, '$')
  state.pos = close + 1
  return true
}

/**
 * A display formula on lines of its own: `$$` or `\[` opening a line, the formula closing on
 * it or a later line with nothing after the closer. A blank line ends the search, so a stray
 * `$$` never swallows the paragraphs after it.
 */
function blockMath(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false
  const begin = state.bMarks[startLine]! + state.tShift[startLine]!
  const opener = state.src.slice(begin, begin + 2)
  const closer = opener === '$$' ? '$$' : opener === '\\[' ? '\\]' : null
  if (!closer) return false
  const parts: string[] = []
  let line = startLine
  let from = begin + 2
  for (; line < endLine; line++) {
    const lineStart = line === startLine ? from : state.bMarks[line]! + state.tShift[line]!
    const lineEnd = state.eMarks[line]!
    if (line > startLine && lineStart >= lineEnd) return false
    const text = state.src.slice(lineStart, lineEnd)
    const at = text.indexOf(closer)
    if (at >= 0) {
      if (text.slice(at + 2).trim() !== '') return false
      parts.push(text.slice(0, at))
      break
    }
    parts.push(text)
    from = lineEnd
  }
  if (line >= endLine) return false
  const tex = parts.join('\n').trim()
  if (tex === '') return false
  if (silent) return true
  const token = state.push('math_block', 'math', 0)
  token.block = true
  token.content = tex
  token.markup = opener
  token.map = [startLine, line + 1]
  state.line = line + 1
  return true
}

/** Adds the math rules; formulas render as placeholders holding their TeX (see math-typeset.ts). */
export function mathPlaceholders(md: Md): void {
  md.inline.ruler.before('escape', 'math_inline', inlineMath)
  md.block.ruler.before('fence', 'math_block', blockMath, { alt: ['paragraph', 'reference', 'blockquote', 'list'] })
  const escape = md.utils.escapeHtml
  md.renderer.rules.math_inline = (tokens, idx) => `<span class="math-inline">${escape(tokens[idx]!.content)}</span>`
  md.renderer.rules.math_inline_display = (tokens, idx) =>
    `<span class="math-display">${escape(tokens[idx]!.content)}</span>`
  md.renderer.rules.math_block = (tokens, idx) => `<div class="math-display">${escape(tokens[idx]!.content)}</div>\n`
}
