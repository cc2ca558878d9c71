// Cloze parsing: a linear scan that must agree with the regular expression it replaced on
// text without code, find the same deletions whatever the input, and stay fast on hostile
// text (a card is up to 100,000 characters, parsed in the main process on import and in the
// renderer on every review).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clozeOrdinals, findClozes, renderCloze } from '../../../src/shared/cloze'
import { growth, linearLimit } from '../../helpers/scaling'
import { budget } from './budget'

/** The old implementation, for texts with no code in them (where masking changes nothing). */
const REFERENCE = /\{\{c(\d{1,3})::([\s\S]*?)(?:::([\s\S]*?))?\}\}/g
function reference(text: string) {
  return [...text.matchAll(REFERENCE)].map((m) => ({
    ordinal: Number(m[1]),
    answer: m[2]!,
    hint: m[3] ?? null,
    start: m.index,
    end: m.index + m[0].length
  }))
}

/** Text made of cloze syntax fragments, so openings, separators and closings meet often. */
const clozeish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '{{c1::',
        '{{c2::',
        '{{c123::',
        '{{c1234::',
        '{{',
        '}}',
        '}',
        '::',
        ':',
        ':::',
        '{{c',
        'a',
        ' ',
        '\n',
        'x'
      ),
      fc.string({ maxLength: 3 })
    ),
    { maxLength: 30 }
  )
  .map((parts) => parts.join(''))

describe('cloze parsing', () => {
  it('agrees with the old regular expression on text without code', () => {
    fc.assert(
      fc.property(
        clozeish.filter((t) => !/[`~]/.test(t)),
        (text) => {
          expect(findClozes(text)).toEqual(reference(text))
        }
      ),
      budget(3000)
    )
  })

  it('never throws, returns ordered non-overlapping deletions, and renders both sides', () => {
    fc.assert(
      fc.property(fc.oneof(clozeish, fc.string({ maxLength: 200, unit: 'binary' })), (text) => {
        let last = 0
        for (const d of findClozes(text)) {
          expect(d.start).toBeGreaterThanOrEqual(last)
          expect(text.slice(d.start, d.end).startsWith(`{{c${d.ordinal}::`)).toBe(true)
          expect(text.slice(d.end - 2, d.end)).toBe('}}')
          last = d.end
        }
        for (const ordinal of clozeOrdinals(text)) {
          expect(typeof renderCloze(text, ordinal, 'front')).toBe('string')
          expect(typeof renderCloze(text, ordinal, 'back')).toBe('string')
        }
      }),
      budget(2000)
    )
  })

  // The bug: `findClozes` ran /\{\{c(\d{1,3})::([\s\S]*?)(?:::([\s\S]*?))?\}\}/g, which
  // backtracks in cubic time when openings are not closed: 6 KB of `{{c1::` took 2.3 s and
  // 12 KB took 24 s, so one crafted card (CSV, guide, .apkg, createCard) hung the main
  // process on import and the renderer on review.
  it('regression: unclosed cloze openings no longer take cubic time (a 100 KB card hung the app)', async () => {
    const shapes: Array<[string, (n: number) => string]> = [
      ['{{c1:: x n', (n) => '{{c1::'.repeat(n)],
      ['{{c1::a:: x n', (n) => '{{c1::a::'.repeat(n)],
      ['{{c1::x} x n', (n) => '{{c1::x}'.repeat(n)],
      ['{{c1:: x n then }}', (n) => `${'{{c1::'.repeat(n)}}}`]
    ]
    for (const [name, make] of shapes) {
      const work = (text: string) => (findClozes(text), renderCloze(text, 1, 'front'))
      expect(typeof work(make(16_000)), name).toBe('string')
      expect(await growth(make, work, 2_000), name).toBeLessThan(linearLimit())
    }
  })

  // The bug: deletions were found on the code-masked text but re-parsed on the original, so a
  // `::` inside a code span split the answer: {{c1::`std::vector`}} had answer "`std" and
  // hint "vector`"; {{c1::`::1`}} (IPv6 loopback) lost its answer the same way.
  it('regression: `::` and `}}` inside a code span in a deletion belong to the answer', () => {
    expect(findClozes('{{c1::`std::vector`}} and {{c2::`::1`::IPv6 loopback}}').map((d) => [d.answer, d.hint])).toEqual(
      [
        ['`std::vector`', null],
        ['`::1`', 'IPv6 loopback']
      ]
    )
    expect(findClozes('{{c1::`a}}b`}} end').map((d) => d.answer)).toEqual(['`a}}b`'])
    expect(renderCloze('Use {{c1::`std::vector`}}.', 1, 'back')).toBe('Use **`std::vector`**.')
  })
})
