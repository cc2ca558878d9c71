// Undo and redo of every study action, checked as exact snapshots of the affected tables:
// after undo every row is as it was before the action (updated_at included, no leftover
// zero rows in card_counts or review_daily), and after redo as it was after the action.
import { describe, expect, it } from 'vitest'
import type { Db } from '../../../src/main/store/db'
import { studyFixture, type StudyFixture } from '../../helpers/study'
import { makePackage } from '../../fixtures/import/anki-package'
import { samplePackage } from '../../fixtures/import/anki-sample'

const TABLES = {
  decks: 'seq',
  notes: 'seq',
  cards: 'seq',
  quiz_items: 'seq',
  review_log: 'id',
  card_counts: 'deck_id, state, suspended, mature',
  review_daily: 'study_day, deck_id'
}

function snapshot(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(TABLES).map(([table, order]) => [
      table,
      db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all()
    ])
  )
}

/** Full-text search still finds what the rows say (the FTS tables follow restored rows). */
function ftsConsistent(db: Db): void {
  for (const check of [
    "INSERT INTO cards_fts(cards_fts, rank) VALUES ('integrity-check', 1)",
    "INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)"
  ]) {
    db.exec(check)
  }
}

/** Runs `action`, then checks undo restores the before snapshot exactly and redo the after one. */
async function checkUndo(
  fx: StudyFixture,
  label: string,
  action: () => unknown
): Promise<{ before: Record<string, unknown[]>; after: Record<string, unknown[]> }> {
  const db = fx.collection.db
  const before = snapshot(db)
  fx.clock.advance(1000) // so that updated_at would differ if a row were not restored
  await action()
  const after = snapshot(db)
  expect(after).not.toEqual(before)
  fx.clock.advance(1000)
  const undone = await fx.handlers.undo({})
  expect(undone.label).toBe(label)
  expect(undone.history.redo).toBe(label)
  expect(snapshot(db)).toEqual(before)
  ftsConsistent(db)
  fx.clock.advance(1000)
  const redone = await fx.handlers.redo({})
  expect(redone.label).toBe(label)
  expect(snapshot(db)).toEqual(after)
  ftsConsistent(db)
  return { before, after }
}

async function answer(fx: StudyFixture, cardId: string, rating: 1 | 2 | 3 | 4) {
  return fx.handlers.answerCard({ cardId, rating, durationMs: 3000 })
}

