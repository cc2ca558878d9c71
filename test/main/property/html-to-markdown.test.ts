// Anki field HTML to markdown: the linear-time tokenizer agrees with the regex-driven one it
// replaced on ordinary HTML, never throws, and stays fast and shallow on hostile HTML.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { htmlToMarkdown } from '../../../src/main/import/html-to-markdown'
import { htmlToMarkdown as v1 } from './reference/html-to-markdown-v1'
import { FACTOR, growth, linearLimit } from '../../helpers/scaling'
import { budget } from './budget'

const tag = fc.constantFrom(
  'b',
  'i',
  'u',
  'div',
  'p',
  'span',
  'ul',
  'ol',
  'li',
  'code',
  'pre',
  'a',
  'h2',
  'br',
  'hr',
  'img',
  'table',
  'tr',
  'td',
  'sub',
  'script',
  'Strong',
  'DIV'
)
const attr = fc.constantFrom(
  '',
  ' href="https://x.invalid/a"',
  " class='c'",
  ' data-x=y',
  ' disabled',
  ' src="a.png"',
  ' style="color: red"'
)
const piece = fc.oneof(
  fc.tuple(tag, attr).map(([t, a]) => `<${t}${a}>`),
  tag.map((t) => `</${t}>`),
  tag.map((t) => `<${t}/>`),
  fc.constantFrom(
    'text',
    ' ',
    '\n',
    '&amp;',
    '&nbsp;',
    '&#x41;',
    '[sound:a.mp3]',
    '*',
    '_x_',
    '`',
    '<!-- c -->',
    '<!--',
    '-->',
    '>',
    '<',
    '< b>',
    '<1>',
    'a\\b'
  ),
  fc.string({ maxLength: 4 })
)
const html = fc.array(piece, { maxLength: 25 }).map((parts) => parts.join(''))
/**
 * Where the two differ on purpose: a `<` between a tag's name and its `>` (the old one read it
 * as part of an attribute), and images and tables (the old one dropped images and flattened
 * tables; images now become links or stored images, tables GFM tables), and math (MathJax
 * delimiters become the renderer's math, and a `$` in text is escaped so it stays a dollar).
 */
const ltInsideTag = (text: string) =>
  /<[a-zA-Z][^<>]*</.test(text) || /<(img|table)\b/i.test(text) || /[$]|\\[([]|\[\/?\$/.test(text)

describe('htmlToMarkdown', () => {
  it('agrees with the previous converter on HTML without `<` inside a tag and nesting under 100', () => {
    fc.assert(
      fc.property(
        html.filter((text) => !ltInsideTag(text)),
        (text) => {
          const { markdown, droppedMedia } = htmlToMarkdown(text)
          expect({ markdown, droppedMedia }).toEqual(v1(text))
        }
      ),
      budget(3000)
    )
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500, unit: 'binary' }), (text) => void htmlToMarkdown(text)),
      budget(1000)
    )
  })

  // The bugs: TOKEN let attribute names contain `<`, so in a field of unclosed tags every `<`
  // scanned to the end of the field (100 KB: 10 s), as did every unclosed `<!--`; closing
  // tags searched the whole open-element stack; and rendering recursed once per nesting
  // level, so `<b>` x 30,000 threw RangeError (an internal error, not a ContentError); and
  // trailing whitespace was trimmed with /\s+$/ and /[ \t]+$/, quadratic on a long run of
  // spaces (<pre> with 100 KB of spaces: 8 s; &nbsp; runs decode to spaces the same way).
  it('regression: unclosed tags, unclosed comments, stray closing tags and deep nesting are linear and do not overflow', async () => {
    // Each shape as a function of its repeat count; [shape, count the bug report used].
    const shapes: Array<[string, (n: number) => string, number]> = [
      ['<pre> of spaces', (n) => `<pre>${' '.repeat(n)}x</pre>`, 100_000],
      ['&nbsp; run', (n) => `${'&nbsp;'.repeat(n)}x`, 100_000],
      ['<a b x n', (n) => '<a b'.repeat(n), 25_000],
      ['<a  x n', (n) => '<a '.repeat(n), 33_000],
      ['<!-- x n', (n) => '<!--'.repeat(n), 25_000],
      ['<b> then stray </i>', (n) => `${'<b>'.repeat(n)}${'</i>'.repeat(n)}`, 33_000],
      ['<b> x n', (n) => '<b>'.repeat(n), 33_000],
      ['<ul><li> x n', (n) => '<ul><li>'.repeat(n), 12_000],
      // Math openers without closers, and many formulas (issue 13: MathJax is kept as math).
      ['\\( x n', (n) => '\\(a '.repeat(n), 25_000],
      ['\\(x\\) x n', (n) => '\\(x<br>y\\) '.repeat(n), 12_000]
    ]
    for (const [name, make, count] of shapes) {
      // The full size must not overflow the stack; an eighth against the full size must scale linearly.
      expect(typeof htmlToMarkdown(make(count)).markdown, name).toBe('string')
      expect(await growth(make, (text) => htmlToMarkdown(text), Math.round(count / FACTOR)), name).toBeLessThan(
        linearLimit()
      )
    }
    expect(htmlToMarkdown(`${'<b>'.repeat(500)}deep${'</b>'.repeat(500)}`).markdown).toContain('deep')
  })
})
