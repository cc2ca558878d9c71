// The library that ships in content/: it loads cleanly and every deck meets the minimums.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadContentTree } from '../../../src/main/content/load'

const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')

const DECKS = [
  'osi-tcpip',
  'url-journey',
  'tcp-vs-udp',
  'congestion-control',
  'head-of-line-blocking',
  'nat-traversal',
  'dns-load-balancing',
  'l4-l7-load-balancing',
  'ddos',
  'tls-crypto',
  'websockets',
  'http3-quic',
  'http-from-tcp',
  'tcp-lifecycle',
  'ip-addressing',
  'routing',
  'dns-in-depth',
  'http-caching-cdn',
  'tls-pki',
  'mtu-path',
  'proxies-tunnels'
]

/** Decks written for issue 17: a higher bar (25+ cards, 10+ quiz items of 4+ types) and a cited source on every card. */
const FULL_DECKS = [
  'tcp-lifecycle',
  'ip-addressing',
  'routing',
  'dns-in-depth',
  'http-caching-cdn',
  'tls-pki',
  'mtu-path',
  'proxies-tunnels'
]

/** What counts as naming a source: an RFC or BCP, a section sign, a CVE, a man page, a vendor's documentation or a research write-up. */
const CITATION = /\bRFC \d{3,4}\b|\bBCP \d+|§|\bCVE-\d{4}-\d+|\b[a-z][\w-]*\([1-8]\)|documentation|Research/

/**
 * A front that joins two questions ("What is X, and why does Y?") breaks the minimum-information
 * rule: the learner can recall half and still press Good. Split it into two cards.
 */
const TWO_QUESTIONS =
  /,\s+and\s+(what|why|how|which|when|where|who|is|are|can|does|do|should|must|may)\b|\?\s+\S[^?]*\?/i

describe('the shipped library', () => {
  const tree = loadContentTree(CONTENT)

  it('loads with no errors and no warnings', () => {
    expect(tree.problems).toEqual([])
  })

  it('has the interview decks, in order', () => {
    const decks = [...tree.decks].sort((a, b) => a.position - b.position)
    expect(decks.map((d) => d.id)).toEqual(DECKS)
  })

  it.each(DECKS)('%s has a long-form note, 25+ cards with cloze, 10+ quiz items of 4+ types', (deckId) => {
    const notes = tree.notes.filter((n) => n.deckId === deckId)
    expect(notes.length).toBeGreaterThanOrEqual(1)
    const words = notes.reduce((sum, n) => sum + n.body.split(/\s+/).length, 0)
    expect(words).toBeGreaterThanOrEqual(500)
    expect(notes.some((n) => /follow-up/i.test(n.body))).toBe(true)
    const cards = tree.cards.filter((c) => c.deckId === deckId && c.kind !== 'drill')
    expect(cards.length).toBeGreaterThanOrEqual(25)
    expect(cards.some((c) => c.kind === 'cloze')).toBe(true)
    const quiz = tree.quizItems.filter((q) => q.deckId === deckId)
    expect(quiz.length).toBeGreaterThanOrEqual(10)
    expect(new Set(quiz.map((q) => q.type)).size).toBeGreaterThanOrEqual(4)
    expect(quiz.every((q) => q.explanation.trim().length > 0)).toBe(true)
  })

  it.each(FULL_DECKS)(
    '%s has 25+ cards with cloze, 10+ quiz items of 4+ types, and every card cites a source',
    (deckId) => {
      const cards = tree.cards.filter((c) => c.deckId === deckId && c.kind !== 'drill')
      expect(cards.length).toBeGreaterThanOrEqual(25)
      expect(cards.some((c) => c.kind === 'cloze')).toBe(true)
      const quiz = tree.quizItems.filter((q) => q.deckId === deckId)
      expect(quiz.length).toBeGreaterThanOrEqual(10)
      expect(new Set(quiz.map((q) => q.type)).size).toBeGreaterThanOrEqual(4)
      const uncited = cards.filter((c) => !CITATION.test(`${c.front}\n${c.back}`)).map((c) => c.id)
      expect(uncited).toEqual([])
    }
  )

  it('asks one thing on every card front', () => {
    expect(TWO_QUESTIONS.test('What is DNS round robin, and what undoes it?')).toBe(true)
    expect(TWO_QUESTIONS.test('What is the Sec-WebSocket-Key exchange for? Is it security?')).toBe(true)
    expect(TWO_QUESTIONS.test('Which status answers a body that is too large?')).toBe(false)
    const double = tree.cards.filter((c) => c.kind === 'basic' && TWO_QUESTIONS.test(c.front)).map((c) => c.id)
    expect(double).toEqual([])
  })

  it('links only to drills that exist, and drills link only to cards that exist', () => {
    const drillIds = new Set(tree.drills.map((d) => d.id))
    const links = [...tree.cards, ...tree.quizItems].flatMap((item) =>
      item.drills.map((drill) => ({ from: item.id, drill }))
    )
    expect(links.length).toBeGreaterThan(0)
    expect(links.filter((l) => !drillIds.has(l.drill))).toEqual([])
    const cardIds = new Set(tree.cards.flatMap((c) => [c.id, c.id.replace(/#c\d+$/, '')]))
    const drillCards = tree.drills.flatMap((d) => d.meta.cards.map((card) => ({ drill: d.id, card })))
    expect(drillCards.filter((l) => !cardIds.has(l.card))).toEqual([])
  })

  it('ships a drill for every deck that names one, at least fifteen in all', () => {
    expect(tree.drills.length).toBeGreaterThanOrEqual(15)
    for (const drill of tree.drills) expect(DECKS).toContain(drill.deckId)
  })
})
