// The quiz service on a real collection in a temp folder, fed by fixture content that has
// every quiz type, items linked to a card, to a whole cloze block and to one cloze card.
import { describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { listQuizHistory } from '../../../src/main/store/quiz'
import { pickItems } from '../../../src/main/study/quiz'
import type { QuizData } from '../../../src/shared/domain'
import { ValidationError, NotFoundError } from '../../../src/shared/errors'
import type { QuizAnswer, QuizFeedback, QuizItemView, QuizSession, QuizSummary } from '../../../src/shared/study'
import { cardBlock, clozeBlock, deckMd, quizBlock, topicMd } from '../../helpers/content'
import { fixedClock, tempDir, writeTree } from '../../helpers/temp'

const DAY_MS = 86_400_000

function fixture(): string {
  const dir = tempDir('retransmit-quiz-content-')
  writeTree(dir, {
    'decks/net/deck.md': deckMd('Networking', 'position: 1\n'),
    'decks/net/basics.md': topicMd({
      id: 'net-basics',
      tags: 'transport',
      blocks: [
        cardBlock('syn-card', 'Which flag opens a TCP connection?', 'SYN.'),
        cardBlock('udp-card', 'How long is the UDP header?', '8 bytes.'),
        cardBlock('order-card', 'TLS 1.3 handshake order?', 'ClientHello, ServerHello, Finished.'),
        clozeBlock('flags', 'Open with {{c1::SYN}}, answer {{c2::SYN-ACK}}, confirm {{c3::ACK}}.'),
        quizBlock(
          'q-choice',
          'choice',
          'Which flag opens a connection?\n\n- [x] SYN\n- [ ] FIN\n- [ ] RST\n---\nSYN starts the handshake.',
          'card: syn-card\n'
        ),
        quizBlock(
          'q-multi',
          'choice',
          'Which are connection-oriented?\n\n- [x] TCP\n- [ ] UDP\n- [x] QUIC\n---\nBoth keep connection state.'
        ),
        quizBlock(
          'q-tf',
          'truefalse',
          'UDP retransmits lost datagrams.\n---\nIt does not; the application must.',
          'answer: false\n'
        ),
        quizBlock(
          'q-typein',
          'typein',
          'How many bytes long is the UDP header?\n---\nFour 16-bit fields (RFC 768).',
          'card: udp-card\nanswer: 8 | eight\n'
        ),
        quizBlock(
          'q-cloze',
          'cloze',
          'UDP has {{c1::8}} header bytes, TCP at least {{c2::20 | twenty}}.\n---\nRFC 768, RFC 9293.',
          'card: flags\n'
        ),
        quizBlock(
          'q-order',
          'order',
          'Put these in order.\n\n1. ClientHello\n2. ServerHello\n3. Certificate\n4. Finished\n---\nRFC 8446 §2.',
          'card: order-card\n'
        ),
        quizBlock(
          'q-match',
          'match',
          'Match each protocol to what it carries.\n\n- TCP => byte stream\n- UDP => datagrams\n- SCTP => messages\n---\nBy design.',
          'card: flags#c2\n'
        )
      ]
    }),
    'decks/web/deck.md': deckMd('Web', 'position: 2\n'),
    'decks/web/http.md': topicMd({
      id: 'web-http',
      note: '',
      blocks: [
        quizBlock(
          'w-1',
          'truefalse',
          'HTTP/1.1 keeps connections open by default.\n---\nRFC 9112 §9.3.',
          'answer: true\ntags: http\n'
        ),
        quizBlock('w-2', 'typein', 'Status code for Switching Protocols?\n---\nRFC 9110.', 'answer: 101\ntags: http\n'),
        quizBlock('w-3', 'truefalse', 'Cookies are part of TCP.\n---\nNo.', 'answer: false\n')
      ]
    })
  })
  return dir
}

function setup(): { c: Collection; clock: ReturnType<typeof fixedClock> } {
  const clock = fixedClock()
  const c = openCollection({
    dataDir: tempDir('retransmit-quiz-data-'),
    contentDir: fixture(),
    door: 'http',
    clock,
    tzOffset: () => 0
  })
  expect(c.lastSync()?.problems).toEqual([])
  return { c, clock }
}

const start = (
  c: Collection,
  input: Partial<{ deckIds: string[]; tags: string[]; count: number; timeLimitSec: number | null }> = {}
) => c.handlers.startQuiz({ deckIds: [], tags: [], count: 50, timeLimitSec: null, ...input }) as QuizSession

// The handlers are synchronous for quizzes; the contract's type also allows promises.
const answerOf = (c: Collection, sessionId: number, itemId: string, answer: QuizAnswer) =>
  c.handlers.answerQuizItem({ sessionId, itemId, answer }) as QuizFeedback

const finish = (c: Collection, sessionId: number) => c.handlers.finishQuiz({ sessionId }) as QuizSummary

function storedData(c: Collection, itemId: string): QuizData {
  return JSON.parse(
    (c.db.prepare('SELECT data FROM quiz_items WHERE id = ?').get(itemId) as { data: string }).data
  ) as QuizData
}

/** The right answer to a shown item, worked out from the stored item (as a learner who knows it would). */
function rightAnswer(c: Collection, view: QuizItemView): QuizAnswer {
  const data = storedData(c, view.id)
  switch (data.type) {
    case 'choice':
      return { type: 'choice', selected: data.options.flatMap((o, i) => (o.correct ? [i] : [])) }
    case 'truefalse':
      return { type: 'truefalse', value: data.answer }
    case 'typein':
      return { type: 'typein', text: `  ${data.answers[0]!.toUpperCase()} ` }
    case 'cloze':
      return { type: 'cloze', texts: data.blanks.map((b) => b.answer.split('|')[0]!.trim()) }
    case 'order':
      return { type: 'order', order: data.items.map((step) => (view.type === 'order' ? view.items.indexOf(step) : -1)) }
    case 'match':
      return { type: 'match', pairs: data.pairs.map((p) => (view.type === 'match' ? view.right.indexOf(p.right) : -1)) }
  }
}

function wrongAnswer(view: QuizItemView): QuizAnswer {
  switch (view.type) {
    case 'choice':
      return { type: 'choice', selected: [] }
    case 'truefalse':
      return { type: 'truefalse', value: view.id === 'q-tf' || view.id === 'w-3' ? true : false }
    case 'typein':
      return { type: 'typein', text: 'no idea' }
    case 'cloze':
      return { type: 'cloze', texts: ['?', '?'] }
    case 'order':
      return { type: 'order', order: view.items.map((_, i) => i) } // as shown, never the right order
    case 'match':
      return { type: 'match', pairs: view.left.map(() => 0) }
  }
}

function logFor(c: Collection, cardId: string): { rating: number; source: string }[] {
  return c.db.prepare('SELECT rating, source FROM review_log WHERE card_id = ? ORDER BY id').all(cardId) as {
    rating: number
    source: string
  }[]
}

function cardState(c: Collection, cardId: string): number {
  return (c.db.prepare('SELECT state FROM cards WHERE id = ?').get(cardId) as { state: number }).state
}

function itemOf(session: QuizSession, id: string): QuizItemView {
  const item = session.items.find((i) => i.id === id)
  if (!item) throw new Error(`${id} is not in the session`)
  return item
}

describe('starting a quiz', () => {
  it('takes every active item of the chosen decks, each type shown without its answer', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['net'] })
    expect(session.items.map((i) => i.id).sort()).toEqual([
      'q-choice',
      'q-cloze',
      'q-match',
      'q-multi',
      'q-order',
      'q-tf',
      'q-typein'
    ])
    expect(new Set(session.items.map((i) => i.type))).toEqual(
      new Set(['choice', 'truefalse', 'typein', 'cloze', 'order', 'match'])
    )
    expect(session.items.every((i) => i.deckId === 'net')).toBe(true)
    expect(session.timeLimitSec).toBeNull()

    const text = JSON.stringify(session)
    expect(text).not.toMatch(/correct|answer|explanation/i)
    expect(text).not.toContain('{{c')
    expect(text).not.toContain('twenty')
    expect(itemOf(session, 'q-cloze')).toMatchObject({
      blanks: 2,
      prompt: 'UDP has [1] header bytes, TCP at least [2].'
    })
    expect(itemOf(session, 'q-multi')).toMatchObject({ multiple: true, options: ['TCP', 'UDP', 'QUIC'] })
    const order = itemOf(session, 'q-order')
    expect(order.type === 'order' && order.items).not.toEqual(['ClientHello', 'ServerHello', 'Certificate', 'Finished'])
  })

  it('keeps to the count, the decks and the tags, and all decks when neither is given', () => {
    const { c } = setup()
    expect(start(c, { count: 3 }).items).toHaveLength(3)
    expect(start(c).items).toHaveLength(10)
    expect(
      start(c, { deckIds: ['web'] })
        .items.map((i) => i.id)
        .sort()
    ).toEqual(['w-1', 'w-2', 'w-3'])
    expect(
      start(c, { tags: ['http'] })
        .items.map((i) => i.id)
        .sort()
    ).toEqual(['w-1', 'w-2'])
    expect(
      start(c, { deckIds: ['net', 'web'], tags: ['transport'], count: 2 }).items.every((i) => i.deckId === 'net')
    ).toBe(true)
  })

  it('refuses a set-up that matches nothing', () => {
    const { c } = setup()
    expect(() => start(c, { deckIds: ['net'], tags: ['http'] })).toThrow(ValidationError)
  })

  it('leaves retired items out', () => {
    const { c, clock } = setup()
    c.db.prepare('UPDATE quiz_items SET retired_at = ? WHERE id = ?').run(clock(), 'w-1')
    expect(
      start(c, { deckIds: ['web'] })
        .items.map((i) => i.id)
        .sort()
    ).toEqual(['w-2', 'w-3'])
  })

  it('favours items missed last time, then unseen ones, over items just answered right', () => {
    const { c, clock } = setup()
    const first = start(c, { deckIds: ['web'] })
    answerOf(c, first.id, 'w-1', { type: 'truefalse', value: false }) // missed
    answerOf(c, first.id, 'w-2', { type: 'typein', text: '101' }) // right
    finish(c, first.id)
    clock.advance(60_000)
    // w-3 was never answered; w-1 was missed: those two come before w-2.
    for (let i = 0; i < 5; i++)
      expect(
        start(c, { deckIds: ['web'], count: 2 })
          .items.map((x) => x.id)
          .sort()
      ).toEqual(['w-1', 'w-3'])
  })

  it('pickItems: missed, then never seen, then oldest seen; the pick is shuffled', () => {
    const candidates = [
      { id: 'recent', deckId: 'd', lastSeen: 900, lastCorrect: true },
      { id: 'old', deckId: 'd', lastSeen: 100, lastCorrect: true },
      { id: 'new', deckId: 'd', lastSeen: null, lastCorrect: null },
      { id: 'missed', deckId: 'd', lastSeen: 950, lastCorrect: false }
    ]
    let n = 0
    const random = () => ((n = (n * 7 + 3) % 11), n / 11)
    expect(
      pickItems(candidates, 3, random)
        .map((c) => c.id)
        .sort()
    ).toEqual(['missed', 'new', 'old'])
    expect(pickItems(candidates, 1, random).map((c) => c.id)).toEqual(['missed'])
    expect(pickItems(candidates, 10, random)).toHaveLength(4)
  })
})

