// Pure quiz logic: how an item is shown (without its answer), how an answer is checked
// against the stored item, and the expected answer as text. No SQL, no clock, no randomness
// except the seeded shuffle and the seeded numbers of generated items, so a session's
// arrangement can be rebuilt from its seed.
import { seededRandom, type Random } from '../../shared/seeded-random'
import { findClozes } from '../../shared/cloze'
import type { QuizData } from '../../shared/domain'
import { ValidationError } from '../../shared/errors'
import type { QuizAnswer, QuizItemView } from '../../shared/study'
import { generatePractice, isPracticeKind, type PracticeItem } from './practice'

export interface StoredQuizItem {
  id: string
  prompt: string
  data: QuizData
}

/**
 * What the learner was shown for an item, where the view is not the authored order: the
 * order item's steps as shuffled, or a match item's right-hand options as shuffled. Answers
 * are indices into these lists, so the service keeps them with the session.
 */
export type Shown = string[] | null

// ---- Typed answers -------------------------------------------------------------------

/** Characters that do not change a typed answer's meaning when they trail it. */
const TRAILING_PUNCTUATION = /[.,;:!?。]+$/
/** Wrappers people type around answers: quotes, backticks, emphasis. */
const WRAPPERS = /^[`"'*“”‘’]+|[`"'*“”‘’]+$/g

/**
 * A typed answer reduced to what matters: Unicode-normalized, case-folded, white space
 * trimmed and collapsed, surrounding quotes/backticks and trailing punctuation dropped.
 */
export function normalizeTyped(text: string): string {
  let out = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
  out = out.replace(WRAPPERS, '').trim()
  out = out.replace(TRAILING_PUNCTUATION, '').trim()
  return out.replace(WRAPPERS, '').trim()
}

/** An author's answer split into its `|` alternatives. */
export function splitAlternatives(answer: string): string[] {
  return answer
    .split('|')
    .map((a) => a.trim())
    .filter(Boolean)
}

/** Whether `given` matches any accepted answer under the typing tolerance. */
export function typedMatches(given: string, accepted: string[]): boolean {
  const typed = normalizeTyped(given)
  if (!typed) return false
  return accepted.some((a) => normalizeTyped(a) === typed)
}

// ---- Seeded arrangement ----------------------------------------------------------------

/** FNV-1a, 32-bit: a seed from a string. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function generator(seed: string): Random {
  return seededRandom(hashSeed(seed))
}

/**
 * The drawn instance of a generated item (`generator:` in its block) for one session, or null
 * for an ordinary item. The seed is the session's (`<sessionId>:<itemId>`), so the numbers are
 * new in every quiz and the same when the answer is checked.
 */
export function practiceFor(data: QuizData, seed: string): PracticeItem | null {
  if (data.type !== 'typein' || !data.generator || !isPracticeKind(data.generator)) return null
  return generatePractice(data.generator, generator(`practice:${seed}`))
}

/** Fisher-Yates with a seeded generator: the same seed always gives the same order. */
export function seededShuffle<T>(list: readonly T[], seed: string): T[] {
  const out = [...list]
  const next = generator(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * `list` shuffled by `seed`, and never left in its original order when another order exists
 * (an order item shown already solved would test nothing): an unlucky shuffle is rotated.
 */
export function shuffleAway(list: readonly string[], seed: string): string[] {
  const shuffled = seededShuffle(list, seed)
  if (!sameList(shuffled, list)) return shuffled
  for (let k = 1; k < list.length; k++) {
    const rotated = [...list.slice(k), ...list.slice(0, k)]
    if (!sameList(rotated, list)) return rotated
  }
  return shuffled
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

// ---- Views ------------------------------------------------------------------------------

/** A cloze question with its blanks hidden: `[1]`, or `[1: hint]` when the author gave one. */
export function maskCloze(text: string): string {
  let out = ''
  let last = 0
  findClozes(text).forEach((deletion, i) => {
    out += text.slice(last, deletion.start)
    out += deletion.hint ? `[${i + 1}: ${deletion.hint}]` : `[${i + 1}]`
    last = deletion.end
  })
  return out + text.slice(last)
}

/** The prompt as the learner sees it (cloze blanks hidden; a generated item's numbers drawn by `seed`). */
export function visiblePrompt(item: StoredQuizItem, seed = ''): string {
  if (item.data.type === 'cloze') return maskCloze(item.data.text)
  const practice = practiceFor(item.data, seed)
  return practice ? `${item.prompt}\n\n${practice.question}` : item.prompt
}

/** The explanation shown after answering: for a generated item, its worked solution first. */
export function explanationFor(item: StoredQuizItem & { explanation: string }, seed: string): string {
  const practice = practiceFor(item.data, seed)
  if (!practice) return item.explanation
  return `**Worked answer**\n\n${practice.worked}${item.explanation.trim() ? `\n\n${item.explanation}` : ''}`
}

/** How an item is shown, without anything that gives its answer away. */
export function viewOf(item: StoredQuizItem, seed: string): { view: QuizItemView; shown: Shown } {
  const { id, data } = item
  const prompt = visiblePrompt(item, seed)
  switch (data.type) {
    case 'choice':
      return {
        view: { id, type: 'choice', prompt, options: data.options.map((o) => o.text), multiple: data.multiple },
        shown: null
      }
    case 'truefalse':
      return { view: { id, type: 'truefalse', prompt }, shown: null }
    case 'typein':
      return { view: { id, type: 'typein', prompt }, shown: null }
    case 'cloze':
      return { view: { id, type: 'cloze', prompt, blanks: data.blanks.length }, shown: null }
    case 'order': {
      const items = shuffleAway(data.items, seed)
      return { view: { id, type: 'order', prompt, items }, shown: items }
    }
    case 'match': {
      // Each distinct right side once: two left items may share an answer.
      const right = shuffleAway([...new Set(data.pairs.map((p) => p.right))], seed)
      return { view: { id, type: 'match', prompt, left: data.pairs.map((p) => p.left), right }, shown: right }
    }
  }
}

// ---- Checking ---------------------------------------------------------------------------

/**
 * Whether `answer` is right for the stored item. `shown` is what the session showed (for
 * order and match). Throws ValidationError for an answer that does not fit the item at all
 * (wrong type, indices out of range), which is a broken client rather than a wrong answer.
 * `seed` draws a generated item's numbers (the same seed its view was made with).
 */
export function checkAnswer(data: QuizData, answer: QuizAnswer, shown: Shown, seed = ''): boolean {
  if (answer.type !== data.type) throw new ValidationError(`this item takes a ${data.type} answer, not ${answer.type}`)
  switch (data.type) {
    case 'choice': {
      const { selected } = answer as Extract<QuizAnswer, { type: 'choice' }>
      inRange(selected, data.options.length, 'option')
      const chosen = new Set(selected)
      return data.options.every((o, i) => o.correct === chosen.has(i))
    }
    case 'truefalse':
      return (answer as Extract<QuizAnswer, { type: 'truefalse' }>).value === data.answer
    case 'typein': {
      const { text } = answer as Extract<QuizAnswer, { type: 'typein' }>
      const practice = practiceFor(data, seed)
      return practice ? practice.check(text) : typedMatches(text, data.answers)
    }
    case 'cloze': {
      const { texts } = answer as Extract<QuizAnswer, { type: 'cloze' }>
      if (texts.length > data.blanks.length)
        throw new ValidationError(`this item has ${data.blanks.length} blanks, not ${texts.length}`)
      return data.blanks.every((b, i) => typedMatches(texts[i] ?? '', splitAlternatives(b.answer)))
    }
    case 'order': {
      const { order } = answer as Extract<QuizAnswer, { type: 'order' }>
      const list = shown ?? data.items
      if (order.length !== list.length || new Set(order).size !== order.length) {
        throw new ValidationError(`an order answer lists each of the ${list.length} steps once`)
      }
      inRange(order, list.length, 'step')
      return (
        order.length === data.items.length && order.every((index, position) => list[index] === data.items[position])
      )
    }
    case 'match': {
      const { pairs } = answer as Extract<QuizAnswer, { type: 'match' }>
      const right = shown ?? data.pairs.map((p) => p.right)
      if (pairs.length !== data.pairs.length)
        throw new ValidationError(`a match answer picks one option for each of the ${data.pairs.length} items`)
      inRange(pairs, right.length, 'option')
      return pairs.every((index, i) => right[index] === data.pairs[i]!.right)
    }
  }
}

function inRange(indices: number[], length: number, what: string): void {
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= length)
  if (bad !== undefined) throw new ValidationError(`no ${what} ${bad}: this item has ${length}`)
}

/** The right answer as text to show after answering (lines separated by `\n`); `seed` as for checkAnswer. */
export function expectedText(data: QuizData, seed = ''): string {
  switch (data.type) {
    case 'choice':
      return data.options
        .filter((o) => o.correct)
        .map((o) => o.text)
        .join('\n')
    case 'truefalse':
      return data.answer ? 'True' : 'False'
    case 'typein': {
      const practice = practiceFor(data, seed)
      if (practice) return practice.expected
      const [first, ...rest] = data.answers
      return rest.length ? `${first} (also accepted: ${rest.join(', ')})` : (first ?? '')
    }
    case 'cloze': {
      const answers = data.blanks.map((b) => splitAlternatives(b.answer).join(' or '))
      return answers.length === 1 ? answers[0]! : answers.map((a, i) => `${i + 1}. ${a}`).join('\n')
    }
    case 'order':
      return data.items.map((step, i) => `${i + 1}. ${step}`).join('\n')
    case 'match':
      return data.pairs.map((p) => `${p.left} → ${p.right}`).join('\n')
  }
}
