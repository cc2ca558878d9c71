// Reads the answer part of a `::: quiz <id> <type>` block into QuizData.
import { findClozes } from '../../shared/cloze'
import type { QuizData, QuizType } from '../../shared/domain'
import { PRACTICE_KINDS, isPracticeKind } from '../study/practice'

export const QUIZ_TYPES: readonly QuizType[] = ['choice', 'truefalse', 'typein', 'cloze', 'order', 'match']

export type QuizBody = { ok: true; prompt: string; data: QuizData } | { ok: false; reason: string }

const CHOICE = /^\s*[-*+]\s+\[([ xX])\]\s+(.+)$/
const ORDERED = /^\s*\d+[.)]\s+(.+)$/
const BULLET = /^\s*[-*+]\s+/

/**
 * A `- left => right` line as [line, left, right], or null. Not a regex: the obvious one,
 * /^\s*[-*+]\s+(.+?)\s+=>\s+(.+)$/, backtracks in quadratic time on a long run of spaces
 * (a 100 KB line took about 10 s in the main process).
 */
function readPair(line: string): string[] | null {
  const bullet = BULLET.exec(line)
  if (!bullet) return null
  const rest = line.slice(bullet[0].length)
  for (let at = rest.indexOf('=>', 1); at !== -1; at = rest.indexOf('=>', at + 1)) {
    if (!/\s/.test(rest[at - 1]!) || !/\s/.test(rest[at + 2] ?? '')) continue
    const left = rest.slice(0, at).trim()
    const right = rest.slice(at + 2).trim()
    if (left && right) return [line, left, right]
  }
  return null
}

export function readQuizBody(
  type: QuizType,
  question: string,
  answerField: string | undefined,
  generatorField?: string
): QuizBody {
  switch (type) {
    case 'choice': {
      const { prompt, items } = trailingList(question, CHOICE)
      const options = items.map((m) => ({ text: m[2]!.trim(), correct: m[1] !== ' ' }))
      if (options.length < 2)
        return fail('a choice item needs at least two `- [ ]` / `- [x]` options at the end of its question')
      const right = options.filter((o) => o.correct).length
      if (right === 0) return fail('a choice item needs at least one right option marked `- [x]`')
      return ok(prompt, { type, options, multiple: right > 1 })
    }
    case 'truefalse': {
      const value = answerField?.trim().toLowerCase()
      if (value !== 'true' && value !== 'false') return fail('a truefalse item needs `answer: true` or `answer: false`')
      return ok(question, { type, answer: value === 'true' })
    }
    case 'typein': {
      if (generatorField !== undefined) {
        const kind = generatorField.trim()
        if (!isPracticeKind(kind)) return fail(`unknown generator \`${kind}\` (known: ${PRACTICE_KINDS.join(', ')})`)
        return ok(question, { type, answers: [], generator: kind })
      }
      const answers = (answerField ?? '')
        .split('|')
        .map((a) => a.trim())
        .filter(Boolean)
      if (answers.length === 0) return fail('a typein item needs `answer: ...` (alternatives separated by `|`)')
      return ok(question, { type, answers })
    }
    case 'cloze': {
      const blanks = findClozes(question).map((d) => ({ ordinal: d.ordinal, answer: d.answer.trim() }))
      if (blanks.length === 0) return fail('a cloze quiz item needs at least one `{{c1::...}}` blank in its question')
      return ok(question, { type, text: question, blanks })
    }
    case 'order': {
      const { prompt, items } = trailingList(question, ORDERED)
      if (items.length < 2)
        return fail('an order item needs a numbered list (`1. ...`) of at least two steps at the end of its question')
      return ok(prompt, { type, items: items.map((m) => m[1]!.trim()) })
    }
    case 'match': {
      const { prompt, items } = trailingList(question, readPair)
      if (items.length < 2)
        return fail('a match item needs at least two `- left => right` lines at the end of its question')
      return ok(prompt, { type, pairs: items.map((m) => ({ left: m[1]!.trim(), right: m[2]!.trim() })) })
    }
  }
}

/** The list of lines matching `pattern` (a regex, or a reader like one) at the end of `text`, and the prompt above it. */
function trailingList(
  text: string,
  pattern: RegExp | ((line: string) => string[] | null)
): { prompt: string; items: string[][] } {
  const lines = text.split('\n')
  const items: string[][] = []
  let i = lines.length - 1
  while (i >= 0) {
    const line = lines[i]!
    if (line.trim() === '' && items.length === 0) {
      i--
      continue
    }
    const match = typeof pattern === 'function' ? pattern(line) : pattern.exec(line)
    if (!match) break
    items.unshift(match)
    i--
  }
  return {
    prompt: lines
      .slice(0, i + 1)
      .join('\n')
      .trim(),
    items
  }
}

function ok(prompt: string, data: QuizData): QuizBody {
  return { ok: true, prompt, data }
}

function fail(reason: string): QuizBody {
  return { ok: false, reason }
}
