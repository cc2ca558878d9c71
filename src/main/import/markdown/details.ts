// `<details><summary>Question</summary> answer </details>`: the layout of many interview
// repositories (answers hidden until clicked). The summary is the question; when it is only a
// label ("Answer", "Show solution"), the paragraph or heading just above is the question. The
// answer is everything up to the matching `</details>` (nested ones stay inside), without the
// `<br><b> … </b>` wrapper some repositories put around every answer.
import { htmlToMarkdown } from '../html-to-markdown'
import { PlanBuilder, type BuilderContext } from './builder'
import { partTag, questionTitle, type MdLine } from './lines'

const OPEN = /<details\b[^>]*>/gi
const CLOSE = /<\/details\s*>/gi
const SUMMARY = /<summary\b[^>]*>([\s\S]*?)<\/summary\s*>/i
/** A summary that labels the answer rather than asking the question. */
const LABEL = /^(?:answer|solution|show|click|reveal|see|view|expand|hint)\b/i

export function countDetails(lines: MdLine[]): number {
  return lines.filter((l) => !l.code && /<summary\b/i.test(l.masked)).length
}

const stripTags = (html: string) => htmlToMarkdown(html).markdown.replace(/\s+/g, ' ').trim()

export function parseDetails(lines: MdLine[], ctx: BuilderContext, title: string | null): PlanBuilder {
  const builder = new PlanBuilder('markdown', '<details> Q&A', ctx, title)
  const parts: MdLine[] = []
  const usedParts = new Set<MdLine>()
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.heading && !line.code && line.heading.level > 1) parts.push(line)
    if (line.code || !/<details\b/i.test(line.masked)) {
      i++
      continue
    }
    const block = readBlock(lines, i)
    let question = block.summary
    let from = line.n
    if (!question || LABEL.test(question)) {
      const above = paragraphAbove(lines, i)
      if (above) {
        question = above.text
        from = above.from
      }
    }
    const part = parts.findLast((p) => p.n < from) ?? null
    const tags = part ? [partTag(part.heading!.text)] : []
    if (part && question) usedParts.add(part)
    builder.addQuestion({
      title: question ?? '',
      answer: block.answer,
      line: from,
      to: block.to,
      tags,
      ...(block.closed ? {} : { incomplete: true })
    })
    if (!block.closed)
      builder.warn(
        line.n,
        block.to,
        `<details> opened on line ${line.n} is never closed; the answer runs to the end of the file`
      )
    i = block.to // block.to is 1-based: the next line's index
  }
  for (const p of usedParts) builder.span(p.n, p.n, 'tag')
  return builder
}

interface Block {
  summary: string | null
  answer: string[]
  /** Last line of the block (1-based). */
  to: number
  closed: boolean
}

/** Reads one `<details>` block from line index `start` to its matching close. */
function readBlock(lines: MdLine[], start: number): Block {
  let depth = 0
  let text = ''
  let end = start
  let closed = false
  for (let i = start; i < lines.length; i++) {
    const masked = lines[i]!.code ? '' : lines[i]!.masked
    text += (i === start ? '' : '\n') + lines[i]!.text
    depth += (masked.match(OPEN)?.length ?? 0) - (masked.match(CLOSE)?.length ?? 0)
    end = i
    if (depth <= 0) {
      closed = true
      break
    }
  }
  const openAt = text.search(/<details\b[^>]*>/i)
  let inner = text.slice(openAt).replace(/^<details\b[^>]*>/i, '')
  if (closed) inner = inner.slice(0, lastIndexOf(inner, /<\/details\s*>/gi))
  const summary = SUMMARY.exec(inner)
  let answer = summary ? inner.slice(summary.index + summary[0].length) : inner
  answer = unwrap(answer)
  return {
    summary: summary ? questionTitle(stripTags(summary[1]!)) || null : null,
    answer: answer.split('\n'),
    to: lines[end]!.n,
    closed
  }
}

function lastIndexOf(text: string, pattern: RegExp): number {
  let at = text.length
  for (const match of text.matchAll(pattern)) at = match.index
  return at
}

/** Drops leading `<br>`s and a `<b> … </b>` that wraps the whole answer. */
function unwrap(answer: string): string {
  let out = answer.trim().replace(/^(?:<br\s*\/?>\s*)+/i, '')
  if (/^<b>/i.test(out) && /<\/b>$/i.test(out)) out = out.slice(3, -4).trim()
  return out.replace(/^(?:<br\s*\/?>\s*)+/i, '')
}

/** The paragraph or heading just above line index `at`, when a summary is only a label. */
function paragraphAbove(lines: MdLine[], at: number): { text: string; from: number } | null {
  let i = at - 1
  while (i >= 0 && lines[i]!.blank) i--
  if (i < 0 || lines[i]!.code) return null
  if (lines[i]!.heading) return { text: questionTitle(lines[i]!.heading!.text), from: lines[i]!.n }
  const end = i
  while (i > 0 && !lines[i - 1]!.blank && !lines[i - 1]!.heading && !lines[i - 1]!.code) i--
  if (
    /<\/details>/i.test(
      lines
        .slice(i, end + 1)
        .map((l) => l.masked)
        .join(' ')
    )
  )
    return null
  const text = lines
    .slice(i, end + 1)
    .map((l) => l.text.trim())
    .join(' ')
  return { text: questionTitle(text), from: lines[i]!.n }
}
