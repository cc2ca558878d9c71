import { describe, expect, it } from 'vitest'
import { curvePath, formatDays, percent } from '../../lib/card-info'
import { clock, dueIn, keyAction, plural, summarize, type SessionEvent } from './lib'

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods
})

describe('review keys', () => {
  it('maps Anki keys', () => {
    expect(keyAction(key(' '), false)).toEqual({ kind: 'reveal' })
    expect(keyAction(key('Enter'), true)).toEqual({ kind: 'grade', rating: 3 })
    expect(keyAction(key('1'), true)).toEqual({ kind: 'grade', rating: 1 })
    expect(keyAction(key('4'), false)).toBeNull()
    expect(keyAction(key('e'), false)).toEqual({ kind: 'edit' })
    expect(keyAction(key('i'), false)).toEqual({ kind: 'info' })
    expect(keyAction(key('b'), true)).toEqual({ kind: 'bury' })
    expect(keyAction(key('s'), true)).toEqual({ kind: 'suspend' })
    expect(keyAction(key('Escape'), true)).toEqual({ kind: 'leave' })
    expect(keyAction(key('s', { ctrlKey: true }), true)).toBeNull()
  })

  it('undoes with Z or Ctrl+Z and redoes with Ctrl+Shift+Z or Ctrl+Y', () => {
    expect(keyAction(key('z', { ctrlKey: true }), true)).toEqual({ kind: 'undo' })
    expect(keyAction(key('Z'), true)).toEqual({ kind: 'undo' })
    expect(keyAction(key('Z', { ctrlKey: true, shiftKey: true }), true)).toEqual({ kind: 'redo' })
    expect(keyAction(key('z', { metaKey: true, shiftKey: true }), false)).toEqual({ kind: 'redo' })
    expect(keyAction(key('y', { ctrlKey: true }), false)).toEqual({ kind: 'redo' })
  })

  it('flags with Ctrl+1..7 (digits alone still grade)', () => {
    expect(keyAction(key('1', { ctrlKey: true }), true)).toEqual({ kind: 'flag', flag: 1 })
    expect(keyAction(key('7', { ctrlKey: true }), false)).toEqual({ kind: 'flag', flag: 7 })
    expect(keyAction(key('8', { ctrlKey: true }), true)).toBeNull()
    expect(keyAction(key('0', { ctrlKey: true }), true)).toBeNull()
  })
})

describe('session summary', () => {
  it('counts answers, distinct cards, buries and suspends, and accuracy', () => {
    const events: SessionEvent[] = [
      { kind: 'answer', cardId: 'a', rating: 1 },
      { kind: 'answer', cardId: 'a', rating: 3 },
      { kind: 'bury', cardId: 'b' },
      { kind: 'answer', cardId: 'c', rating: 4 },
      { kind: 'suspend', cardId: 'd' },
      { kind: 'answer', cardId: 'e', rating: 3 }
    ]
    expect(summarize(events)).toEqual({ answers: 4, cards: 3, again: 1, buried: 1, suspended: 1, accuracy: 0.75 })
    expect(summarize([]).accuracy).toBeNull()
    expect(clock(3_723_000)).toBe('1:02:03')
    expect(clock(65_000)).toBe('1:05')
  })

  it('says when the next card comes, never "due now", with plurals right', () => {
    expect(dueIn(0, 90 * 60_000)).toBe('Next card due in 2 hours.')
    expect(dueIn(0, 60_000)).toBe('Next card due in 1 minute.')
    // A time already past: Review is reloading the queue; it does not claim cards are waiting.
    expect(dueIn(10_000, 5_000)).toBe('Next card due in 1 minute.')
    expect(dueIn(0, 3 * 86_400_000)).toBe('Next card due in 3 days.')
    expect(dueIn(0, null)).toBe('Nothing else is scheduled today.')
    expect(dueIn(0, null, { new: 1, review: 1 })).toBe(
      'Nothing else is scheduled today. The daily limits hold back more reviews and new cards; Settings can raise them.'
    )
    expect(plural(1, 'note')).toBe('1 note')
    expect(plural(0, 'drill')).toBe('0 drills')
    expect(plural(2, 'quiz item')).toBe('2 quiz items')
  })
})

describe('card info helpers', () => {
  it('formats recall and intervals', () => {
    expect(percent(0.873)).toBe('87%')
    expect(percent(null)).toBe('–')
    expect(formatDays(0)).toBe('same day')
    expect(formatDays(3)).toBe('3 d')
    expect(formatDays(2.5)).toBe('2.5 d')
    expect(formatDays(90)).toBe('3.0 mo')
    expect(formatDays(730)).toBe('2.0 y')
  })

  it('draws the curve top-left to bottom-right and marks the due day', () => {
    const points = [
      { days: 0, retrievability: 1 },
      { days: 5, retrievability: 0.9 },
      { days: 10, retrievability: 0.8 }
    ]
    const chart = curvePath(points, 5, 100, 50)
    expect(chart.path).toBe('M0.0,0.0 L50.0,5.0 L100.0,10.0')
    expect(chart.dueX).toBe(50)
    expect(chart.label).toBe(
      'Forgetting curve: recall falls to 80% after 10 d; the card is due after 5 d, at about 90%.'
    )
  })
})
