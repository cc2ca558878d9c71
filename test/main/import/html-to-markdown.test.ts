import { describe, expect, it } from 'vitest'
import { decodeEntities, htmlToMarkdown } from '../../../src/main/import/html-to-markdown'

const md = (html: string) => htmlToMarkdown(html).markdown

describe('Anki field HTML to markdown', () => {
  it.each([
    ['<b>bold</b> and <strong>strong</strong>', '**bold** and **strong**'],
    ['<i>it</i> and <em>em</em>', '*it* and *em*'],
    ['<b> spaced </b>word', '**spaced** word'],
    ['one<br>two<br/>three', 'one\ntwo\nthree'],
    ['<div>first</div><div>second</div>', 'first\nsecond'],
    ['text<div>next line</div><div><br></div><div>after a gap</div>', 'text\nnext line\n\nafter a gap'],
    ['<p>para one</p><p>para two</p>', 'para one\n\npara two'],
    ['<ul><li>a</li><li><b>b</b></li></ul>', '- a\n- **b**'],
    ['<ol><li>first</li><li>second</li></ol>', '1. first\n2. second'],
    ['<ul><li>outer<ul><li>inner</li></ul></li></ul>', '- outer\n   - inner'],
    ['use <code>listen()</code>', 'use `listen()`'],
    ['<pre>line 1\n  line 2 &lt;tag&gt;</pre>', '```\nline 1\n  line 2 <tag>\n```'],
    ['<a href="https://example.com/a?b=1&amp;c=2">link</a>', '[link](https://example.com/a?b=1&c=2)'],
    ['<span style="color: red">red</span> <font color="blue">blue</font>', 'red blue'],
    ['2 * 3 = 6 and `tick`', '2 \\* 3 = 6 and \\`tick\\`'],
    ['snake_case stays, _edge_ escapes', 'snake_case stays, \\_edge\\_ escapes'],
    ['{{c1::<b>SYN</b>::flag}} then ACK', '{{c1::**SYN**::flag}} then ACK'],
    ['<!-- comment -->kept', 'kept'],
    ['<script>alert(1)</script>safe', 'safe'],
    ['unclosed <b>bold', 'unclosed **bold**']
  ])('%s', (html, expected) => {
    expect(md(html)).toBe(expected)
  })

  it('drops media it has no file for and counts it', () => {
    expect(htmlToMarkdown('a <img src="x.png"> b [sound:y.mp3] <audio src="z"></audio>')).toEqual({
      markdown: 'a b',
      droppedMedia: 3,
      remoteImages: []
    })
  })

  it('shows packaged images at the URL the caller gives, and keeps remote ones as links it never loads', () => {
    const mediaUrl = (name: string) => (name === 'my diagram.png' ? '/media/abc.png' : null)
    expect(
      htmlToMarkdown('<img src="my%20diagram.png" alt="TCP [states]"> <img src="https://x.invalid/a (1).png">', {
        mediaUrl
      })
    ).toEqual({
      markdown: '![TCP states](/media/abc.png) [image](https://x.invalid/a%20%281%29.png)',
      droppedMedia: 0,
      remoteImages: ['https://x.invalid/a (1).png']
    })
    expect(
      htmlToMarkdown('<img src="javascript:alert(1)"><img src="data:image/png;base64,AA==">', {
        mediaUrl: () => '/media/x.png'
      }).droppedMedia
    ).toBe(2)
  })

  it('turns tables into GFM tables, header first, pipes in cells escaped', () => {
    const html =
      '<table><thead><tr><th>Layer</th><th>PDU</th></tr></thead><tbody><tr><td>Transport</td><td>segment <b>|</b> datagram</td></tr><tr><td>Network</td></tr></tbody></table>'
    expect(htmlToMarkdown(html).markdown).toBe(
      '| Layer | PDU |\n| --- | --- |\n| Transport | segment **\\|** datagram |\n| Network | |'
    )
  })

  it('decodes named and numeric entities', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&#39;&#x2192;&nbsp;&unknown;')).toBe('<>&"\'\u2192 &unknown;')
  })

  // Issue 13: MathJax stayed raw TeX (its backslashes doubled, its `_` and `*` escaped).
  it('keeps MathJax as math: TeX unescaped, tags inside a formula read as spaces, entities decoded', () => {
    expect(md('Area \\(\\pi r_1^2 * 2\\) of <b>a</b>')).toBe('Area \\(\\pi r_1^2 * 2\\) of **a**')
    expect(md('<div>\\[\\frac{a}{b}<br>&lt; c\\]</div>')).toBe('\\[\\frac{a}{b} < c\\]')
    expect(md('old [$]x_1[/$] and [$$]\\sum_i[/$$]')).toBe('old \\(x_1\\) and \\[\\sum_i\\]')
    // Not math: an empty formula and an opener without a closer stay as text (escaped).
    expect(md('\\(\\) and \\( alone')).toBe('\\\\(\\\\) and \\\\( alone')
  })

  it('escapes dollars, which Anki shows as dollars', () => {
    expect(md('costs $5, not $x$')).toBe('costs \\$5, not \\$x\\$')
  })
})
