// Math delimiters in cards (issue 13): formulas become placeholders holding their TeX, prose
// with dollar amounts stays prose, and code keeps its dollars.
import katex from 'katex'
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { katexOptions } from './katex-options'
import { mathPlaceholders } from './markdown-math'

const md = new MarkdownIt({ html: false })
mathPlaceholders(md)
const inline = (tex: string) => `<span class="math-inline">${tex}</span>`
const display = (tex: string) => `<span class="math-display">${tex}</span>`

describe('math placeholders', () => {
  it('marks $...$ and \\(...\\) inline, $$...$$ and \\[...\\] displayed', () => {
    expect(md.renderInline('RTT is $\\alpha x^2$ here')).toBe(`RTT is ${inline('\\alpha x^2')} here`)
    expect(md.renderInline('Anki writes \\(e^{i\\pi}+1=0\\).')).toBe(`Anki writes ${inline('e^{i\\pi}+1=0')}.`)
    expect(md.renderInline('then $$\\sum_i w_i$$ and \\[x = y\\]')).toBe(
      `then ${display('\\sum_i w_i')} and ${display('x = y')}`
    )
  })

  it('keeps dollar amounts as prose (pandoc rule)', () => {
    for (const prose of [
      '$5 and $10',
      'it costs $5, or $10.',
      'between $20,000 and $30,000',
      'pay $ 5 and 6 $',
      'a lone $ sign',
      '10$ and 20$'
    ]) {
      expect(md.renderInline(prose), prose).toBe(md.utils.escapeHtml(prose))
    }
    // A closing `$` followed by a digit closes nothing; the control shows the rule can match.
    expect(md.renderInline('$x$5')).toBe('$x$5')
    expect(md.renderInline('$x$ 5')).toBe(`${inline('x')} 5`)
  })

  it('treats \\$ as a dollar and leaves code spans and code blocks alone', () => {
    expect(md.renderInline('\\$x\\$ and \\\\(y)')).toBe('$x$ and \\(y)')
    expect(md.renderInline('`$x$` and `\\(y\\)`')).toBe('<code>$x$</code> and <code>\\(y\\)</code>')
    expect(md.render('```\n$$\nx\n$$\n```')).toBe('<pre><code>$$\nx\n$$\n</code></pre>\n')
    expect(md.render('    $x$ \\(y\\)')).toBe('<pre><code>$x$ \\(y\\)\n</code></pre>\n')
  })

  it('displays a formula on lines of its own, and never across a blank line', () => {
    expect(md.render('Before\n\n$$\na^2 + b^2\n= c^2\n$$\n\nAfter')).toBe(
      '<p>Before</p>\n<div class="math-display">a^2 + b^2\n= c^2</div>\n<p>After</p>\n'
    )
    expect(md.render('\\[\n\\frac{1}{2}\n\\]')).toBe('<div class="math-display">\\frac{1}{2}</div>\n')
    // An unclosed `$$` before a blank line is text, and the paragraphs after it survive.
    expect(md.render('$$\nnot closed\n\n# Heading\n\n$$')).toBe('<p>$$\nnot closed</p>\n<h1>Heading</h1>\n<p>$$</p>\n')
  })

  it('escapes the TeX it holds (markup in a formula stays text)', () => {
    const out = md.renderInline('$<img src=x onerror=alert(1)>$ and \\(</span><script>x</script>\\)')
    expect(out).not.toContain('<img')
    expect(out).not.toContain('<script')
    expect(out).toBe(
      `${inline('&lt;img src=x onerror=alert(1)&gt;')} and ${inline('&lt;/span&gt;&lt;script&gt;x&lt;/script&gt;')}`
    )
  })

  it('keeps emphasis and links around formulas', () => {
    expect(md.renderInline('**bold** $a*b*c$ *em*')).toBe(`<strong>bold</strong> ${inline('a*b*c')} <em>em</em>`)
  })
})

describe('KaTeX as the app configures it', () => {
  const render = (tex: string) => katex.renderToString(tex, katexOptions(false))

  it('typesets ordinary formulas, with MathML for screen readers', () => {
    const out = render('\\frac{a}{b} + x^2')
    expect(out).toContain('class="katex"')
    expect(out).toContain('<math')
    expect(out).toContain('<mfrac>')
  })

  it('makes no link, loads nothing and sets no class or style a formula asks for (trust: false)', () => {
    const out = [
      render('\\href{javascript:alert(1)}{click}'),
      render('\\url{http://127.0.0.1:9/x}'),
      render('\\includegraphics{http://127.0.0.1:9/x.png}'),
      render(
        '\\htmlClass{markdown}{x} \\htmlData{onclick=alert(1)}{y} \\htmlStyle{background:url(http://127.0.0.1:9/)}{z}'
      )
    ].join('\n')
    // The MathML annotation repeats the TeX as text (escaped); the markup around it must hold none of it.
    expect(out).toContain('<annotation encoding="application/x-tex">\\href{javascript:alert(1)}{click}</annotation>')
    const markup = out.replace(/<annotation [^>]*>[^<]*<\/annotation>/g, '')
    expect(markup).not.toMatch(/\shref=|<img|<a[\s>]|\sonclick=|\sdata-|url\(|javascript:/)
    expect(out).not.toContain('class="markdown"')
    // The control: trusted, the same command does make a link.
    expect(katex.renderToString('\\href{https://a.example/}{x}', { ...katexOptions(false), trust: true })).toMatch(
      /\shref="https:\/\/a\.example\/"/
    )
  })

  it('refuses a macro bomb instead of expanding it without end', () => {
    // maxExpand turns `\def\a{\a\a}\a` into a parse error, shown as the TeX in red.
    const out = render('\\def\\a{\\a\\a}\\a')
    expect(out).toContain('katex-error')
    expect(out).toMatch(/Too many expansions/)
  })
})
