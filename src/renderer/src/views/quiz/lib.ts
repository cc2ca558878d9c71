// Pure helpers for the Quiz page: the answer being built for an item, turning it into the
// contract's QuizAnswer, keyboard mapping, moving steps of an order item, and formatting.
import type { QuizAnswer, QuizItemView } from '../../../../shared/study'

/** What the learner has entered so far for the current item; one field per item type. */
export interface Draft {
  /** Choice: indices of the chosen options. */
  selected: number[]
  /** True/false: the chosen value, or null before choosing. */
  value: boolean | null
  /** Type-in text. */
  text: string
  /** Cloze: one text per blank. */
  texts: string[]
  /** Order: indices into the shown steps, in the order the learner arranged them. */
  order: number[]
  /** Match: for each left item, the index of the chosen right option, or null. */
  pairs: (number | null)[]
}

export function emptyDraft(item: QuizItemView): Draft {
  return {
    selected: [],
    value: null,
    text: '',
    texts: item.type === 'cloze' ? Array.from({ length: item.blanks }, () => '') : [],
    order: item.type === 'order' ? item.items.map((_, i) => i) : [],
    pairs: item.type === 'match' ? item.left.map(() => null) : []
  }
}

/** The answer to send, or why it cannot be sent yet. */
export function toAnswer(item: QuizItemView, draft: Draft): { answer: QuizAnswer } | { problem: string } {
  switch (item.type) {
    case 'choice':
      if (draft.selected.length === 0)
        return { problem: item.multiple ? 'Choose at least one option.' : 'Choose an option.' }
      return { answer: { type: 'choice', selected: [...draft.selected].sort((a, b) => a - b) } }
    case 'truefalse':
      if (draft.value === null) return { problem: 'Choose True or False.' }
      return { answer: { type: 'truefalse', value: draft.value } }
    case 'typein':
      if (!draft.text.trim()) return { problem: 'Type an answer.' }
      return { answer: { type: 'typein', text: draft.text } }
    case 'cloze':
      if (draft.texts.some((t) => !t.trim())) return { problem: 'Fill in every blank.' }
      return { answer: { type: 'cloze', texts: [...draft.texts] } }
    case 'order':
      return { answer: { type: 'order', order: [...draft.order] } }
    case 'match': {
      if (draft.pairs.some((p) => p === null)) return { problem: 'Choose a match for every item.' }
      return { answer: { type: 'match', pairs: draft.pairs.map((p) => p ?? 0) } }
    }
  }
}

/** The option a number key (1-9) picks, if the item has that many. */
export function optionForKey(key: string, count: number): number | null {
  if (!/^[1-9]$/.test(key)) return null
  const index = Number(key) - 1
  return index < count ? index : null
}

/** Choosing option `index`: replaces the choice, or toggles it when several may be chosen. */
export function choose(selected: number[], index: number, multiple: boolean): number[] {
  if (!multiple) return [index]
  return selected.includes(index) ? selected.filter((i) => i !== index) : [...selected, index]
}

/** `order` with the entry at `from` moved by `delta` places; unchanged at either end. */
export function move(order: number[], from: number, delta: -1 | 1): number[] {
  const to = from + delta
  if (from < 0 || from >= order.length || to < 0 || to >= order.length) return order
  const next = [...order]
  ;[next[from], next[to]] = [next[to]!, next[from]!]
  return next
}

/** `m:ss`, or `h:mm:ss` from an hour up; negative durations read as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Seconds left, rounded up, so the clock shows 0:01 until time is really out. */
export function countdownMs(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000) * 1000)
}

/** Tags typed as `a, b #c`: split on commas and spaces, `#` dropped, duplicates removed. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#/, '').trim())
    .filter(Boolean)
  return [...new Set(tags)]
}

export const TIME_LIMITS: { label: string; seconds: number | null }[] = [
  { label: 'No time limit', seconds: null },
  { label: '1 minute', seconds: 60 },
  { label: '2 minutes', seconds: 120 },
  { label: '5 minutes', seconds: 300 },
  { label: '10 minutes', seconds: 600 },
  { label: '15 minutes', seconds: 900 },
  { label: '30 minutes', seconds: 1800 }
]

export function percent(score: number, total: number): number {
  return total === 0 ? 0 : Math.round((score / total) * 100)
}

/** A one-line verdict for the summary. */
export function verdict(score: number, total: number): string {
  const p = percent(score, total)
  if (total === 0) return 'No questions.'
  if (p === 100) return 'Perfect run.'
  if (p >= 80) return 'Strong: look over the few you missed.'
  if (p >= 50) return 'Getting there: the missed items below are worth a second look.'
  return 'Worth another pass: start with the missed items below.'
}

/** Text split into plain and `code` runs, so option labels can show code without HTML. */
export function codeRuns(text: string): { text: string; code: boolean }[] {
  const runs: { text: string; code: boolean }[] = []
  const parts = text.split('`')
  // An odd number of backticks leaves the last one literal.
  const closed = parts.length % 2 === 1
  parts.forEach((part, i) => {
    const code = i % 2 === 1 && (closed || i < parts.length - 1)
    const piece = code ? part : i % 2 === 1 ? '`' + part : part
    if (piece) runs.push({ text: piece, code })
  })
  return runs
}

/** Text for places that cannot hold markup (select options, accessible names): backticks dropped. */
export function plain(text: string): string {
  return codeRuns(text)
    .map((r) => r.text)
    .join('')
}

/** A short form of a prompt for accessible names (first line, at most `max` characters). */
export function shortPrompt(prompt: string, max = 60): string {
  const line = plain(prompt.split('\n').find((l) => l.trim()) ?? '')
    .replace(/[*_#>]/g, '')
    .trim()
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line
}

export const TYPE_LABELS: Record<QuizItemView['type'], string> = {
  choice: 'Multiple choice',
  truefalse: 'True or false',
  typein: 'Type the answer',
  cloze: 'Fill in the blanks',
  order: 'Put in order',
  match: 'Match the pairs'
}

/** An order item's right sequence, read back from the expected text ("1. step" lines). */
export function expectedSteps(expected: string): string[] {
  return expected.split('\n').map((line) => line.replace(/^\d+\.\s/, ''))
}

/** A match item's right option for each left item, read back from the expected text ("left → right" lines). */
export function expectedMatches(left: string[], expected: string): (string | null)[] {
  const lines = expected.split('\n')
  return left.map((l, i) => {
    const line = lines[i] ?? ''
    const prefix = `${l} → `
    return line.startsWith(prefix) ? line.slice(prefix.length) : null
  })
}
