// Generated quiz items through the quiz service on a real collection: new numbers in every
// quiz, an answer computed here from the prompt is accepted, a wrong one is refused with the
// right answer and the worked solution.
import { describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import type { QuizFeedback, QuizSession } from '../../../src/shared/study'
import { cardBlock, deckMd, quizBlock, topicMd } from '../../helpers/content'
import { fixedClock, tempDir, writeTree } from '../../helpers/temp'

function setup() {
  const content = tempDir('retransmit-generated-content-')
  writeTree(content, {
    'decks/ip/deck.md': deckMd('Addressing', 'position: 1\n'),
    'decks/ip/practice.md': topicMd({
      id: 'ip-practice',
      note: '',
      blocks: [
        cardBlock('cidr-card', 'What does /22 mean?', 'The first 22 bits name the network (RFC 4632 §3.1).'),
        quizBlock(
          'gen-net',
          'typein',
          'Subnet arithmetic.\n---\nRFC 4632 §3.1.',
          'generator: subnet-network\ncard: cidr-card\n'
        ),
        quizBlock('gen-bdp', 'typein', 'Window sizing.\n---\nBDP = rate × RTT.', 'generator: bdp\n')
      ]
    })
  })
  const c = openCollection({
    dataDir: tempDir('retransmit-generated-data-'),
    contentDir: content,
    door: 'http',
    clock: fixedClock(),
    tzOffset: () => 0
  })
  expect(c.lastSync()?.problems).toEqual([])
  return c
}

/** The network address of "a.b.c.d/n", by string arithmetic on the bits. */
function network(address: string, prefix: number): string {
  const bits = address
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('')
  const kept = bits.slice(0, prefix).padEnd(32, '0')
  return [0, 8, 16, 24].map((i) => parseInt(kept.slice(i, i + 8), 2)).join('.')
}

describe('generated quiz items', () => {
  it('draw new numbers per quiz, accept a computed answer, and explain a wrong one', () => {
    const c = setup()
    const start = () =>
      c.handlers.startQuiz({ deckIds: ['ip'], tags: [], count: 10, timeLimitSec: null }) as QuizSession
    const answer = (sessionId: number, itemId: string, text: string) =>
      c.handlers.answerQuizItem({ sessionId, itemId, answer: { type: 'typein', text } }) as QuizFeedback

    const first = start()
    const prompts = [first]
    for (let i = 0; i < 4; i++) prompts.push(start())
    const netPrompts = prompts.map((s) => s.items.find((i) => i.id === 'gen-net')!.prompt)
    expect(new Set(netPrompts).size).toBeGreaterThan(1)
    expect(first.items.find((i) => i.id === 'gen-net')).toMatchObject({ type: 'typein' })

    const [, address, prefix] = /\*\*([\d.]+)\/(\d+)\*\*/.exec(netPrompts[0]!)!
    const right = answer(first.id, 'gen-net', network(address!, Number(prefix)))
    expect(right.correct).toBe(true)
    expect(right.expected).toBe(network(address!, Number(prefix)))
    expect(right.explanation).toMatch(/^\*\*Worked answer\*\*/)
    expect(right.explanation).toContain('RFC 4632 §3.1.')
    expect(right.cardId).toBe('cidr-card')

    const wrong = answer(first.id, 'gen-bdp', '1 byte')
    expect(wrong.correct).toBe(false)
    const [, rate, unit, rtt] = /\*\*([\d.]+) (Mbit|Gbit)\/s\*\* with a round-trip time of \*\*(\d+) ms\*\*/.exec(
      first.items.find((i) => i.id === 'gen-bdp')!.prompt
    )!
    const bytes = (Number(rate) * (unit === 'Gbit' ? 1e9 : 1e6) * Number(rtt)) / 1000 / 8
    expect(wrong.expected).toBe(`${bytes.toLocaleString('en-US')} bytes`)
    c.close()
  })
})
