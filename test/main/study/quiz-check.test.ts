import { describe, expect, it } from 'vitest'
import type { QuizData } from '../../../src/shared/domain'
import { ValidationError } from '../../../src/shared/errors'
import {
  checkAnswer,
  expectedText,
  explanationFor,
  maskCloze,
  normalizeTyped,
  seededShuffle,
  shuffleAway,
  splitAlternatives,
  typedMatches,
  viewOf
} from '../../../src/main/study/quiz-check'

const choice: QuizData = {
  type: 'choice',
  multiple: false,
  options: [
    { text: 'SYN', correct: true },
    { text: 'FIN', correct: false },
    { text: 'RST', correct: false }
  ]
}
const multi: QuizData = {
  type: 'choice',
  multiple: true,
  options: [
    { text: 'TCP', correct: true },
    { text: 'UDP', correct: false },
    { text: 'QUIC', correct: true }
  ]
}
const order: QuizData = { type: 'order', items: ['ClientHello', 'ServerHello', 'Certificate', 'Finished'] }
const match: QuizData = {
  type: 'match',
  pairs: [
    { left: 'TCP', right: 'byte stream' },
    { left: 'UDP', right: 'datagrams' },
    { left: 'SCTP', right: 'messages' }
  ]
}
const cloze: QuizData = {
  type: 'cloze',
  text: 'UDP has {{c1::8}} bytes of header, TCP at least {{c2::20 | twenty}}.',
  blanks: [
    { ordinal: 1, answer: '8' },
    { ordinal: 2, answer: '20 | twenty' }
  ]
}

describe('typed answers', () => {
  it('ignores case, surrounding and inner white space, wrappers and trailing punctuation', () => {
    expect(normalizeTyped('  Round   Trip\tTime.  ')).toBe('round trip time')
    expect(normalizeTyped('`SO_REUSEADDR`')).toBe('so_reuseaddr')
    expect(normalizeTyped('"SYN-ACK"!')).toBe('syn-ack')
    expect(normalizeTyped('ＳＹＮ')).toBe('syn') // full-width letters fold under NFKC
  })

  it('accepts any of the author’s alternatives and nothing else', () => {
    expect(typedMatches('EIGHT', ['8', 'eight'])).toBe(true)
    expect(typedMatches(' 8 ', ['8', 'eight'])).toBe(true)
    expect(typedMatches('80', ['8', 'eight'])).toBe(false)
    expect(typedMatches('', ['8'])).toBe(false)
    expect(typedMatches('.', ['.'])).toBe(false) // punctuation alone is no answer
    expect(typedMatches('syn,ack', ['SYN-ACK', 'SYN,ACK'])).toBe(true)
  })

  it('splits alternatives on |', () => {
    expect(splitAlternatives(' 20 | twenty |')).toEqual(['20', 'twenty'])
  })
})

describe('checkAnswer', () => {
  it('choice: exactly the right option', () => {
    expect(checkAnswer(choice, { type: 'choice', selected: [0] }, null)).toBe(true)
    expect(checkAnswer(choice, { type: 'choice', selected: [1] }, null)).toBe(false)
    expect(checkAnswer(choice, { type: 'choice', selected: [] }, null)).toBe(false)
    expect(checkAnswer(choice, { type: 'choice', selected: [0, 1] }, null)).toBe(false)
  })

  it('choice with several right: exactly the right set, in any order', () => {
    expect(checkAnswer(multi, { type: 'choice', selected: [2, 0] }, null)).toBe(true)
    expect(checkAnswer(multi, { type: 'choice', selected: [0] }, null)).toBe(false)
    expect(checkAnswer(multi, { type: 'choice', selected: [0, 1, 2] }, null)).toBe(false)
  })

  it('choice: an option that does not exist is a broken answer, not a wrong one', () => {
    expect(() => checkAnswer(choice, { type: 'choice', selected: [3] }, null)).toThrow(ValidationError)
  })

  it('truefalse', () => {
    const data: QuizData = { type: 'truefalse', answer: false }
    expect(checkAnswer(data, { type: 'truefalse', value: false }, null)).toBe(true)
    expect(checkAnswer(data, { type: 'truefalse', value: true }, null)).toBe(false)
  })

  it('typein uses the tolerance rules', () => {
    const data: QuizData = { type: 'typein', answers: ['101', '101 Switching Protocols'] }
    expect(checkAnswer(data, { type: 'typein', text: '101 switching  protocols.' }, null)).toBe(true)
    expect(checkAnswer(data, { type: 'typein', text: '100' }, null)).toBe(false)
  })

  it('cloze: every blank, each with the same tolerance and its own alternatives', () => {
    expect(checkAnswer(cloze, { type: 'cloze', texts: ['8', 'Twenty '] }, null)).toBe(true)
    expect(checkAnswer(cloze, { type: 'cloze', texts: [' 8.', '20'] }, null)).toBe(true)
    expect(checkAnswer(cloze, { type: 'cloze', texts: ['8', '60'] }, null)).toBe(false)
    expect(checkAnswer(cloze, { type: 'cloze', texts: ['8'] }, null)).toBe(false)
    expect(() => checkAnswer(cloze, { type: 'cloze', texts: ['8', '20', '3'] }, null)).toThrow(ValidationError)
  })

  it('order: indices into what was shown must give the authored order exactly', () => {
    const shown = ['Finished', 'ClientHello', 'Certificate', 'ServerHello']
    expect(checkAnswer(order, { type: 'order', order: [1, 3, 2, 0] }, shown)).toBe(true)
    expect(checkAnswer(order, { type: 'order', order: [3, 1, 2, 0] }, shown)).toBe(false)
    expect(() => checkAnswer(order, { type: 'order', order: [1, 1, 2, 0] }, shown)).toThrow(ValidationError)
    expect(() => checkAnswer(order, { type: 'order', order: [1, 3, 2] }, shown)).toThrow(ValidationError)
  })

  it('match: every pair, by the right sides as shown', () => {
    const shown = ['messages', 'byte stream', 'datagrams']
    expect(checkAnswer(match, { type: 'match', pairs: [1, 2, 0] }, shown)).toBe(true)
    expect(checkAnswer(match, { type: 'match', pairs: [1, 0, 2] }, shown)).toBe(false)
    expect(() => checkAnswer(match, { type: 'match', pairs: [1, 2] }, shown)).toThrow(ValidationError)
    expect(() => checkAnswer(match, { type: 'match', pairs: [1, 2, 5] }, shown)).toThrow(ValidationError)
  })

  it('refuses an answer of another type', () => {
    expect(() => checkAnswer(choice, { type: 'truefalse', value: true }, null)).toThrow(ValidationError)
  })
})

