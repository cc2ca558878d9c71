import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport, runImport } from '../../../src/main/import'
import { syncContentDir } from '../../../src/main/content/sync'
import { ContentError } from '../../../src/shared/errors'
import { cardBlock, deckMd, quizBlock, topicMd } from '../../helpers/content'
import { tempDb, totalChanges } from '../../helpers/db'
import { FIXED_NOW, tempDir, writeTree } from '../../helpers/temp'
import { count, fixture, one, rows } from './helpers'

describe('content-format import', () => {
  it('imports a single topic file with the ids it names, every quiz type and cloze cards', async () => {
    const { db } = tempDb()
    const summary = await runImport(db, fixture('topic.md'), { now: FIXED_NOW })
    // note + card + 3 cloze cards + 6 quiz items
    expect(summary).toMatchObject({ deck: 'transport-odds-and-ends', format: 'content', created: 11, warnings: [] })
    expect(one(db, 'SELECT id, title, origin FROM decks')).toEqual({
      id: 'transport-odds-and-ends',
      title: 'Transport odds and ends',
      origin: 'import'
    })
    expect(one(db, "SELECT title, tags, origin FROM notes WHERE id = 'imported-transport'")).toEqual({
      title: 'Transport odds and ends',
      tags: 'transport',
      origin: 'import'
    })
    expect(rows(db, 'SELECT id, kind, note_id, tags FROM cards ORDER BY position')).toEqual([
      { id: 'imported-port-range', kind: 'basic', note_id: 'imported-transport', tags: 'transport ports' },
      { id: 'imported-handshake#c1', kind: 'cloze', note_id: 'imported-transport', tags: 'transport' },
      { id: 'imported-handshake#c2', kind: 'cloze', note_id: 'imported-transport', tags: 'transport' },
      { id: 'imported-handshake#c3', kind: 'cloze', note_id: 'imported-transport', tags: 'transport' }
    ])
    expect(rows(db, 'SELECT type FROM quiz_items ORDER BY position').map((r) => r.type)).toEqual([
      'choice',
      'truefalse',
      'typein',
      'cloze',
      'order',
      'match'
    ])
    expect(JSON.parse(one(db, "SELECT data FROM quiz_items WHERE id = 'imported-typein'").data as string)).toEqual({
      type: 'typein',
      answers: ['8', 'eight']
    })
  })

  it('imports a folder laid out like content/, one deck per folder', async () => {
    const dir = tempDir()
    writeTree(dir, {
      'decks/alpha/deck.md': deckMd('Alpha', 'description: First deck\n'),
      'decks/alpha/a.md': topicMd({ id: 'alpha-note', blocks: [cardBlock('alpha-1'), cardBlock('alpha-2')] }),
      'decks/beta/deck.md': deckMd('Beta'),
      'decks/beta/b.md': topicMd({
        id: 'beta-note',
        note: '',
        blocks: [quizBlock('beta-q', 'truefalse', 'Yes?\n---\nYes.', 'answer: true\ncard: alpha-1\n')]
      })
    })
    const { db } = tempDb()
    const summary = await runImport(db, dir, { now: FIXED_NOW })
    expect(summary).toMatchObject({ deck: 'alpha, beta', format: 'content', created: 4 })
    expect(rows(db, 'SELECT id, title, description, origin FROM decks ORDER BY id')).toEqual([
      { id: 'alpha', title: 'Alpha', description: 'First deck', origin: 'import' },
      { id: 'beta', title: 'Beta', description: '', origin: 'import' }
    ])
    expect(one(db, "SELECT deck_id, card_id FROM quiz_items WHERE id = 'beta-q'")).toEqual({
      deck_id: 'beta',
      card_id: 'alpha-1'
    })
  })

  it('puts a whole folder into one deck with --deck', async () => {
    const dir = tempDir()
    writeTree(dir, {
      'decks/alpha/deck.md': deckMd('Alpha'),
      'decks/alpha/a.md': topicMd({ id: 'alpha-note', blocks: [cardBlock('alpha-1')] }),
      'decks/beta/deck.md': deckMd('Beta'),
      'decks/beta/b.md': topicMd({ id: 'beta-note', blocks: [cardBlock('beta-1')] })
    })
    const { db } = tempDb()
    await runImport(db, dir, { now: FIXED_NOW, deck: 'Everything' })
    expect(rows(db, 'SELECT DISTINCT deck_id FROM cards')).toEqual([{ deck_id: 'everything' }])
    expect(count(db, 'decks')).toBe(1)
  })

  it('rejects a topic file with a content error, naming file and line, and writes nothing', async () => {
    const dir = tempDir()
    writeTree(dir, {
      'broken.md': topicMd({
        id: 'broken',
        blocks: ['::: card ok-card\nQ?\n---\nA.\n:::', '::: card bad-card\nno separator\n:::']
      })
    })
    const { db } = tempDb()
    const before = totalChanges(db)
    const attempt = runImport(db, join(dir, 'broken.md'), { now: FIXED_NOW })
    await expect(attempt).rejects.toBeInstanceOf(ContentError)
    await expect(attempt).rejects.toMatchObject({ file: 'broken.md', line: 15 })
    expect(totalChanges(db)).toBe(before)
  })

  it('rejects a folder with a broken file as a whole', async () => {
    const dir = tempDir()
    writeTree(dir, {
      'decks/alpha/deck.md': deckMd('Alpha'),
      'decks/alpha/a.md': topicMd({ id: 'alpha-note', blocks: [cardBlock('alpha-1')] }),
      'decks/alpha/b.md': '---\nid: beta\nauthor: me\n---\n'
    })
    const { db } = tempDb()
    await expect(runImport(db, dir, { now: FIXED_NOW })).rejects.toMatchObject({
      code: 'content',
      file: 'decks/alpha/b.md',
      line: 3
    })
    expect(count(db, 'cards')).toBe(0)
  })

  it('never overwrites shipped content that uses the same id, and says so', async () => {
    const shipped = tempDir()
    writeTree(shipped, {
      'decks/net/deck.md': deckMd('Net'),
      'decks/net/a.md': topicMd({ id: 'net-note', blocks: [cardBlock('imported-port-range', 'Shipped question?')] })
    })
    const { db } = tempDb()
    syncContentDir(db, shipped, FIXED_NOW)
    const preview = await previewImport(db, fixture('topic.md'), { now: FIXED_NOW })
    expect(preview.warnings).toContainEqual({
      line: 11,
      message: expect.stringContaining('`imported-port-range` already belongs to the shipped content')
    })
    expect(preview.items.map((i) => i.id)).not.toContain('imported-port-range')
    await runImport(db, fixture('topic.md'), { now: FIXED_NOW })
    expect(one(db, "SELECT front, origin, deck_id FROM cards WHERE id = 'imported-port-range'")).toEqual({
      front: 'Shipped question?',
      origin: 'content',
      deck_id: 'net'
    })
    // And content sync leaves imported rows alone: they are not the shipped library's to retire.
    syncContentDir(db, shipped, FIXED_NOW + 1)
    expect(one(db, "SELECT retired_at FROM cards WHERE id = 'imported-handshake#c1'")).toEqual({ retired_at: null })
  })
})