describe('answering', () => {
  it('records right and wrong answers for every type and gives the expected answer and explanation', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['net'] })
    for (const item of session.items) {
      const feedback = answerOf(c, session.id, item.id, rightAnswer(c, item))
      expect(feedback, item.id).toMatchObject({ itemId: item.id, correct: true })
    }
    const again = start(c, { deckIds: ['net'] })
    for (const item of again.items) {
      expect(answerOf(c, again.id, item.id, wrongAnswer(item)).correct, item.id).toBe(false)
    }
    const rows = c.db
      .prepare('SELECT session_id AS s, item_id AS i, correct, answer FROM quiz_answers ORDER BY id')
      .all() as { s: number; i: string; correct: number; answer: string }[]
    expect(rows).toHaveLength(14)
    expect(rows.filter((r) => r.s === session.id).every((r) => r.correct === 1)).toBe(true)
    expect(rows.filter((r) => r.s === again.id).every((r) => r.correct === 0)).toBe(true)
    expect(JSON.parse(rows.find((r) => r.s === again.id && r.i === 'q-typein')!.answer)).toEqual({
      type: 'typein',
      text: 'no idea'
    })

    const feedback = answerOf(c, start(c, { deckIds: ['net'], count: 50 }).id, 'q-match', {
      type: 'match',
      pairs: [0, 0, 0]
    })
    expect(feedback.expected).toBe('TCP → byte stream\nUDP → datagrams\nSCTP → messages')
    expect(feedback.explanation).toBe('By design.')
    expect(feedback.cardId).toBe('flags#c2')
  })

  it('checks against the stored item, not a client copy', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['net'] })
    const order = itemOf(session, 'q-order')
    // A client that reorders its own copy and sends indices into the authored order is wrong:
    // indices are read against what the session showed.
    if (order.type !== 'order') throw new Error('expected an order item')
    const asShown = order.items.map((_, i) => i)
    expect(answerOf(c, session.id, 'q-order', { type: 'order', order: asShown }).correct).toBe(false)
  })

  it('refuses a second answer to the same item, an item not in the quiz, and a finished quiz', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['web'] })
    answerOf(c, session.id, 'w-1', { type: 'truefalse', value: true })
    expect(() => answerOf(c, session.id, 'w-1', { type: 'truefalse', value: false })).toThrow(ValidationError)
    expect(() => answerOf(c, session.id, 'q-tf', { type: 'truefalse', value: false })).toThrow(ValidationError)
    expect(() => answerOf(c, session.id, 'w-2', { type: 'truefalse', value: false })).toThrow(ValidationError)
    expect(() => answerOf(c, 9999, 'w-2', { type: 'typein', text: '101' })).toThrow(NotFoundError)
    finish(c, session.id)
    expect(() => answerOf(c, session.id, 'w-2', { type: 'typein', text: '101' })).toThrow(ValidationError)
    expect(c.db.prepare('SELECT count(*) AS n FROM quiz_answers').get()).toEqual({ n: 1 })
  })

  it('refuses answers after a timed quiz ran out', () => {
    const { c, clock } = setup()
    const session = start(c, { deckIds: ['web'], timeLimitSec: 60 })
    expect(session.timeLimitSec).toBe(60)
    clock.advance(30_000)
    answerOf(c, session.id, 'w-1', { type: 'truefalse', value: true })
    clock.advance(60_000)
    expect(() => answerOf(c, session.id, 'w-2', { type: 'typein', text: '101' })).toThrow(ValidationError)
    expect(finish(c, session.id)).toMatchObject({ score: 1, total: 3, durationMs: 60_000 })
  })
})