describe('views', () => {
  it('a choice view has the option texts and no correctness', () => {
    const { view } = viewOf({ id: 'q', prompt: 'Which opens?', data: choice }, 's')
    expect(view).toEqual({
      id: 'q',
      type: 'choice',
      prompt: 'Which opens?',
      options: ['SYN', 'FIN', 'RST'],
      multiple: false
    })
    expect(JSON.stringify(view)).not.toContain('correct')
  })

  it('a cloze view hides every blank and counts them', () => {
    const { view } = viewOf({ id: 'q', prompt: cloze.type === 'cloze' ? cloze.text : '', data: cloze }, 's')
    expect(view).toMatchObject({ type: 'cloze', blanks: 2, prompt: 'UDP has [1] bytes of header, TCP at least [2].' })
    expect(maskCloze('A {{c1::SYN::flag}} and `{{c2::x}}`')).toBe('A [1: flag] and `{{c2::x}}`')
  })

  it('order items are never shown already in order, and the same seed gives the same arrangement', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { view, shown } = viewOf({ id: 'q', prompt: 'p', data: order }, `s${seed}`)
      expect(view.type === 'order' && view.items).not.toEqual(order.type === 'order' && order.items)
      expect(shown).toEqual(view.type === 'order' ? view.items : null)
      expect([...(shown ?? [])].sort()).toEqual([...order.items].sort())
    }
    expect(shuffleAway(['a', 'b'], 'x')).toEqual(['b', 'a'])
    expect(seededShuffle([1, 2, 3, 4, 5, 6], 'seed')).toEqual(seededShuffle([1, 2, 3, 4, 5, 6], 'seed'))
  })

  it('match views list each distinct right side once, shuffled', () => {
    const shared: QuizData = {
      type: 'match',
      pairs: [
        { left: 'A', right: 'x' },
        { left: 'B', right: 'x' },
        { left: 'C', right: 'y' }
      ]
    }
    const { view, shown } = viewOf({ id: 'q', prompt: 'p', data: shared }, 'k')
    expect(view).toMatchObject({ left: ['A', 'B', 'C'] })
    expect([...(shown ?? [])].sort()).toEqual(['x', 'y'])
    const xi = shown!.indexOf('x')
    const yi = shown!.indexOf('y')
    expect(checkAnswer(shared, { type: 'match', pairs: [xi, xi, yi] }, shown)).toBe(true)
  })
})

describe('expectedText', () => {
  it('reads as the answer for every type', () => {
    expect(expectedText(choice)).toBe('SYN')
    expect(expectedText(multi)).toBe('TCP\nQUIC')
    expect(expectedText({ type: 'truefalse', answer: true })).toBe('True')
    expect(expectedText({ type: 'typein', answers: ['8', 'eight'] })).toBe('8 (also accepted: eight)')
    expect(expectedText(cloze)).toBe('1. 8\n2. 20 or twenty')
    expect(expectedText(order)).toBe('1. ClientHello\n2. ServerHello\n3. Certificate\n4. Finished')
    expect(expectedText(match)).toBe('TCP → byte stream\nUDP → datagrams\nSCTP → messages')
  })
})

describe('generated items', () => {
  const generated: QuizData = { type: 'typein', answers: [], generator: 'subnet-broadcast' }
  const item = { id: 'gen', prompt: 'Subnet arithmetic.', data: generated }

  it('draws the numbers from the seed: the view, the check and the expected text agree', () => {
    const { view } = viewOf(item, '7:gen')
    expect(view.prompt).toMatch(
      /^Subnet arithmetic\.\n\nWhat is the broadcast address of the subnet \*\*[\d.]+\/\d+\*\*\?$/
    )
    const expected = expectedText(generated, '7:gen')
    expect(expected).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(checkAnswer(generated, { type: 'typein', text: expected }, null, '7:gen')).toBe(true)
    expect(viewOf(item, '7:gen').view).toEqual(view)
    const prompts = new Set(Array.from({ length: 10 }, (_, i) => viewOf(item, `${i}:gen`).view.prompt))
    expect(prompts.size).toBeGreaterThan(5)
  })

  it('puts the worked answer before the authored explanation', () => {
    const text = explanationFor({ ...item, explanation: 'RFC 4632 §3.1.' }, '7:gen')
    expect(text).toMatch(/^\*\*Worked answer\*\*\n\n- \/\d+ keeps the first/)
    expect(text.endsWith('\n\nRFC 4632 §3.1.')).toBe(true)
    expect(
      explanationFor({ id: 'x', prompt: 'Q', data: { type: 'typein', answers: ['8'] }, explanation: 'Plain.' }, '7:x')
    ).toBe('Plain.')
  })
})
