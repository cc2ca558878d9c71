import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import type { Db } from '../../../src/main/store/db'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir } from '../../helpers/temp'
import { count, fixture, one, rows } from './helpers'

const DAY_MS = 86_400_000

function copyFixture(name: string): string {
  const file = join(tempDir(), name)
  writeFileSync(file, readFileSync(fixture(name)))
  return file
}

function review(db: Db, cardId: string): void {
  db.prepare(
    'UPDATE cards SET state = 2, stability = 12.5, difficulty = 4.2, reps = 3, lapses = 1, due = ?, last_review = ? WHERE id = ?'
  ).run(FIXED_NOW + 5 * DAY_MS, FIXED_NOW, cardId)
  db.prepare(
    "INSERT INTO review_log (card_id, reviewed_at, rating, state, due, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, prev_card) VALUES (?, ?, 3, 2, ?, 12.5, 4.2, 0, 0, 5, '{}')"
  ).run(cardId, FIXED_NOW, FIXED_NOW + 5 * DAY_MS)
}

/** Inserts a new question 2 above "What is a SYN flood?" (which becomes question 3). */
function addQuestionAboveSynFlood(file: string): void {
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      '### **2. What is a SYN flood?**',
      '### **2. What is an ACK flood?**\n\nAn attack with bare ACKs.\n\n### **3. What is a SYN flood?**'
    )
  )
}

const SCHEDULING = 'SELECT state, stability, difficulty, reps, lapses, due, last_review FROM cards WHERE id = ?'

