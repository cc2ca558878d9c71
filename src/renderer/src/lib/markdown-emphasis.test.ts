// `*` inside a word is not emphasis (issue 15): arithmetic in cards stays arithmetic.
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { noIntrawordStarEmphasis } from './markdown-emphasis'

const md = new MarkdownIt({ html: false })
noIntrawordStarEmphasis(md)
const plain = new MarkdownIt({ html: false })

describe('noIntrawordStarEmphasis', () => {
  it('leaves products in formulas alone', () => {
    // Stock CommonMark (the control) makes this emphasis; the app does not.
    expect(plain.renderInline('b + r*T = 10 + 5*2')).toContain('<em>')
    expect(md.renderInline('b + r*T = 10 + 5*2')).toBe('b + r*T = 10 + 5*2')
    expect(md.renderInline('cwnd = 2*MSS and ssthresh = cwnd*0.7')).toBe('cwnd = 2*MSS and ssthresh = cwnd*0.7')
    expect(md.renderInline('RTO = SRTT + 4*RTTVAR')).toBe('RTO = SRTT + 4*RTTVAR')
  })

  it('keeps ordinary emphasis and strong emphasis', () => {
    expect(md.renderInline('a *word* and **bold** and *two words*')).toBe(
      'a <em>word</em> and <strong>bold</strong> and <em>two words</em>'
    )
    expect(md.renderInline('(*note*) and *end*.')).toBe('(<em>note</em>) and <em>end</em>.')
    expect(md.renderInline('snake_case_name and _under_')).toBe('snake_case_name and <em>under</em>')
  })
})
