// Anki-style cloze deletions: {{c1::answer}} or {{c1::answer::hint}}.
import { maskCode } from './markdown-code'

export interface ClozeDeletion {
  ordinal: number
  answer: string
  hint: string | null
  start: number
  end: number
}

const CLOZE = /\{\{c(\d{1,3})::([\s\S]*?)(?:::([\s\S]*?))?\}\}/g

/** The deletions in `text`, skipping anything inside code spans or fences. */
export function findClozes(text: string): ClozeDeletion[] {
  const masked = maskCode(text)
  const found: ClozeDeletion[] = []
  for (const match of masked.matchAll(CLOZE)) {
    const start = match.index
    const end = start + match[0].length
    const original = text.slice(start, end)
    const parsed = new RegExp(CLOZE.source).exec(original)
    if (!parsed) continue
    found.push({
      ordinal: Number(parsed[1]),
      answer: parsed[2]!,
      hint: parsed[3] ?? null,
      start,
      end
    })
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
