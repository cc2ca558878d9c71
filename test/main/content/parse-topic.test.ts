import { describe, expect, it } from 'vitest'
import { parseTopicFile } from '../../../src/main/content/parse-topic'
import { quizBlock as writeQuizBlock, topicFile } from '../../../src/main/import/write-content'
import { cardBlock, clozeBlock, quizBlock, topicMd } from '../../helpers/content'

const FILE = 'decks/net/topic.md'
const parse = (text: string) => parseTopicFile(text, FILE, 'net')

describe('parseTopicFile', () => {
  it('reads the note, cards, cloze cards and tags', () => {
    const result = parse(
      topicMd({
        tags: '[transport, TCP]',
        blocks: [
          cardBlock('a-card', 'Front?', 'Back.', 'tags: extra\ndrills: tcp-echo\n'),
          clozeBlock('a-cloze', 'SYN {{c1::first}} then {{c2::second::hint}} and {{c1::again}}')
        ]
      })
    )
    expect(result.problems).toEqual([])
    expect(result.note).toMatchObject({ id: 'topic-one', title: 'Topic one', tags: ['transport', 'tcp'] })
    expect(result.note?.body).toContain('Some long-form text.')
    expect(result.note?.body).not.toContain(':::')
    expect(result.cards.map((c) => c.id)).toEqual(['a-card', 'a-cloze#c1', 'a-cloze#c2'])
    expect(result.cards[0]).toMatchObject({
      front: 'Front?',
      back: 'Back.',
      tags: ['transport', 'tcp', 'extra'],
      drills: ['tcp-echo'],
      noteId: 'topic-one'
    })
    expect(result.cards[1]).toMatchObject({ kind: 'cloze', clozeOrdinal: 1 })
  })

  it('makes standalone cards when there is no text outside blocks', () => {
    const result = parse(topicMd({ note: '', blocks: [cardBlock('lonely')] }))
    expect(result.note).toBeNull()
    expect(result.cards[0]?.noteId).toBeNull()
  })

  it('never interprets card syntax inside fenced code or code spans', () => {
    const fenced = ['```md', '::: card not-a-card', 'x', '---', 'y', ':::', '```'].join('\n')
    const result = parse(
      topicMd({
        note: `# Note\n\n${fenced}\n\nInline \`{{c1::literal}}\` stays.`,
        blocks: [
          clozeBlock('code-cloze', 'Real {{c1::one}} and `{{c2::not}}`'),
          cardBlock('with-fence', 'Show:\n```\n---\n:::\n```\nend?', 'Back.')
        ]
      })
    )
    expect(result.problems).toEqual([])
    expect(result.cards.map((c) => c.id)).toEqual(['code-cloze#c1', 'with-fence'])
    expect(result.cards[1]?.front).toContain(':::')
    expect(result.note?.body).toContain('::: card not-a-card')
  })

  it('parses every quiz type', () => {
    const result = parse(
      topicMd({
        blocks: [
          quizBlock('q-choice', 'choice', 'Pick two.\n- [x] a\n- [ ] b\n- [X] c\n---\nWhy.'),
          quizBlock('q-tf', 'truefalse', 'UDP is reliable.\n---\nIt is not.', 'answer: false\n'),
          quizBlock('q-type', 'typein', 'UDP header bytes?\n---\nRFC 768.', 'answer: 8 | eight\ncard: a-card\n'),
          quizBlock('q-cloze', 'cloze', 'TCP is {{c1::reliable}}, UDP is {{c2::not}}.\n---\nx'),
          quizBlock('q-order', 'order', 'Order:\n1. SYN\n2. SYN-ACK\n3. ACK\n---\nx'),
          quizBlock('q-match', 'match', 'Match:\n- TCP => 9293\n- UDP => 768\n---\nx')
        ]
      })
    )
    expect(result.problems).toEqual([])
    const byId = Object.fromEntries(result.quizItems.map((q) => [q.id, q]))
    expect(byId['q-choice']).toMatchObject({ prompt: 'Pick two.', data: { type: 'choice', multiple: true } })
    expect(byId['q-choice']?.data).toMatchObject({
      options: [
        { text: 'a', correct: true },
        { text: 'b', correct: false },
        { text: 'c', correct: true }
      ]
    })
    expect(byId['q-tf']?.data).toEqual({ type: 'truefalse', answer: false })
    expect(byId['q-type']).toMatchObject({ cardId: 'a-card', data: { type: 'typein', answers: ['8', 'eight'] } })
    expect(byId['q-cloze']?.data).toMatchObject({
      blanks: [
        { ordinal: 1, answer: 'reliable' },
        { ordinal: 2, answer: 'not' }
      ]
    })
    expect(byId['q-order']).toMatchObject({ prompt: 'Order:', data: { items: ['SYN', 'SYN-ACK', 'ACK'] } })
    expect(byId['q-match']?.data).toEqual({
      type: 'match',
      pairs: [
        { left: 'TCP', right: '9293' },
        { left: 'UDP', right: '768' }
      ]
    })
    expect(byId['q-order']?.explanation).toBe('x')
  })

  it('reports broken frontmatter with its line', () => {
    const result = parse('---\nid: x\ntags: [unclosed\n---\nbody')
    expect(result.problems[0]).toMatchObject({ file: FILE, severity: 'error' })
    expect(result.problems[0]!.line).toBeGreaterThanOrEqual(2)
    expect(result.cards).toEqual([])
  })

  it('reports a missing frontmatter', () => {
    expect(parse('# no frontmatter').problems[0]).toMatchObject({
      line: 1,
      message: expect.stringContaining('frontmatter')
    })
  })

  it('reports unknown frontmatter fields on their line', () => {
    const result = parse('---\nid: x\ntittle: typo\n---\n')
    expect(result.problems).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('tittle') })])
  })

  it('reports an unknown block field, an unclosed block and a card without a back, each on its line', () => {
    const text = [
      '---',
      'id: x',
      '---',
      '', // lines 1-4
      '::: card good',
      'Q?',
      '---',
      'A.',
      ':::', // 5-9
      '::: card bad-field',
      'colour: blue',
      'Q?',
      '---',
      'A.',
      ':::', // 10-15
      '::: card no-back',
      'Q only',
      ':::', // 16-18
      '::: quiz no-type',
      'Q?',
      ':::', // 19-21
      '::: card unclosed',
      'Q?' // 22-23
    ].join('\n')
    const result = parse(text)
    expect(result.cards.map((c) => c.id)).toEqual(['good'])
    expect(result.problems.map((p) => p.line)).toEqual([11, 16, 19, 22])
    expect(result.problems[0]!.message).toContain('colour')
  })

  it('reads a generated typein item and refuses a generator that is unknown, misplaced or given an answer', () => {
    const text = [
      '---',
      'id: x',
      '---',
      '', // lines 1-4
      '::: quiz gen-ok typein',
      'generator: subnet-network',
      'Subnet arithmetic.',
      '---',
      'RFC 4632.',
      ':::', // 5-10
      '::: quiz gen-unknown typein',
      'generator: subnet-magic',
      'Q?',
      '---',
      'E.',
      ':::', // 11-16
      '::: quiz gen-choice choice',
      'generator: bdp',
      'Q?',
      '- [x] a',
      '- [ ] b',
      '---',
      'E.',
      ':::', // 17-24
      '::: quiz gen-answer typein',
      'generator: bdp',
      'answer: 5',
      'Q?',
      '---',
      'E.',
      ':::' // 25-31
    ].join('\n')
    const result = parse(text)
    expect(result.quizItems.map((q) => [q.id, q.data])).toEqual([
      ['gen-ok', { type: 'typein', answers: [], generator: 'subnet-network' }]
    ])
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [11, expect.stringContaining('unknown generator `subnet-magic`')],
      [18, expect.stringContaining('`generator:` is for typein items')],
      [27, expect.stringContaining('drop `answer:`')]
    ])
  })

  it('writes a generated item back with its generator, and reads it again unchanged', () => {
    const item = {
      id: 'gen-k',
      cardId: 'cc-cubic-k',
      prompt: 'CUBIC K.',
      data: { type: 'typein' as const, answers: [], generator: 'cubic-k' },
      explanation: 'RFC 9438 §4.2.',
      tags: [],
      drills: []
    }
    const block = writeQuizBlock(item)
    expect(block).toContain('generator: cubic-k')
    expect(block).not.toContain('answer:')
    const parsed = parse(topicFile({ id: 'exported', tags: [] }, '', [block]))
    expect(parsed.problems).toEqual([])
    expect(parsed.quizItems).toEqual([
      expect.objectContaining({
        id: 'gen-k',
        cardId: 'cc-cubic-k',
        prompt: 'CUBIC K.',
        data: item.data,
        explanation: 'RFC 9438 §4.2.'
      })
    ])
  })

  it('warns about a quiz item without an explanation', () => {
    const result = parse(topicMd({ blocks: [quizBlock('q', 'truefalse', 'A statement.', 'answer: true\n')] }))
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('explanation') })
    ])
    expect(result.quizItems).toHaveLength(1)
  })

  it('rejects ids that are not plain names', () => {
    const result = parse(topicMd({ blocks: [cardBlock('../etc/passwd')] }))
    expect(result.cards).toEqual([])
    expect(result.problems[0]!.message).toContain('plain name')
  })
})

describe('trace blocks in cards', () => {
  it('points at the file and line of a bad trace block', () => {
    const text = topicMd({
      blocks: [
        cardBlock('a-trace', 'What comes next?\n\n```trace\n{"mode": "next", "hide": 9,\n "events": []}\n```', 'Back.')
      ]
    })
    const result = parse(text)
    const lines = text.split('\n')
    const jsonLine = lines.findIndex((l) => l.startsWith('{"mode"')) + 1
    expect(result.cards).toEqual([])
    expect(result.problems).toEqual([
      { file: FILE, line: jsonLine, severity: 'error', message: expect.stringContaining('trace block: `events`') }
    ])
  })
})
