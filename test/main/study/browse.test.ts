import { describe, expect, it } from 'vitest'
import { parseBrowseQuery } from '../../../src/main/study/browse-query'
import { syncContentDir } from '../../../src/main/content/sync'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { cardBlock, clozeBlock, deckMd, topicMd } from '../../helpers/content'
import { studyFixture } from '../../helpers/study'
import { tempDir, writeTree } from '../../helpers/temp'

describe('browse query parser', () => {
  it('reads words, phrases, negation and filters', () => {
    expect(parseBrowseQuery('syn -ack "three way" deck:tcp* tag:handshake is:due -is:suspended prop:lapses>3')).toEqual(
      [
        { kind: 'text', text: 'syn', phrase: false, negated: false },
        { kind: 'text', text: 'ack', phrase: false, negated: true },
        { kind: 'text', text: 'three way', phrase: true, negated: false },
        { kind: 'deck', pattern: 'tcp*', negated: false },
        { kind: 'tag', pattern: 'handshake', negated: false },
        { kind: 'is', what: 'due', negated: false },
        { kind: 'is', what: 'suspended', negated: true },
        { kind: 'prop', name: 'lapses', op: '>', value: 3, negated: false }
      ]
    )
    expect(parseBrowseQuery('deck:"TCP vs UDP"')).toEqual([{ kind: 'deck', pattern: 'tcp vs udp', negated: false }])
  })

  it('refuses unknown filters with a clear message', () => {
    expect(() => parseBrowseQuery('is:angry')).toThrow(/unknown is:angry/)
    expect(() => parseBrowseQuery('colour:red')).toThrow(/unknown filter colour/)
    expect(() => parseBrowseQuery('prop:lapses~3')).toThrow(/prop:/)
  })
})

