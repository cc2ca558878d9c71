// Where code lives in a markdown text. Card syntax (cloze markers, block fences) is never
// interpreted inside fenced code blocks or code spans, so parsers look at a masked copy.

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/

export interface FenceState {
  char: string
  length: number
}

/** Steps a fence tracker over one line; returns the new state (null = outside any fence). */
export function stepFence(line: string, state: FenceState | null): FenceState | null {
  const match = FENCE_OPEN.exec(line)
  if (!state) {
    if (!match) return null
    const marker = match[1]!
    // A backtick fence's info string may not contain backticks (CommonMark 4.5).
    if (marker[0] === '`' && line.slice(match[0].length).includes('`')) return null
    return { char: marker[0]!, length: marker.length }
  }
  if (match && match[1]![0] === state.char && match[1]!.length >= state.length) {
    if (line.slice(match[0].length).trim() === '') return null
  }
  return state
}

/**
 * A copy of `text` of the same length in which every character inside a fenced code block
 * or a code span is replaced by a space (newlines are kept), so indices map 1:1.
 */
export function maskCode(text: string): string {
  const lines = text.split('\n')
  let fence: FenceState | null = null
  const out: string[] = []
  for (const line of lines) {
    const wasInside = fence !== null
    fence = stepFence(line, fence)
    if (wasInside || fence !== null) {
      out.push(' '.repeat(line.length))
    } else {
      out.push(maskCodeSpans(line))
    }
  }
  return out.join('\n')
}

function maskCodeSpans(line: string): string {
  const chars = line.split('')
  /** Where the last masked span ended: runs before it were inside it. */
  let after = 0
  for (const { at, length } of backtickRuns(line, 0)) {
    if (at < after) continue
    const closer = findRun(line, at + length, length)
    if (closer < 0) continue
    chars.fill(' ', at, closer + length)
    after = closer + length
  }
  return chars.join('')
}

/** Each run of backticks at or after `from`, in order: where it starts and how many backticks. */
function* backtickRuns(line: string, from: number): Generator<{ at: number; length: number }> {
  let i = from
  while (i < line.length) {
    if (line[i] !== '`') {
      i++
      continue
    }
    let length = 0
    while (line[i + length] === '`') length++
    yield { at: i, length }
    i += length
  }
}

/** Index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(line: string, from: number, length: number): number {
  for (const run of backtickRuns(line, from)) if (run.length === length) return run.at
  return -1
}
