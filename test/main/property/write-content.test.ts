// Export writes rows back as content files; a row's text must not be able to turn into
// structure when the file is read again: an imported deck from a stranger, exported to git
// and synced, must not grow cards or quiz items it did not have, nor hide the ones after it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTopicFile } from '../../../src/main/content/parse-topic'
import { cardBlock, clozeBlock, topicFile } from '../../../src/main/import/write-content'
import { budget } from './budget'

const fragment = fc.constantFrom(
  ':::',
  '::: card evil-1',
  '::: quiz evil-q truefalse',
  'answer: true',
  '---',
  '***',
  '```',
  '~~~',
  '````',
  '```js',
  '`',
  '\n',
  '\n\n',
  ' ',
  '  :::',
  'tags: x',
  'id: evil',
  '{{c1::a}}',
  '{{c2::b::h}}',
  'text',
  '# Heading',
  '\\:::',
  '\r',
  '\t'
)
const text = fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(''))
/** A side the reader accepts as a side: something left after trimming. */
const side = text.filter((t) => t.trim().length > 0)

const after = cardBlock({ id: 'after-1', front: 'Plain question?', back: 'Plain answer.', tags: [], drills: [] })

describe('exported content files read back as the same rows', () => {
  it('a card block reads back as its own card, and the block after it survives, whatever its text', () => {
    fc.assert(
      fc.property(side, side, text, (front, back, note) => {
        const file = topicFile({ id: 'exported', tags: [] }, note, [
          cardBlock({ id: 'c-1', front, back, tags: [], drills: [] }),
          after
        ])
        const parsed = parseTopicFile(file, 'decks/d/t.md', 'd')
        expect(parsed.cards.map((c) => c.id)).toEqual(['c-1', 'after-1'])
        expect(parsed.quizItems).toEqual([])
        expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([])
      }),
      budget(3000)
    )
  })

  it('a cloze block reads back as its own cloze cards and nothing else', () => {
    fc.assert(
      fc.property(text, text, (before, extra) => {
        const body = `${before} {{c1::answer}}`
        const file = topicFile({ id: 'exported', tags: [] }, '', [
          clozeBlock({ id: 'z-1', text: body, extra, tags: [], drills: [] }),
          after
        ])
        const parsed = parseTopicFile(file, 'decks/d/t.md', 'd')
        const ids = parsed.cards.map((c) => c.id)
        expect(ids.at(-1)).toBe('after-1')
        expect(ids.slice(0, -1).every((id) => id.startsWith('z-1#c'))).toBe(true)
        expect(parsed.quizItems).toEqual([])
      }),
      budget(2000)
    )
  })

  // The bug: escapeStructure escaped each side on its own, but the reader tracks code fences
  // across the whole file, so a side that opened a fence and never closed it (a card front of
  // just ```) hid its block's `---` and `:::`: on re-import the card, and every block after it
  // in the file, were lost as "not closed", and a later side's `:::` lines (unescaped, being
  // inside that side's own fence) were read as blocks.
  it('regression: a side with an unclosed code fence no longer swallows its block and the blocks after it', () => {
    const file = topicFile({ id: 'exported', tags: [] }, '', [
      cardBlock({ id: 'c-1', front: '```', back: 'x', tags: [], drills: [] }),
      cardBlock({
        id: 'c-2',
        front: 'q',
        back: '```\n:::\n::: quiz evil-q truefalse\nanswer: true\nEvil?\n---\nWhy.\n:::',
        tags: [],
        drills: []
      }),
      after
    ])
    const parsed = parseTopicFile(file, 'decks/d/t.md', 'd')
    expect(parsed.cards.map((c) => c.id)).toEqual(['c-1', 'c-2', 'after-1'])
    expect(parsed.quizItems).toEqual([])
  })
})
