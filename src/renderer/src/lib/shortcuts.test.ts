// The `?` overlay lists every key (issue 15): its Review entries are checked against Review's own
// key handler, both ways.
import { describe, expect, it } from 'vitest'
import { opensShortcuts, SHORTCUTS } from './shortcuts'
import { keyAction } from '../views/review/lib'

const KEY_NAMES: Record<string, string> = { Space: ' ', Esc: 'Escape' }

/** The key events a listed combination stands for (`1…7` is seven of them). */
function eventsFor(
  combo: string[]
): Array<{ key: string; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> {
  const last = combo.at(-1)!
  const keys = /^(\d)…(\d)$/.test(last)
    ? Array.from({ length: Number(last[2]) - Number(last[0]) + 1 }, (_, i) => String(Number(last[0]) + i))
    : [KEY_NAMES[last] ?? last]
  return keys.map((key) => ({
    key,
    ctrlKey: combo.includes('Ctrl'),
    shiftKey: combo.includes('Shift'),
    altKey: combo.includes('Alt'),
    metaKey: false
  }))
}

describe('the shortcuts list', () => {
  const review = SHORTCUTS.find((g) => g.where === 'Review')!

  it('lists only keys that Review handles', () => {
    for (const shortcut of review.shortcuts) {
      for (const combo of shortcut.keys) {
        for (const event of eventsFor(combo)) {
          expect(
            keyAction(event, false) ?? keyAction(event, true),
            `${combo.join('+')} (${shortcut.does})`
          ).not.toBeNull()
        }
      }
    }
  })

  it('lists a key for everything Review does by key', () => {
    const listed = new Set(
      review.shortcuts.flatMap((s) =>
        s.keys.flatMap((combo) =>
          eventsFor(combo).flatMap((e) => [keyAction(e, false)?.kind, keyAction(e, true)?.kind])
        )
      )
    )
    for (const kind of ['reveal', 'grade', 'undo', 'redo', 'flag', 'edit', 'info', 'bury', 'suspend', 'leave'])
      expect(listed, kind).toContain(kind)
  })

  it('opens on ? except while typing', () => {
    const plain = { key: '?', ctrlKey: false, metaKey: false, altKey: false }
    expect(opensShortcuts(plain, { tagName: 'BUTTON', isContentEditable: false })).toBe(true)
    expect(opensShortcuts(plain, null)).toBe(true)
    expect(opensShortcuts(plain, { tagName: 'INPUT', isContentEditable: false })).toBe(false)
    expect(opensShortcuts(plain, { tagName: 'DIV', isContentEditable: true })).toBe(false)
    expect(opensShortcuts({ ...plain, ctrlKey: true }, null)).toBe(false)
    expect(opensShortcuts({ ...plain, key: '/' }, null)).toBe(false)
  })
})
