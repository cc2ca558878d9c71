// The Quiz page's pure helpers (src/renderer/src/views/quiz/lib.ts). Kept here, beside the
// other quiz tests, because this engineer owns test/main/study/quiz*.test.ts.
import { describe, expect, it } from 'vitest'
import type { QuizItemView } from '../../../../shared/study'
import {
  choose,
  codeRuns,
  countdownMs,
  emptyDraft,
  expectedMatches,
  expectedSteps,
  formatDuration,
  move,
  optionForKey,
  parseTags,
  plain,
  shortPrompt,
  toAnswer
} from './lib'

const views: Record<QuizItemView['type'], QuizItemView> = {
  choice: { id: 'c', type: 'choice', prompt: 'p', options: ['a', 'b', 'c'], multiple: true },
  truefalse: { id: 't', type: 'truefalse', prompt: 'p' },
  typein: { id: 'y', type: 'typein', prompt: 'p' },
  cloze: { id: 'z', type: 'cloze', prompt: 'p', blanks: 2 },
  order: { id: 'o', type: 'order', prompt: 'p', items: ['x', 'y', 'z'] },
  match: { id: 'm', type: 'match', prompt: 'p', left: ['l1', 'l2'], right: ['r1', 'r2'] }
}

describe('drafts and answers', () => {
  it('an empty draft cannot be sent, except an order (its shown order is an answer)', () => {
    for (const view of Object.values(views)) {
      const built = toAnswer(view, emptyDraft(view))
      if (view.type === 'order') expect(built).toEqual({ answer: { type: 'order', order: [0, 1, 2] } })
      else expect(built, view.type).toHaveProperty('problem')
    }
  })

  it('builds each type of answer', () => {
    const d = emptyDraft(views.cloze)
    d.texts = ['8', ' 20 ']
    expect(toAnswer(views.cloze, d)).toEqual({ answer: { type: 'cloze', texts: ['8', ' 20 '] } })
    const m = emptyDraft(views.match)
    m.pairs = [1, null]
    expect(toAnswer(views.match, m)).toHaveProperty('problem')
    m.pairs = [1, 0]
    expect(toAnswer(views.match, m)).toEqual({ answer: { type: 'match', pairs: [1, 0] } })
    const c = emptyDraft(views.choice)
    c.selected = [2, 0]
    expect(toAnswer(views.choice, c)).toEqual({ answer: { type: 'choice', selected: [0, 2] } })
    const t = emptyDraft(views.truefalse)
    t.value = false
    expect(toAnswer(views.truefalse, t)).toEqual({ answer: { type: 'truefalse', value: false } })
    const y = emptyDraft(views.typein)
    y.text = '   '
    expect(toAnswer(views.typein, y)).toHaveProperty('problem')
  })
})

describe('keyboard', () => {
  it('number keys pick options that exist', () => {
    expect(optionForKey('1', 3)).toBe(0)
    expect(optionForKey('3', 3)).toBe(2)
    expect(optionForKey('4', 3)).toBeNull()
    expect(optionForKey('0', 3)).toBeNull()
    expect(optionForKey('a', 3)).toBeNull()
  })

  it('choosing replaces a single choice and toggles a multiple one', () => {
    expect(choose([1], 2, false)).toEqual([2])
    expect(choose([1], 2, true)).toEqual([1, 2])
    expect(choose([1, 2], 1, true)).toEqual([2])
  })

  it('moving a step swaps it with its neighbour and stops at the ends', () => {
    expect(move([0, 1, 2], 2, -1)).toEqual([0, 2, 1])
    expect(move([0, 1, 2], 0, 1)).toEqual([1, 0, 2])
    const order = [0, 1, 2]
    expect(move(order, 0, -1)).toBe(order)
    expect(move(order, 2, 1)).toBe(order)
  })
})

describe('formatting', () => {
  it('durations and the countdown', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(65_400)).toBe('1:05')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(-5)).toBe('0:00')
    expect(countdownMs(10_000, 9_001)).toBe(1000)
    expect(countdownMs(10_000, 10_000)).toBe(0)
    expect(countdownMs(10_000, 12_000)).toBe(0)
  })

  it('tags typed freely', () => {
    expect(parseTags(' tls, #handshake  tls,,quic ')).toEqual(['tls', 'handshake', 'quic'])
    expect(parseTags('')).toEqual([])
  })

  it('code runs, plain text and short prompts', () => {
    expect(codeRuns('set `TCP_NODELAY` now')).toEqual([
      { text: 'set ', code: false },
      { text: 'TCP_NODELAY', code: true },
      { text: ' now', code: false }
    ])
    expect(codeRuns('a ` b')).toEqual([
      { text: 'a ', code: false },
      { text: '` b', code: false }
    ])
    expect(plain('`SYN` flag')).toBe('SYN flag')
    expect(shortPrompt('\n**Which** flag opens a TCP connection?\nmore', 20)).toBe('Which flag opens a…')
  })

  it('reads the right order and pairs back from the expected text', () => {
    expect(expectedSteps('1. ClientHello\n2. ServerHello')).toEqual(['ClientHello', 'ServerHello'])
    expect(expectedMatches(['TCP', 'UDP'], 'TCP → stream\nUDP → datagrams')).toEqual(['stream', 'datagrams'])
  })
})
