import { describe, expect, it } from 'vitest'
import { dueLabel, plainLine, snippetSegments, stateLabel, toggleSelection } from './lib'

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
    expect(plainLine('Name the region\n```occlusion\nimage: /media/a.png\nmask: /media/b.svg\n```')).toBe(
      'Name the region [image occlusion]'
    )
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
