// Markdown interview guides: `# Title`, parts as `## ...`, numbered questions as `### ...`
// (often in bold), each answered in free markdown until the next question or part. Every
// question becomes a note (the answer) and a Q/A card, tagged with its part.
import { stepFence, type FenceState } from '../../shared/markdown-code'
import { PlanBuilder } from './markdown/builder'
import { accountForLeftovers } from './markdown/leftovers'
import { isNumbered, partTag, questionTitle, scanLines } from './markdown/lines'

export { questionTitle }
import type { ImportPlan } from './types'

export interface GuideContext {
  /** File name shown in warnings and recorded as source_file. */
  file: string
  /** Deck name chosen by the user; defaults to the guide's `#` title. */
  deckName?: string
  /** Name to fall back on when the guide has no `#` title (the file name without extension). */
  fallbackName: string
  /** The heading level of questions (default 3: `###`). */
  level?: number
  onProgress?: (fraction: number) => void
}

interface Heading {
  level: number
  text: string
  /** 0-based index into the lines. */
  index: number
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/
/** Report parsing progress every this many lines. */
const PROGRESS_LINES = 5_000

/** True when `text` has a `#`-heading title or `###` headings outside code: it reads as a guide. */
export function looksLikeGuide(text: string): boolean {
  return scanHeadings(text.split('\n')).headings.some((h) => h.level === 3)
}

function scanHeadings(
  lines: string[],
  onProgress?: (fraction: number) => void
): { headings: Heading[]; openFence: boolean } {
  const headings: Heading[] = []
  let fence: FenceState | null = null
  lines.forEach((line, index) => {
    const inFence = fence !== null
    fence = stepFence(line, fence)
    if (onProgress && index % PROGRESS_LINES === 0) onProgress(index / lines.length)
    if (inFence || fence !== null) return
    const match = HEADING.exec(line)
    if (match) headings.push({ level: match[1]!.length, text: match[2]!, index })
  })
  return { headings, openFence: fence !== null }
}

export function parseGuide(text: string, ctx: GuideContext): ImportPlan {
  const lines = text.split('\n')
  const { headings, openFence } = scanHeadings(lines, ctx.onProgress)
  const level = ctx.level ?? 3
  const titleHeading = headings[0]?.level === 1 ? headings[0] : headings.find((h) => h.level === 1)
  const guideTitle = titleHeading ? questionTitle(titleHeading.text) : null
  const { text: description, lines: descriptionLines } = preamble(lines, headings)
  const builder = new PlanBuilder(
    'guide',
    level === 3 ? 'numbered question headings' : `numbered question headings (level ${level})`,
    ctx,
    guideTitle,
    description
  )
  if (titleHeading) builder.span(titleHeading.index + 1, titleHeading.index + 1, 'deck')
  if (descriptionLines && !description.endsWith('...')) builder.span(descriptionLines[0], descriptionLines[1], 'deck')

  // When any heading at the question level is numbered, only numbered ones are questions: an
  // unnumbered `### Example` inside an answer stays part of that answer.
  const atLevel = headings.filter((h) => h.level === level)
  const numberedStyle = atLevel.some((h) => isNumbered(h.text))
  const questions = atLevel.filter((h) => !numberedStyle || isNumbered(h.text))
  const boundaries = new Set([
    ...questions.map((q) => q.index),
    ...headings.filter((h) => h.level < level).map((h) => h.index)
  ])
  // Each question's part: the nearest heading above it at a higher level (not the title).
  const partByQuestion = new Map<number, Heading>()
  const isQuestion = new Set(questions)
  let part: Heading | null = null
  for (const heading of headings) {
    if (heading.level < level && heading !== titleHeading) part = heading
    else if (part && isQuestion.has(heading)) partByQuestion.set(heading.index, part)
  }
  const usedParts = new Set<Heading>()

  questions.forEach((question, n) => {
    const line = question.index + 1
    const title = questionTitle(question.text)
    let end = question.index + 1
    while (end < lines.length && !boundaries.has(end)) end++
    const answerLines = trimAnswer(lines.slice(question.index + 1, end))
    const last = n === questions.length - 1
    const cutFence = last && openFence
    const incomplete =
      answerLines.length > 0 && (cutFence || (last && end === lines.length && looksCutOff(answerLines)))
    if (incomplete && title.length > 0) {
      builder.warn(line, line, `question "${title}" looks cut off mid-answer; imported and tagged \`incomplete\``)
    }
    const part = partByQuestion.get(question.index)
    if (part) usedParts.add(part)
    const tags = [...(part ? [partTag(part.text)] : []), ...(incomplete ? ['incomplete'] : [])]
    builder.addQuestion({
      title,
      // A fence left open by a cut-off file is closed so the answer still renders (and exports).
      answer: [...answerLines, ...(cutFence ? [closingFence(answerLines)] : [])],
      line,
      to: end,
      tags,
      ...(incomplete ? { incomplete } : {})
    })
  })
  for (const part of usedParts) builder.span(part.index + 1, part.index + 1, 'tag')
  if (questions.length === 0) builder.warn(1, 1, 'no question headings found; nothing to import')
  accountForLeftovers(scanLines(text), builder)
  ctx.onProgress?.(1)
  return builder.finish()
}

/** Drops blank lines and horizontal rules (question separators) from both ends. */
function trimAnswer(lines: string[]): string[] {
  let start = 0
  let end = lines.length
  const filler = (line: string) => line.trim() === '' || RULE.test(line)
  while (start < end && filler(lines[start]!)) start++
  while (end > start && filler(lines[end - 1]!)) end--
  return lines.slice(start, end).map((l) => l.trimEnd())
}

function closingFence(answer: string[]): string {
  let fence: FenceState | null = null
  for (const line of answer) fence = stepFence(line, fence)
  return fence ? fence.char.repeat(fence.length) : '```'
}

const CONNECTORS = new Set([
  'and',
  'or',
  'but',
  'the',
  'a',
  'an',
  'to',
  'of',
  'with',
  'for',
  'is',
  'are',
  'that',
  'which',
  'by',
  'in',
  'on',
  'because',
  'when',
  'if',
  'as',
  'so',
  'then'
])

/**
 * `text` without the run of characters at its end that `drop` accepts. A loop, not
 * /[*_]+$/ or /([A-Za-z]+)$/: those retry from every position of a long run and took
 * quadratic time (a 100 KB last line of letters ending in a digit took ~8 s).
 */
function trimEnd(text: string, drop: (ch: string) => boolean): string {
  let end = text.length
  while (end > 0 && drop(text[end - 1]!)) end--
  return text.slice(0, end)
}

/** Whether the last line of a file's final answer stops mid-sentence. */
export function looksCutOff(answer: string[]): boolean {
  const lastLine = answer.at(-1)?.trim() ?? ''
  if (/^(`{3,}|~{3,})\s*$/.test(lastLine)) return false
  if (lastLine.startsWith('|')) return !lastLine.endsWith('|')
  const listItem = /^([-*+]|\d+[.)])\s+/.test(lastLine)
  const text = trimEnd(lastLine.replace(/^>\s*/, ''), (ch) => ch === '*' || ch === '_').trim()
  if (/[,:;(\u2013\u2014-]$/.test(text)) return true
  if (/[.!?)\]"'\u201d\u2019`|]$/.test(text)) return false
  const lastWord = text.slice(trimEnd(text, (ch) => /[A-Za-z]/.test(ch)).length).toLowerCase()
  if (lastWord && CONNECTORS.has(lastWord)) return true
  // A list item without a full stop is normal; a paragraph without one stopped mid-sentence.
  return !listItem
}

/** The first paragraph between the `#` title and the first part or question, as one line, and its lines (1-based). */
function preamble(lines: string[], headings: Heading[]): { text: string; lines: [number, number] | null } {
  const title = headings.find((h) => h.level === 1)
  const firstSection = headings.find((h) => h.level >= 2)
  const from = title ? title.index + 1 : 0
  const to = firstSection ? firstSection.index : Math.min(lines.length, from + 20)
  const paragraph: string[] = []
  let first = -1
  let last = -1
  for (let i = from; i < to; i++) {
    const line = lines[i]!
    if (line.trim() === '' || RULE.test(line)) {
      if (paragraph.length > 0) break
      continue
    }
    if (/^\s*(```|~~~|[|>#-])/.test(line)) break
    if (first < 0) first = i
    last = i
    paragraph.push(line.trim())
  }
  const text = paragraph.join(' ')
  return {
    text: text.length > 300 ? `${text.slice(0, 297)}...` : text,
    lines: first < 0 ? null : [first + 1, last + 1]
  }
}
