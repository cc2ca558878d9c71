// Ids carry review history. A shipped note, card or quiz item whose id disappears is retired at the
// next sync and its learners lose its schedule, so splitting or rewording a card must keep the id of
// the part it still asks. shipped-ids.txt records every id the library ships (one a line, sorted):
// an id leaves it only on purpose, in the same commit that retires it, and new ids join it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContentTree } from '../../../src/main/content/load'

const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')
const LIST = join(import.meta.dirname, 'shipped-ids.txt')

describe('shipped ids', () => {
  const tree = loadContentTree(CONTENT)
  const present = new Set([
    ...tree.notes.map((n) => n.id),
    ...tree.cards.filter((c) => c.kind !== 'drill').map((c) => c.id),
    ...tree.quizItems.map((q) => q.id)
  ])
  const recorded = readFileSync(LIST, 'utf8').split('\n').filter(Boolean)

  it('keeps every id that has shipped (delete a line from shipped-ids.txt only to retire it on purpose)', () => {
    expect(recorded.filter((id) => !present.has(id))).toEqual([])
  })

  it('records every id it ships (add these lines to shipped-ids.txt)', () => {
    const known = new Set(recorded)
    expect([...present].filter((id) => !known.has(id)).sort()).toEqual([])
  })

  it('keeps the record sorted and free of repeats', () => {
    expect(recorded).toEqual([...new Set(recorded)].sort())
  })
})