describe('browse and edit', () => {
  function seeded() {
    const fx = studyFixture(3)
    const content = tempDir()
    writeTree(content, {
      'decks/tcp/deck.md': deckMd('TCP basics'),
      'decks/tcp/a.md': topicMd({
        id: 'tcp-a',
        tags: '[transport]',
        blocks: [
          cardBlock('t-syn', 'What starts a three-way handshake?', 'A SYN segment.', 'tags: handshake\n'),
          cardBlock('t-ack', 'What does ACK acknowledge?', 'The next expected sequence number.'),
          cardBlock('t-rst', 'What does RST do?', 'Aborts the connection.'),
          clozeBlock('t-flags', 'Flags: {{c1::SYN}} and {{c2::FIN}}.')
        ]
      })
    })
    syncContentDir(fx.collection.db, content, fx.clock())
    Object.assign(fx, { content })
    const db = fx.collection.db
    db.prepare("UPDATE cards SET lapses = 9, state = 2, due = ? WHERE id = 't-rst'").run(fx.clock() - 1000)
    db.prepare("UPDATE cards SET suspended = 1 WHERE id = 't-ack'").run()
    return fx
  }
  const ids = (result: { rows: { id: string }[] }) => result.rows.map((r) => r.id)
  const browse = (fx: ReturnType<typeof seeded>, query: string, sort: 'position' | 'lapses' = 'position') =>
    fx.handlers.browseCards({ query, sort, descending: false, limit: 100, offset: 0 }) as {
      total: number
      rows: { id: string }[]
    }

  it('filters by text, phrase, negation, deck, tag, state and property', () => {
    const fx = seeded()
    expect(ids(browse(fx, 'handshake'))).toEqual(['t-syn'])
    expect(ids(browse(fx, '"three-way handshake"'))).toEqual(['t-syn'])
    // The cloze cards mention SYN too, so both drop out.
    expect(ids(browse(fx, 'deck:tcp -syn'))).toEqual(['t-ack', 't-rst'])
    expect(ids(browse(fx, 'deck:"tcp basics" tag:handshake'))).toEqual(['t-syn'])
    expect(ids(browse(fx, 'deck:tc*'))).toHaveLength(5)
    expect(ids(browse(fx, 'is:suspended'))).toEqual(['t-ack'])
    expect(ids(browse(fx, 'is:leech'))).toEqual(['t-rst'])
    expect(ids(browse(fx, 'is:due deck:tcp'))).toEqual(['t-rst'])
    expect(ids(browse(fx, 'deck:tcp is:new -is:suspended'))).toEqual(['t-syn', 't-flags#c1', 't-flags#c2'])
    expect(ids(browse(fx, 'prop:lapses>8'))).toEqual(['t-rst'])
    expect(browse(fx, 'deck:tcp').total).toBe(5)
  })

  it('sorts and pages', () => {
    const fx = seeded()
    const sorted = fx.handlers.browseCards({
      query: 'deck:tcp',
      sort: 'lapses',
      descending: true,
      limit: 2,
      offset: 0
    }) as { total: number; rows: { id: string }[] }
    expect(sorted.total).toBe(5)
    expect(sorted.rows[0]!.id).toBe('t-rst')
    expect(sorted.rows).toHaveLength(2)
  })

  it('edits a card, keeping the edit through a later sync', async () => {
    const fx = seeded()
    const edited = await fx.handlers.updateCard({
      id: 't-syn',
      front: 'What opens a TCP connection?',
      back: 'SYN',
      tags: ['Handshake']
    })
    expect(edited).toMatchObject({ front: 'What opens a TCP connection?', tags: ['handshake'], edited: true })
    expect(ids(browse(fx, 'opens'))).toEqual(['t-syn'])
    const report = syncContentDir(fx.collection.db, (fx as unknown as { content: string }).content, fx.clock())
    expect(report.updated).toBe(0)
    expect(await fx.handlers.getCard({ id: 't-syn' })).toMatchObject({
      front: 'What opens a TCP connection?',
      edited: true
    })
  })

  it('applies bulk actions: suspend, tag, move, reset', () => {
    const fx = seeded()
    const dispatch = createDispatch(fx.handlers)
    expect(
      fx.handlers.bulkCards({ cardIds: ['t-syn', 't-rst'], action: { action: 'addTag', tag: 'review-me' } })
    ).toEqual({ changed: 2 })
    expect(ids(browse(fx, 'tag:review-me'))).toEqual(['t-syn', 't-rst'])
    expect(fx.handlers.bulkCards({ cardIds: ['t-rst'], action: { action: 'reset' } })).toEqual({ changed: 1 })
    expect(ids(browse(fx, 'is:new tag:review-me'))).toEqual(['t-syn', 't-rst'])
    const target = fx.handlers.createDeck({ title: 'Elsewhere' }) as { id: string }
    expect(fx.handlers.bulkCards({ cardIds: ['t-syn'], action: { action: 'move', deckId: target.id } })).toEqual({
      changed: 1
    })
    expect(ids(browse(fx, 'deck:elsewhere tag:review-me'))).toEqual(['t-syn'])
    expect(fx.handlers.bulkCards({ cardIds: ['t-ack'], action: { action: 'unsuspend' } })).toEqual({ changed: 1 })
    expect(() => fx.handlers.bulkCards({ cardIds: ['nope'], action: { action: 'suspend' } })).toThrow(/not found/)
    return expect(dispatch('bulkCards', { cardIds: ['../x'], action: { action: 'suspend' } })).resolves.toMatchObject({
      ok: false,
      code: 'validation'
    })
  })

  it('creates decks, cards (basic and cloze), notes and quiz items in the content syntax', async () => {
    const fx = seeded()
    const deck = fx.handlers.createDeck({ title: 'My Own Deck!' }) as { id: string }
    expect(deck.id).toBe('my-own-deck')
    expect((fx.handlers.createDeck({ title: 'My Own Deck!' }) as { id: string }).id).toBe('my-own-deck-2')
    const basic = await fx.handlers.createCard({ deckId: deck.id, kind: 'basic', front: 'Q?', back: 'A.', tags: [] })
    expect(basic).toMatchObject({ deckId: 'my-own-deck', origin: 'user', state: 0 })
    const cloze = await fx.handlers.createCard({
      deckId: deck.id,
      kind: 'cloze',
      front: '{{c1::x}} and {{c2::y}}',
      back: '',
      tags: []
    })
    expect(cloze.id).toMatch(/^u-[a-z0-9]+#c1$/)
    expect(ids(browse(fx, 'deck:my-own-deck'))).toHaveLength(3)
    const quiz = fx.handlers.createQuizItem({
      deckId: deck.id,
      block: '::: quiz my-q truefalse\nanswer: true\nUDP has no handshake.\n---\nRight.\n:::'
    })
    expect(quiz).toEqual({ id: 'my-q' })
    expect(() =>
      fx.handlers.createQuizItem({ deckId: deck.id, block: '::: quiz my-q truefalse\nanswer: true\nAgain.\n:::' })
    ).toThrow(/already used/)
    expect(() =>
      fx.handlers.createQuizItem({ deckId: deck.id, block: '::: quiz bad choice\nNo options.\n:::' })
    ).toThrow(/option/)
    expect(() => fx.handlers.createCard({ deckId: 'missing', kind: 'basic', front: 'Q', back: 'A', tags: [] })).toThrow(
      /deck not found/
    )
    const decks = await fx.handlers.listDecks({})
    expect(decks.find((d) => d.id === 'my-own-deck')).toMatchObject({ cards: 3, quizItems: 1, new: 3 })
  })
})

describe('notes', () => {
  it('reads and edits a long-form note, listing its cards', async () => {
    const fx = studyFixture(2)
    const note = await fx.handlers.getNote({ id: 'net-note' })
    expect(note).toMatchObject({
      id: 'net-note',
      deckId: 'net',
      origin: 'content',
      edited: false,
      cardIds: ['n1', 'n2']
    })
    const edited = await fx.handlers.updateNote({
      id: 'net-note',
      title: 'Net, rewritten',
      body: '# Net\n\nMine now.',
      tags: ['Mine']
    })
    expect(edited).toMatchObject({ title: 'Net, rewritten', body: '# Net\n\nMine now.', tags: ['mine'], edited: true })
    expect(() => fx.handlers.getNote({ id: 'nope' })).toThrow(/note not found/)
  })

  it('lists notes by deck, or those whose text matches', async () => {
    const fx = studyFixture(2)
    const all = await fx.handlers.listNotes({ query: '', limit: 500 })
    expect(all.map((n) => n.id)).toEqual(['net-note', 'other-note'])
    expect(all[0]).toMatchObject({ deckId: 'net', cards: 2, edited: false })
    expect((await fx.handlers.listNotes({ deckId: 'other', query: '', limit: 500 })).map((n) => n.id)).toEqual([
      'other-note'
    ])
    await fx.handlers.updateNote({ id: 'other-note', title: 'Other', body: 'Slow start doubles cwnd.', tags: [] })
    expect((await fx.handlers.listNotes({ query: 'doubles', limit: 500 })).map((n) => n.id)).toEqual(['other-note'])
    expect(await fx.handlers.listNotes({ query: 'doubles', deckId: 'net', limit: 500 })).toEqual([])
  })
})
