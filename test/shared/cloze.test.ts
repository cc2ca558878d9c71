import { describe, expect, it } from 'vitest'
import { clozeOrdinals, findClozes, renderCloze } from '../../src/shared/cloze'

describe('cloze', () => {
  const text = 'Open with {{c1::SYN}}, reply {{c2::SYN-ACK::two flags}}, finish {{c3::ACK}}.'

  it('finds deletions with hints and ordinals', () => {
    expect(findClozes(text).map((d) => [d.ordinal, d.answer, d.hint])).toEqual([
      [1, 'SYN', null],
      [2, 'SYN-ACK', 'two flags'],
      [3, 'ACK', null]
    ])
    expect(clozeOrdinals('{{c2::a}} {{c1::b}} {{c2::c}}')).toEqual([1, 2])
  })

  it('hides only the active deletion on the front and shows it on the back', () => {
    expect(renderCloze(text, 2, 'front')).toBe('Open with SYN, reply **[two flags]**, finish ACK.')
    expect(renderCloze(text, 1, 'front')).toBe('Open with **[...]**, reply SYN-ACK, finish ACK.')
    expect(renderCloze(text, 3, 'back')).toBe('Open with SYN, reply SYN-ACK, finish **ACK**.')
  })

  it('leaves markers inside code alone', () => {
    expect(findClozes('`{{c1::x}}` and\n```\n{{c2::y}}\n```')).toEqual([])
    expect(renderCloze('keep `{{c1::x}}` but {{c1::hide}}', 1, 'front')).toBe('keep `{{c1::x}}` but **[...]**')
  })
})
