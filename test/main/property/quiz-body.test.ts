// Quiz bodies: the match reader that replaced a backtracking regex agrees with it wherever
// the old one gave both sides of a pair, and stays fast on hostile lines.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readQuizBody } from '../../../src/main/content/quiz-body'
import { growth, linearLimit } from '../../helpers/scaling'
import { budget } from './budget'

/** The old reader: trailing lines matching the regex, bottom up. */
const OLD_PAIR = /^\s*[-*+]\s+(.+?)\s+=>\s+(.+)$/
function oldMatch(question: string): { prompt: string; pairs: { left: string; right: string }[] } | null {
  const lines = question.split('\n')
  const items: RegExpExecArray[] = []
  let i = lines.length - 1
  while (i >= 0) {
    if (lines[i]!.trim() === '' && items.length === 0) {
      i--
      continue
    }
    const m = OLD_PAIR.exec(lines[i]!)
    if (!m) break
    items.unshift(m)
    i--
  }
  if (items.length < 2) return null
  return {
    prompt: lines
      .slice(0, i + 1)
      .join('\n')
      .trim(),
    pairs: items.map((m) => ({ left: m[1]!.trim(), right: m[2]!.trim() }))
  }
}

const fragments = fc
  .array(fc.constantFrom('- ', '* ', '+ ', ' => ', '=>', ' =>', '=> ', ' ', '\t', 'a', 'b c', '=', '>', '-'), {
    maxLength: 8
  })
  .map((p) => p.join(''))
/** Mostly pair-shaped lines (so the old reader accepts many), some free-form. */
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom('- ', '* ', ' + ', '-\t'), fragments, fc.constantFrom(' => ', '\t=>\t', ' =>  '), fragments)
    .map((p) => p.join('')),
  fragments
)

describe('quiz match bodies', () => {
  it('read the same pairs as the old regex wherever it gave both sides', () => {
    let compared = 0
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), (lines) => {
        const question = ['Match these', '', ...lines].join('\n')
        const old = oldMatch(question)
        const now = readQuizBody('match', question, undefined)
        if (old === null) expect(now.ok).toBe(false)
        else if (old.pairs.every((p) => p.left && p.right) && ++compared)
          expect(now).toEqual({ ok: true, prompt: old.prompt, data: { type: 'match', pairs: old.pairs } })
      }),
      budget(3000)
    )
    expect(compared).toBeGreaterThan(100)
  })

  // The bug: PAIR = /^\s*[-*+]\s+(.+?)\s+=>\s+(.+)$/ backtracks in quadratic time over a
  // run of spaces with no `=>` after it; a 100 KB line in a match item (createQuizItem, a
  // content file, an imported topic) blocked the main process for about 10 s.
  it('regression: a long line of spaces in a match item is read in linear time (was ~10 s per 100 KB line)', async () => {
    const question = (spaces: number) => `Match\n\n- a => b\n- a${' '.repeat(spaces)}x\n- c => d`
    // The middle line is not a pair, so the item is refused; what matters is how fast.
    expect(readQuizBody('match', question(99_000), undefined)).toEqual({
      ok: false,
      reason: 'a match item needs at least two `- left => right` lines at the end of its question'
    })
    expect(await growth(question, (q) => readQuizBody('match', q, undefined), 12_500)).toBeLessThan(linearLimit())
  })
})