describe('scheduling linked cards', () => {
  it('a miss counts as Again for the linked card, a right answer as Good', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['net'] })
    answerOf(c, session.id, 'q-choice', { type: 'choice', selected: [1] })
    answerOf(c, session.id, 'q-typein', { type: 'typein', text: 'Eight.' })
    expect(logFor(c, 'syn-card')).toEqual([{ rating: 1, source: 'quiz' }])
    expect(logFor(c, 'udp-card')).toEqual([{ rating: 3, source: 'quiz' }])
    expect(cardState(c, 'syn-card')).toBe(1) // learning
    // Items without a card touch no card.
    answerOf(c, session.id, 'q-tf', { type: 'truefalse', value: false })
    expect(c.db.prepare('SELECT count(*) AS n FROM review_log').get()).toEqual({ n: 2 })
  })

  it('affects a card at most once per study day, whatever answered it first', () => {
    const { c, clock } = setup()
    const first = start(c, { deckIds: ['net'] })
    answerOf(c, first.id, 'q-choice', { type: 'choice', selected: [0] })
    finish(c, first.id)
    clock.advance(3_600_000)
    const second = start(c, { deckIds: ['net'] })
    answerOf(c, second.id, 'q-choice', { type: 'choice', selected: [2] })
    expect(logFor(c, 'syn-card')).toEqual([{ rating: 3, source: 'quiz' }])

    // A card reviewed today is not moved by a quiz either.
    c.handlers.answerCard({ cardId: 'udp-card', rating: 4, durationMs: 1000 })
    answerOf(c, second.id, 'q-typein', { type: 'typein', text: '9' })
    expect(logFor(c, 'udp-card')).toEqual([{ rating: 4, source: 'review' }])

    // The next study day counts again.
    clock.advance(DAY_MS)
    const third = start(c, { deckIds: ['net'] })
    answerOf(c, third.id, 'q-choice', { type: 'choice', selected: [2] })
    expect(logFor(c, 'syn-card')).toEqual([
      { rating: 3, source: 'quiz' },
      { rating: 1, source: 'quiz' }
    ])
  })

  it('a link to a cloze block affects each of its cards; a link to one cloze card only that card', () => {
    const { c } = setup()
    const session = start(c, { deckIds: ['net'] })
    answerOf(c, session.id, 'q-cloze', { type: 'cloze', texts: ['8', 'twenty'] })
    for (const id of ['flags#c1', 'flags#c2', 'flags#c3'])
      expect(logFor(c, id), id).toEqual([{ rating: 3, source: 'quiz' }])

    const other = setup().c
    const s2 = start(other, { deckIds: ['net'] })
    answerOf(other, s2.id, 'q-match', { type: 'match', pairs: [0, 0, 0] })
    expect(logFor(other, 'flags#c1')).toEqual([])
    expect(logFor(other, 'flags#c2')).toEqual([{ rating: 1, source: 'quiz' }])
    expect(logFor(other, 'flags#c3')).toEqual([])
  })

  it('leaves suspended and retired cards alone', () => {
    const { c, clock } = setup()
    c.handlers.suspendCard({ cardId: 'syn-card' })
    c.db.prepare('UPDATE cards SET retired_at = ? WHERE id = ?').run(clock(), 'udp-card')
    const session = start(c, { deckIds: ['net'] })
    expect(answerOf(c, session.id, 'q-choice', { type: 'choice', selected: [0] }).correct).toBe(true)
    expect(answerOf(c, session.id, 'q-typein', { type: 'typein', text: '8' }).correct).toBe(true)
    expect(logFor(c, 'syn-card')).toEqual([])
    expect(logFor(c, 'udp-card')).toEqual([])
  })
})

