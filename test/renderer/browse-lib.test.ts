import { describe, expect, it } from 'vitest'
import { dueLabel, plainLine, snippetSegments, stateLabel, toggleSelection } from '../../src/renderer/src/views/browse/lib'
import { keyAction, summarize, clock, dueIn } from '../../src/renderer/src/views/review/lib'

describe('browse lib', () => {
  it('splits snippets into marked and plain text without interpreting HTML', () => {
    expect(snippetSegments('a [[b]] <img src=x> [[c]]')).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
      { text: ' <img src=x> ', match: false },
      { text: 'c', match: true }
    ])
  })

  it('labels rows', () => {
    expect(stateLabel({ state: 2, suspended: true, buried: false })).toBe('Suspended')
    expect(stateLabel({ state: 3, suspended: false, buried: false })).toBe('Relearning')
    expect(dueLabel({ state: 0, due: 0 })).toBe('–')
    expect(dueLabel({ state: 2, due: Date.UTC(2026, 0, 5) })).toBe('2026-01-05')
    expect(plainLine('What is **{{c1::SYN::flag}}**?\n```\ncode\n```')).toBe('What is SYN? [code]')
  })

  it('selects single rows and ranges', () => {
    const ids = ['a', 'b', 'c', 'd']
    let sel = toggleSelection(new Set(), ids, 'b', null, false)
    expect([...sel]).toEqual(['b'])
    sel = toggleSelection(sel, ids, 'd', 'b', true)
    expect([...sel].sort()).toEqual(['b', 'c', 'd'])
    sel = toggleSelection(sel, ids, 'c', 'b', false)
    expect([...sel].sort()).toEqual(['b', 'd'])
  })
})

describe('review lib', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods })

  it('maps Anki keys', () => {
    expect(keyAction(key(' '), false)).toEqual({ kind: 'reveal' })
    expect(keyAction(key('Enter'), true)).toEqual({ kind: 'grade', rating: 3 })
    expect(keyAction(key('1'), true)).toEqual({ kind: 'grade', rating: 1 })
    expect(keyAction(key('4'), false)).toBeNull()
    expect(keyAction(key('z', { ctrlKey: true }), true)).toEqual({ kind: 'undo' })
    expect(keyAction(key('Z'), true)).toEqual({ kind: 'undo' })
    expect(keyAction(key('e'), false)).toEqual({ kind: 'edit' })
    expect(keyAction(key('b'), true)).toEqual({ kind: 'bury' })
    expect(keyAction(key('s'), true)).toEqual({ kind: 'suspend' })
    expect(keyAction(key('Escape'), true)).toEqual({ kind: 'leave' })
    expect(keyAction(key('s', { ctrlKey: true }), true)).toBeNull()
  })

  it('summarizes a session', () => {
    expect(summarize([3, 1, 4, 3])).toEqual({ cards: 4, again: 1, accuracy: 0.75 })
    expect(summarize([]).accuracy).toBeNull()
    expect(clock(3_723_000)).toBe('1:02:03')
    expect(clock(65_000)).toBe('1:05')
    expect(dueIn(0, 90 * 60_000)).toBe('Next card due in 2 hours.')
    expect(dueIn(0, null)).toBe('Nothing is scheduled.')
  })
})
