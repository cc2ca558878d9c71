// The learner's answer in words on the quiz results (issue 15).
import { describe, expect, it } from 'vitest'
import { describeAnswer } from './answers'

describe('describeAnswer', () => {
  it('says what was chosen, typed, ordered or matched', () => {
    expect(
      describeAnswer(
        { id: 'q', type: 'choice', prompt: 'p', options: ['SYN', 'ACK', 'FIN'], multiple: true },
        { type: 'choice', selected: [0, 2] }
      )
    ).toBe('SYN; FIN')
    expect(describeAnswer({ id: 'q', type: 'truefalse', prompt: 'p' }, { type: 'truefalse', value: false })).toBe(
      'False'
    )
    expect(describeAnswer({ id: 'q', type: 'typein', prompt: 'p' }, { type: 'typein', text: '  443 ' })).toBe('443')
    expect(
      describeAnswer({ id: 'q', type: 'cloze', prompt: 'p', blanks: 2 }, { type: 'cloze', texts: ['SYN', ' ACK'] })
    ).toBe('SYN · ACK')
    expect(
      describeAnswer(
        { id: 'q', type: 'order', prompt: 'p', items: ['a', 'b', 'c'] },
        { type: 'order', order: [2, 0, 1] }
      )
    ).toBe('1. c  2. a  3. b')
    expect(
      describeAnswer(
        { id: 'q', type: 'match', prompt: 'p', left: ['DNS', 'HTTP'], right: ['80', '53'] },
        { type: 'match', pairs: [1, 0] }
      )
    ).toBe('DNS → 53; HTTP → 80')
  })
})
