// Anki-style cloze deletions: {{c1::answer}} or {{c1::answer::hint}}.
import { maskCode } from './markdown-code'

export interface ClozeDeletion {
  ordinal: number
  answer: string
  hint: string | null
  start: number
  end: number
}

const OPENING = /\{\{c(\d{1,3})::/g

/**
 * The deletions in `text`, skipping anything inside code spans or fences.
 *
 * A deletion is `{{cN::` (N of 1-3 digits), then the answer up to the first `}}`; a `::`
 * before that `}}` ends the answer and starts the hint. Code inside a deletion is part of
 * it (`{{c1::`std::vector`}}` has no hint). This is a linear scan: the regular expression
 * it replaces (`\{\{c(\d{1,3})::([\s\S]*?)(?:::([\s\S]*?))?\}\}`) backtracked in cubic time
 * on unclosed openings, so a 6 KB card took seconds and a 100 KB one hung the process.
 */
export function findClozes(text: string): ClozeDeletion[] {
  const masked = maskCode(text)
  // nextClose[i] / nextSep[i]: the first index >= i where `}}` / `::` starts in the masked text, or -1.
  const n = masked.length
  const nextClose = new Int32Array(n + 1).fill(-1)
  const nextSep = new Int32Array(n + 1).fill(-1)
  for (let i = n - 2; i >= 0; i--) {
    nextClose[i] = masked[i] === '}' && masked[i + 1] === '}' ? i : nextClose[i + 1]!
    nextSep[i] = masked[i] === ':' && masked[i + 1] === ':' ? i : nextSep[i + 1]!
  }
  const found: ClozeDeletion[] = []
  OPENING.lastIndex = 0
  for (let match = OPENING.exec(masked); match; match = OPENING.exec(masked)) {
    const start = match.index
    const body = start + match[0].length
    const close = nextClose[body]!
    if (close < 0) break // no `}}` anywhere after this opening, so none after any later one either
    const sep = nextSep[body]!
    const hinted = sep >= 0 && sep < close
    found.push({
      ordinal: Number(match[1]),
      answer: text.slice(body, hinted ? sep : close),
      hint: hinted ? text.slice(sep + 2, close) : null,
      start,
      end: close + 2
    })
    OPENING.lastIndex = close + 2
  }
  return found
}

/** The distinct ordinals, ascending: one card each. */
export function clozeOrdinals(text: string): number[] {
  return [...new Set(findClozes(text).map((d) => d.ordinal))].sort((a, b) => a - b)
}

/**
 * Markdown for one side of cloze card `ordinal`: on the front its deletions become
 * `[...]` (or `[hint]`), on the back they are shown in bold; other deletions show their text.
 */
export function renderCloze(text: string, ordinal: number, side: 'front' | 'back'): string {
  let out = ''
  let last = 0
  for (const deletion of findClozes(text)) {
    out += text.slice(last, deletion.start)
    if (deletion.ordinal !== ordinal) out += deletion.answer
    else if (side === 'front') out += `**[${deletion.hint ?? '...'}]**`
    else out += `**${deletion.answer}**`
    last = deletion.end
  }
  return out + text.slice(last)
}