describe('re-importing the same file', () => {
  it.each(['interview-guide.md', 'cards.csv', 'topic.md'])('%s: changes nothing the second time', async (name) => {
    const { db } = tempDb()
    const first = await runImport(db, fixture(name), { now: FIXED_NOW })
    const counts = ['decks', 'notes', 'cards', 'quiz_items'].map((t) => count(db, t))
    const before = totalChanges(db)
    const second = await runImport(db, fixture(name), { now: FIXED_NOW + DAY_MS })
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: first.created })
    expect(totalChanges(db)).toBe(before)
    expect(['decks', 'notes', 'cards', 'quiz_items'].map((t) => count(db, t))).toEqual(counts)
  })

  it('updates an edited answer in place, keeping the card scheduling and its review log', async () => {
    const file = copyFixture('interview-guide.md')
    const { db } = tempDb()
    await runImport(db, file, { now: FIXED_NOW })
    const card = one(db, "SELECT id FROM cards WHERE front = 'What is a SYN flood?'").id as string
    review(db, card)
    const scheduled = one(db, SCHEDULING, card)

    // Edit one answer and renumber every question (numbers are not part of the id).
    const edited = readFileSync(file, 'utf8')
      .replace('filling the\nserver', 'exhausting the\nserver')
      .replace(/### \*\*(\d+)\./g, (_m, n: string) => `### **${Number(n) + 100}.`)
    writeFileSync(file, edited)
    const preview = await previewImport(db, file, { now: FIXED_NOW + DAY_MS })
    expect(preview.items.filter((i) => i.action === 'update').map((i) => [i.kind, i.title])).toEqual([
      ['note', 'What is a SYN flood?'],
      ['card', 'What is a SYN flood?']
    ])
    const summary = await runImport(db, file, { now: FIXED_NOW + DAY_MS })
    expect(summary).toMatchObject({ created: 0, updated: 2, unchanged: 21 })
    expect(count(db, 'cards')).toBe(11)
    expect(one(db, SCHEDULING, card)).toEqual(scheduled)
    expect(one(db, 'SELECT back, updated_at FROM cards WHERE id = ?', card)).toMatchObject({
      back: expect.stringContaining('exhausting the'),
      updated_at: FIXED_NOW + DAY_MS
    })
    expect(rows(db, 'SELECT card_id FROM review_log')).toEqual([{ card_id: card }])
  })

  it('keeps a card the user edited in the app and parks the imported text beside it', async () => {
    const file = copyFixture('cards.csv')
    const { db } = tempDb()
    await runImport(db, file, { now: FIXED_NOW })
    const card = one(db, "SELECT id FROM cards WHERE front = 'What port does HTTPS use?'").id as string
    db.prepare("UPDATE cards SET back = 'My own words', user_edited_at = ? WHERE id = ?").run(FIXED_NOW, card)
    writeFileSync(file, readFileSync(file, 'utf8').replace('443 (TCP; HTTP/3 uses UDP 443)', '443'))
    await runImport(db, file, { now: FIXED_NOW + DAY_MS })
    const row = one(db, 'SELECT back, shipped_json FROM cards WHERE id = ?', card)
    expect(row.back).toBe('My own words')
    expect(JSON.parse(row.shipped_json as string)).toMatchObject({ back: '443' })
  })

  // Regression (issue 13), the import side of content sync's test: a question added above a
  // card the user edited moves that card down the file, which is placement, not content.
  it('a question added above a card the user edited: the card is unchanged, nothing parked', async () => {
    const file = copyFixture('interview-guide.md')
    const { db } = tempDb()
    await runImport(db, file, { now: FIXED_NOW })
    const card = one(db, "SELECT id FROM cards WHERE front = 'What is a SYN flood?'")
    db.prepare("UPDATE cards SET back = 'My own words', user_edited_at = ? WHERE id = ?").run(FIXED_NOW, card.id)
    addQuestionAboveSynFlood(file)
    const summary = await runImport(db, file, { now: FIXED_NOW + DAY_MS })
    expect(summary).toMatchObject({ created: 2, updated: 0 })
    const row = one(db, 'SELECT back, shipped_json FROM cards WHERE id = ?', card.id)
    expect(row).toEqual({ back: 'My own words', shipped_json: null })
  })

  it('does not duplicate cards when a question is added in the middle', async () => {
    const file = copyFixture('interview-guide.md')
    const { db } = tempDb()
    await runImport(db, file, { now: FIXED_NOW })
    addQuestionAboveSynFlood(file)
    const summary = await runImport(db, file, { now: FIXED_NOW + DAY_MS })
    expect(summary).toMatchObject({ created: 2, updated: 0, unchanged: 23 })
    expect(count(db, 'cards')).toBe(12)
  })
})

describe('preview (dry run)', () => {
  it.each(['interview-guide.md', 'cards.csv', 'topic.md'])('%s: writes nothing', async (name) => {
    const { db } = tempDb()
    const before = totalChanges(db)
    const preview = await previewImport(db, fixture(name), { now: FIXED_NOW })
    expect(preview.created).toBeGreaterThan(0)
    expect(preview.items.every((i) => i.action === 'create')).toBe(true)
    expect(preview.items).toHaveLength(preview.created)
    expect(totalChanges(db)).toBe(before)
    expect(['decks', 'notes', 'cards', 'quiz_items'].map((t) => count(db, t))).toEqual([0, 0, 0, 0])
  })

  it('reports exactly what the real import then does', async () => {
    const { db } = tempDb()
    const preview = await previewImport(db, fixture('topic.md'), { now: FIXED_NOW })
    const { items, ...summary } = preview
    expect(await runImport(db, fixture('topic.md'), { now: FIXED_NOW })).toEqual(summary)
    expect(items.map((i) => i.id).sort()).toEqual(
      [
        ...rows(db, 'SELECT id FROM notes'),
        ...rows(db, 'SELECT id FROM cards'),
        ...rows(db, 'SELECT id FROM quiz_items')
      ]
        .map((r) => r.id)
        .sort()
    )
    const again = await previewImport(db, fixture('topic.md'), { now: FIXED_NOW })
    expect(again.items.every((i) => i.action === 'unchanged')).toBe(true)
  })
})