describe('undo and redo restore the rows exactly', () => {
  it('an answer: the card, its log row, the day totals and the card counts', async () => {
    const fx = studyFixture()
    const { before, after } = await checkUndo(fx, 'Answer Good', () => answer(fx, 'n1', 3))
    expect(after.review_log).toHaveLength(1)
    expect(before.review_daily).toEqual([])
    expect(after.review_daily).toHaveLength(1)
  })

  it('a second answer on the same day: the existing totals row goes back to its old numbers', async () => {
    const fx = studyFixture()
    await answer(fx, 'n1', 3)
    const { before } = await checkUndo(fx, 'Answer Again', () => answer(fx, 'n2', 1))
    expect(before.review_daily).toHaveLength(1)
  })

  it('bury, suspend, flag', async () => {
    const fx = studyFixture()
    await checkUndo(fx, 'Bury', () => fx.handlers.buryCard({ cardId: 'n1' }))
    await checkUndo(fx, 'Suspend', () => fx.handlers.suspendCard({ cardId: 'n2' }))
    await checkUndo(fx, 'Flag', () => fx.handlers.flagCards({ cardIds: ['n3', 'n4'], flag: 2 }))
  })

  it("Browse's bulk actions: unsuspend, reset, tag, untag, move", async () => {
    const fx = studyFixture()
    await fx.handlers.suspendCard({ cardId: 'n1' })
    await answer(fx, 'n2', 4)
    await checkUndo(fx, 'Unsuspend', () => fx.handlers.bulkCards({ cardIds: ['n1'], action: { action: 'unsuspend' } }))
    await checkUndo(fx, 'Reset', () => fx.handlers.bulkCards({ cardIds: ['n2'], action: { action: 'reset' } }))
    await checkUndo(fx, 'Add tag', () =>
      fx.handlers.bulkCards({ cardIds: ['n1', 'n3'], action: { action: 'addTag', tag: 'tricky' } })
    )
    await fx.handlers.bulkCards({ cardIds: ['n1'], action: { action: 'addTag', tag: 'tricky' } })
    await checkUndo(fx, 'Remove tag', () =>
      fx.handlers.bulkCards({ cardIds: ['n1'], action: { action: 'removeTag', tag: 'tricky' } })
    )
    await checkUndo(fx, 'Move', () =>
      fx.handlers.bulkCards({ cardIds: ['n4', 'n5'], action: { action: 'move', deckId: 'other' } })
    )
  })

  it('editing a card and a note (full-text search follows)', async () => {
    const fx = studyFixture()
    await checkUndo(fx, 'Edit card', () =>
      fx.handlers.updateCard({ id: 'n1', front: 'Rewritten zebra question?', back: 'Answer.', tags: ['x'] })
    )
    const browse = { query: 'zebra', sort: 'position', descending: false, limit: 10, offset: 0 } as const
    const found = await fx.handlers.browseCards(browse)
    expect(found.rows.map((r) => r.id)).toEqual(['n1']) // redone: the new text is searchable
    await fx.handlers.undo({})
    expect((await fx.handlers.browseCards(browse)).total).toBe(0)
    await checkUndo(fx, 'Edit note', () =>
      fx.handlers.updateNote({ id: 'net-note', title: 'Net', body: 'New body', tags: [] })
    )
  })

  it('an import: its decks, notes and cards are removed again, and redo puts them back', async () => {
    const fx = studyFixture()
    const csv = 'front,back,tags\nWhat is RTT?,Round-trip time,basics\nWhat is MSS?,Maximum segment size,tcp\n'
    const input = { fileName: 'terms.csv', dataBase64: Buffer.from(csv).toString('base64') }
    const { before, after } = await checkUndo(fx, 'Import terms.csv', () => fx.handlers.runImport(input))
    expect((after.cards as unknown[]).length - (before.cards as unknown[]).length).toBe(2)
    expect((after.decks as unknown[]).length - (before.decks as unknown[]).length).toBe(1)
  })

  it('an Anki import: its review history goes with its cards, and redo brings both back', async () => {
    const fx = studyFixture()
    const apkg = makePackage(samplePackage('anki21b'))
    const input = { fileName: 'sample.apkg', dataBase64: Buffer.from(apkg).toString('base64') }
    const { before, after } = await checkUndo(fx, 'Import sample.apkg', () => fx.handlers.runImport(input))
    // Every revlog row of the package became a review row, and undo (checked above) removed them all.
    const imported = (after.review_log as unknown[]).length - (before.review_log as unknown[]).length
    expect(imported).toBe(samplePackage('anki21b').revlog!.length)
  })

  it('adding cards (a cloze block makes one per deletion) and a note', async () => {
    const fx = studyFixture()
    await checkUndo(fx, 'Add card', () =>
      fx.handlers.createCard({
        deckId: 'net',
        kind: 'cloze',
        front: '{{c1::SYN}} then {{c2::SYN-ACK}}',
        back: '',
        tags: []
      })
    )
    await checkUndo(fx, 'Add note', () =>
      fx.handlers.createNote({ deckId: 'net', title: 'Handshake', body: 'Three segments.', tags: [] })
    )
  })

  it('keeps the last 30 actions', async () => {
    const fx = studyFixture()
    for (let i = 0; i < 31; i++) await fx.handlers.flagCards({ cardIds: ['n1'], flag: (i % 7) + 1 })
    let undone = 0
    while ((await fx.handlers.undo({})).label) undone++
    expect(undone).toBe(30)
  })

  it('a leech and the siblings an answer buried come back with one undo', async () => {
    const fx = studyFixture()
    const db = fx.collection.db
    // oz#c1 in review with 7 lapses; failing it makes the 8th: tagged leech and suspended.
    db.prepare(
      "UPDATE cards SET state = 2, stability = 3, difficulty = 7, reps = 12, lapses = 7, scheduled_days = 3, last_review = ?, due = ? WHERE id = 'oz#c1'"
    ).run(fx.clock() - 4 * 86_400_000, fx.clock() - 86_400_000)
    const { after } = await checkUndo(fx, 'Answer Again', () => answer(fx, 'oz#c1', 1))
    const rows = after.cards as { id: string; tags: string; suspended: number; buried_until: number | null }[]
    expect(rows.find((c) => c.id === 'oz#c1')).toMatchObject({ tags: 'leech', suspended: 1 })
    expect(rows.find((c) => c.id === 'oz#c2')?.buried_until).toBeGreaterThan(fx.clock())
  })

  it('undoes several actions in reverse order, and a new action clears what could be redone', async () => {
    const fx = studyFixture()
    const db = fx.collection.db
    const start = snapshot(db)
    await answer(fx, 'n1', 3)
    await fx.handlers.buryCard({ cardId: 'n2' })
    await fx.handlers.suspendCard({ cardId: 'n3' })
    expect(await fx.handlers.undoStatus({})).toEqual({ undo: 'Suspend', redo: null })
    expect((await fx.handlers.undo({})).label).toBe('Suspend')
    expect((await fx.handlers.undo({})).label).toBe('Bury')
    expect((await fx.handlers.undo({})).label).toBe('Answer Good')
    expect(snapshot(db)).toEqual(start)
    expect((await fx.handlers.undo({})).label).toBeNull()
    await fx.handlers.redo({})
    expect(await fx.handlers.undoStatus({})).toEqual({ undo: 'Answer Good', redo: 'Bury' })
    await fx.handlers.buryCard({ cardId: 'n4' })
    expect(await fx.handlers.undoStatus({})).toEqual({ undo: 'Bury', redo: null })
  })

  it('refuses to undo over a change made outside the history, and changes nothing', async () => {
    const fx = studyFixture()
    const db = fx.collection.db
    await answer(fx, 'n1', 3)
    // A quiz answer (not an undo step) changes the same card afterwards.
    db.prepare("UPDATE cards SET reps = reps + 1 WHERE id = 'n1'").run()
    const changed = snapshot(db)
    expect(() => fx.handlers.undo({})).toThrow(/cannot undo "Answer Good": a row of cards changed since/)
    expect(snapshot(db)).toEqual(changed)
    expect(await fx.handlers.undoStatus({})).toEqual({ undo: null, redo: null })
  })

  it('a content sync ends the history (its rows must not be overwritten by an undo)', async () => {
    const fx = studyFixture()
    await answer(fx, 'n1', 3)
    await fx.handlers.syncContent({})
    expect(await fx.handlers.undoStatus({})).toEqual({ undo: null, redo: null })
  })
})
