// The resizable split's arithmetic (SplitPane.svelte, issue 15).
import { describe, expect, it } from 'vitest'
import { clampShare, keyedShare, loadShare, saveShare, shareAt } from './split'

const limits = { size: 1000, minFirst: 200, minSecond: 300 }

describe('split', () => {
  it('keeps both panes at least their minimum size', () => {
    expect(clampShare(0.5, limits)).toBe(0.5)
    expect(clampShare(0.05, limits)).toBe(0.2)
    expect(clampShare(0.95, limits)).toBe(0.7)
    // A container too small for both minimums: the first pane's minimum wins.
    expect(clampShare(0.5, { size: 400, minFirst: 300, minSecond: 300 })).toBe(0.75)
  })

  it('follows the pointer and the keys', () => {
    expect(shareAt(420, limits)).toBe(0.42)
    expect(shareAt(-50, limits)).toBe(0.2)
    expect(keyedShare('ArrowRight', 0.5, limits)).toBeCloseTo(0.52)
    expect(keyedShare('ArrowUp', 0.5, limits)).toBeCloseTo(0.48)
    expect(keyedShare('PageDown', 0.5, limits)).toBeCloseTo(0.58)
    expect(keyedShare('Home', 0.5, limits)).toBe(0.2)
    expect(keyedShare('End', 0.5, limits)).toBe(0.7)
    expect(keyedShare('a', 0.5, limits)).toBeNull()
  })

  it('remembers a share per key and ignores what it cannot use', () => {
    const store = new Map<string, string>()
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v)
    }
    expect(loadShare(storage, 'drill', 0.3)).toBe(0.3)
    saveShare(storage, 'drill', 0.4567)
    expect(loadShare(storage, 'drill', 0.3)).toBe(0.4567)
    expect(loadShare(storage, 'other', 0.3)).toBe(0.3)
    store.set('retransmit.split.bad', 'NaN')
    expect(loadShare(storage, 'bad', 0.3)).toBe(0.3)
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      }
    }
    expect(loadShare(broken, 'drill', 0.3)).toBe(0.3)
    expect(() => saveShare(broken, 'drill', 0.5)).not.toThrow()
  })
})
