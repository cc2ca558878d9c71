// Every keyboard shortcut in the app, in one list: the `?` overlay shows it, and a test checks the
// Review entries against the key handler itself (shortcuts.test.ts beside it).

export interface Shortcut {
  /** Each key combination, as written on the keycaps (`Ctrl`, `Shift`, `Enter`, `Z`...). */
  keys: string[][]
  does: string
}

export interface ShortcutGroup {
  where: string
  shortcuts: Shortcut[]
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    where: 'Anywhere',
    shortcuts: [
      { keys: [['Alt', '1…7']], does: 'Home, Review, Quiz, Drills, Browse, Stats, Settings' },
      { keys: [['?']], does: 'show this list of keys' },
      { keys: [['Tab'], ['Shift', 'Tab']], does: 'move between controls' }
    ]
  },
  {
    where: 'Review',
    shortcuts: [
      { keys: [['Space'], ['Enter']], does: 'show the answer; once shown, grade Good' },
      { keys: [['1'], ['2'], ['3'], ['4']], does: 'grade Again, Hard, Good, Easy' },
      { keys: [['Z'], ['Ctrl', 'Z']], does: 'undo the last action' },
      {
        keys: [
          ['Ctrl', 'Shift', 'Z'],
          ['Ctrl', 'Y']
        ],
        does: 'redo'
      },
      { keys: [['Ctrl', '1…7']], does: 'flag the card (the same key again removes it)' },
      { keys: [['E']], does: 'edit the card' },
      { keys: [['I']], does: 'card info' },
      { keys: [['B']], does: 'bury until tomorrow' },
      { keys: [['S']], does: 'suspend' },
      { keys: [['Esc']], does: 'leave' }
    ]
  },
  {
    where: 'Quiz',
    shortcuts: [
      { keys: [['1…9']], does: 'choose an option (true/false: 1 true, 2 false)' },
      { keys: [['Enter']], does: 'check the answer, then go on' },
      { keys: [['↑'], ['↓']], does: 'move the focused step of an ordering item' }
    ]
  },
  {
    where: 'Drills',
    shortcuts: [
      { keys: [['Ctrl', 'Enter']], does: 'Run: the visible tests' },
      { keys: [['Ctrl', 'Shift', 'Enter']], does: 'Submit: visible and hidden tests, graded' },
      { keys: [['↑'], ['↓'], ['Home'], ['End']], does: 'in the trace: move between arrows' },
      { keys: [['Enter'], ['Space']], does: 'in the trace: show the arrow’s bytes' }
    ]
  },
  {
    where: 'Browse',
    shortcuts: [
      { keys: [['Ctrl', '1…7']], does: 'flag the selected cards (or the card being edited)' },
      { keys: [['Ctrl', 'Z']], does: 'undo' },
      { keys: [['Ctrl', 'Shift', 'Z']], does: 'redo' },
      {
        keys: [
          ['Shift', 'click'],
          ['Ctrl', 'click']
        ],
        does: 'select a range, or one more card'
      }
    ]
  },
  {
    where: 'Editors (card, note, Add)',
    shortcuts: [
      { keys: [['Ctrl', 'Enter']], does: 'save' },
      { keys: [['Esc']], does: 'cancel' }
    ]
  },
  {
    where: 'Dividers between panes',
    shortcuts: [
      { keys: [['←'], ['→'], ['↑'], ['↓']], does: 'move the divider' },
      { keys: [['Page Up'], ['Page Down']], does: 'move it further' },
      { keys: [['Home'], ['End']], does: 'to either end' }
    ]
  }
]

/** `?` opens the overlay, unless the key is being typed into a field or an editor. */
export function opensShortcuts(
  event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean },
  target: { tagName: string; isContentEditable: boolean } | null
): boolean {
  if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return false
  if (!target) return true
  return !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && !target.isContentEditable
}
