// Property tests over the content parser: any text, and mutations of valid topic and deck
// files, parse to a result with problems (never a throw), and a whole content folder of such
// files loads (never a throw), with every problem pointing at a file and a line.
import { readdirSync, rmSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadContentTree } from '../../../src/main/content/load'
import { parseDeckFile } from '../../../src/main/content/parse-deck'
import { parseTopicFile } from '../../../src/main/content/parse-topic'
import { cardBlock, clozeBlock, deckMd, quizBlock, topicMd } from '../../helpers/content'
import { tempDir, writeTree } from '../../helpers/temp'
import { budget, mutatedText } from './budget'

const VALID_TOPIC = topicMd({
  id: 'fuzz-topic',
  tags: 'tcp, handshake',
  blocks: [
    cardBlock('fz-1', 'What is `SYN`?', 'The first segment.', 'tags: [tcp]\n'),
    clozeBlock('fz-2', 'TCP uses {{c1::port}} numbers and {{c2::sequence::hint}} numbers.', 'Extra'),
    quizBlock('fz-3', 'choice', 'Pick one\n\n- [x] SYN\n- [ ] FIN\n---\nBecause.'),
    quizBlock('fz-4', 'match', 'Match\n\n- SYN => open\n- FIN => close\n---\nWhy.'),
    quizBlock('fz-5', 'order', 'Order\n\n1. SYN\n2. SYN-ACK\n3. ACK\n---\nWhy.'),
    quizBlock('fz-6', 'truefalse', 'True?\n---\nYes.', 'answer: true\n'),
    '```\n::: card not-a-block\nx\n:::\n```'
  ]
})

function expectWellFormed(result: ReturnType<typeof parseTopicFile>): void {
  for (const p of result.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1)
    expect(Number.isInteger(p.line)).toBe(true)
    expect(typeof p.message).toBe('string')
  }
  for (const card of result.cards) {
    if (card.kind === 'cloze') expect(card.clozeOrdinal).toBeGreaterThanOrEqual(1)
  }
}

describe('content parser under random and mutated input', () => {
  it('parses the valid fixture cleanly (so the mutations start from something real)', () => {
    const result = parseTopicFile(VALID_TOPIC, 'decks/d/t.md', 'd')
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(result.cards.length).toBeGreaterThanOrEqual(3)
    expect(result.quizItems).toHaveLength(4)
  })

  it('parseTopicFile never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000, unit: 'binary' }), (text) => {
        expectWellFormed(parseTopicFile(text, 'decks/d/t.md', 'd'))
      }),
      budget(300)
    )
  })

  it('parseTopicFile never throws on a mutated valid topic file, and reports lines inside the file', () => {
    fc.assert(
      fc.property(mutatedText(VALID_TOPIC), (text) => {
        const result = parseTopicFile(text, 'decks/d/t.md', 'd')
        expectWellFormed(result)
        const lines = text.split('\n').length
        for (const p of result.problems) expect(p.line).toBeLessThanOrEqual(lines + 1)
      }),
      budget(400)
    )
  })

  it('parseTopicFile never throws on a frontmatter of YAML fragments (aliases, anchors, tags, flow collections)', () => {
    const yamlish = fc.array(
      fc.constantFrom(
        'id: x',
        'title: ',
        '*a',
        '&a ',
        '*',
        '**',
        '!!str ',
        '!!binary ',
        '<<: *a',
        '? k',
        ': v',
        '{',
        '}',
        '[',
        ']',
        ',',
        '- ',
        '\n',
        '  ',
        '"',
        "'",
        '|',
        '>',
        '#',
        'tags: [a, *b]',
        '&b [x]'
      ),
      { maxLength: 20 }
    )
    fc.assert(
      fc.property(yamlish, (parts) => {
        const result = parseTopicFile(`---\n${parts.join('')}\n---\n\n# T\n`, 'decks/d/t.md', 'd')
        expectWellFormed(result)
      }),
      budget(1500)
    )
  })

  // The bug: splitFrontmatter called doc.toJS() outside any try, and the yaml library throws
  // ReferenceError from toJS for an alias with no anchor (`title: *x`) or too many aliases;
  // one such file aborted a whole content load or an import with an internal error.
  it('regression: a YAML alias with no anchor, or an alias bomb, in frontmatter is a problem, not a ReferenceError', () => {
    const unresolved = parseTopicFile('---\nid: x\ntitle: *nothing\n---\n\n# T\n', 'decks/d/t.md', 'd')
    expect(unresolved.problems.map((p) => p.message).join('\n')).toMatch(/invalid YAML in frontmatter/)
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 0; i < 9; i++)
      bomb.push(`${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)
    const bombed = parseTopicFile(`---\nid: x\n${bomb.join('\n')}\n---\n`, 'decks/d/t.md', 'd')
    expect(bombed.problems.length).toBeGreaterThan(0)
    const root = tempDir('retransmit-alias-')
    writeTree(root, {
      'decks/d/deck.md': deckMd('D'),
      'decks/d/bad.md': '---\nid: bad\ntitle: *x\n---\n',
      'decks/d/good.md': topicMd({ id: 'good', blocks: [cardBlock('g-1')] })
    })
    const tree = loadContentTree(root)
    expect(tree.cards.map((c) => c.id)).toEqual(['g-1'])
    expect(tree.problems.map((p) => p.file)).toContain('decks/d/bad.md')
  })

  it('parseDeckFile never throws on a mutated deck file', () => {
    fc.assert(
      fc.property(mutatedText(deckMd('Fuzz deck', 'position: 3\ndescription: x\n')), (text) => {
        const result = parseDeckFile(text, 'decks/d/deck.md', 'd')
        for (const p of result.problems) expect(p.line).toBeGreaterThanOrEqual(1)
      }),
      budget(300)
    )
  })

  it('loadContentTree loads any folder of generated files without throwing', () => {
    const root = tempDir('retransmit-fuzz-content-')
    const file = fc.oneof(mutatedText(VALID_TOPIC), fc.string({ maxLength: 300, unit: 'binary' }))
    const name = fc.oneof(
      fc.constantFrom('a.md', 'b.md', 'deck.md', 'notes.txt', 'Bad Name.md'),
      fc.stringMatching(/^[a-z0-9-]{1,12}\.md$/)
    )
    const deckName = fc.oneof(
      fc.constantFrom('alpha', 'beta', 'Bad Deck', 'a..b'),
      fc.stringMatching(/^[a-z0-9-]{1,10}$/)
    )
    const tree = fc.dictionary(
      fc.tuple(deckName, name).map(([d, n]) => `decks/${d}/${n}`),
      fc.oneof(file, mutatedText(deckMd('D'))),
      { maxKeys: 6 }
    )
    let run = 0
    fc.assert(
      fc.property(tree, fc.boolean(), (files, raw) => {
        const dir = `${root}/${run++}`
        // Deck folders sometimes get a valid deck.md so topic files are read too.
        const withDecks: Record<string, string | Uint8Array> = { ...files }
        if (!raw) for (const path of Object.keys(files)) withDecks[path.replace(/[^/]+$/, 'deck.md')] ??= deckMd('Deck')
        writeTree(dir, withDecks)
        const loaded = loadContentTree(dir)
        for (const p of loaded.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1)
          expect(p.file).not.toContain(dir)
        }
        const ids = [...loaded.cards.map((c) => c.id), ...loaded.quizItems.map((q) => q.id)]
        expect(new Set(ids).size).toBe(ids.length)
        rmSync(dir, { recursive: true, force: true })
      }),
      budget(80)
    )
    expect(readdirSync(root)).toEqual([])
  })
})