describe('finishing', () => {
  it('stores the score and lists every missed or unanswered item with its card and deck', () => {
    const { c, clock } = setup()
    const session = start(c)
    clock.advance(5_000)
    answerOf(c, session.id, 'q-choice', { type: 'choice', selected: [1] }) // missed
    answerOf(c, session.id, 'q-typein', { type: 'typein', text: 'eight' }) // right
    answerOf(c, session.id, 'w-1', { type: 'truefalse', value: true }) // right
    clock.advance(95_000)
    const summary = finish(c, session.id)
    expect(summary).toMatchObject({ sessionId: session.id, score: 2, total: 10, durationMs: 100_000 })
    expect(summary.missed).toHaveLength(8)
    expect(summary.missed.find((m) => m.itemId === 'q-choice')).toEqual({
      itemId: 'q-choice',
      prompt: 'Which flag opens a connection?',
      cardId: 'syn-card',
      cardIds: ['syn-card'],
      deckId: 'net'
    })
    // A cloze block's item opens its first card and studies every card of the block.
    expect(summary.missed.find((m) => m.itemId === 'q-cloze')).toMatchObject({
      cardId: 'flags#c1',
      cardIds: ['flags#c1', 'flags#c2', 'flags#c3'],
      prompt: 'UDP has [1] header bytes, TCP at least [2].'
    })
    expect(summary.missed.find((m) => m.itemId === 'w-3')).toMatchObject({ cardId: null, cardIds: [], deckId: 'web' })
    expect(summary.missed.map((m) => m.itemId)).not.toContain('q-typein')

    clock.advance(60_000)
    expect(finish(c, session.id)).toEqual(summary) // finishing again changes nothing
    expect(() => finish(c, 4242)).toThrow(NotFoundError)
  })

  it('retries just the missed items (issue 15: Retry missed), through the same dispatch as the doors', async () => {
    const { c, clock } = setup()
    const session = start(c, { deckIds: ['net'] })
    answerOf(c, session.id, 'q-choice', { type: 'choice', selected: [1] }) // missed
    answerOf(c, session.id, 'q-typein', { type: 'typein', text: 'eight' }) // right
    clock.advance(10_000)
    const missed = finish(c, session.id).missed.map((m) => m.itemId)
    expect(missed).toContain('q-choice')
    const dispatch = createDispatch(c.handlers)
    // The decks and tags are ignored when items are named.
    const retry = await dispatch('startQuiz', {
      itemIds: missed,
      count: missed.length,
      deckIds: ['web'],
      tags: ['nothing']
    })
    expect(retry.ok).toBe(true)
    const items = (retry as { value: QuizSession }).value.items.map((i) => i.id)
    expect([...items].sort()).toEqual([...missed].sort())
    expect(items).not.toContain('q-typein')
    const refused = await dispatch('startQuiz', { itemIds: ['../etc/passwd'], count: 1 })
    expect(refused).toMatchObject({ ok: false, code: 'validation' })
  })

  it('history lists sessions newest first with their decks and scores', () => {
    const { c, clock } = setup()
    const one = start(c, { deckIds: ['web'] })
    answerOf(c, one.id, 'w-2', { type: 'typein', text: '101' })
    clock.advance(30_000)
    finish(c, one.id)
    clock.advance(60_000)
    const two = start(c, { deckIds: ['net', 'web'], count: 3 })
    answerOf(c, two.id, two.items[0]!.id, rightAnswer(c, two.items[0]!))

    const history = listQuizHistory(c.db, 10)
    expect(history).toHaveLength(2)
    expect(history[0]).toMatchObject({ id: two.id, finishedAt: null, score: 1, total: 3 })
    expect(history[1]).toEqual({
      id: one.id,
      startedAt: one.startedAt,
      finishedAt: one.startedAt + 30_000,
      score: 1,
      total: 3,
      durationMs: 30_000,
      decks: ['web']
    })
    expect(listQuizHistory(c.db, 1).map((h) => h.id)).toEqual([two.id])
  })

  it('history reads sessions whose config lacks decks or items', () => {
    const { c, clock } = setup()
    c.db.prepare("INSERT INTO quiz_sessions (started_at, config) VALUES (?, '{}')").run(clock())
    expect(listQuizHistory(c.db, 5)).toEqual([
      { id: 1, startedAt: clock(), finishedAt: null, score: 0, total: 0, durationMs: 0, decks: [] }
    ])
  })
})
