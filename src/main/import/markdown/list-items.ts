// Questions as numbered list items, each answered by the indented block below it:
//
//   1. What is ARP?
//
//      It maps an IPv4 address to a link-layer address.
//
//   2.  ### What is NDP?          (a heading inside the item, as some repositories write it)
//
// An item is a question when an indented block follows it. Lines indented less than the item's
// text end the answer, except inside a fenced block that the answer opened.
import { stepFence, type FenceState } from '../../../shared/markdown-code'
import { PlanBuilder, type BuilderContext } from './builder'
import { partTag, questionTitle, type MdLine } from './lines'

const ITEM = /^( {0,3})(\d{1,4})([.)])(\s+)(.*)$/

interface Item {
  index: number
  /** Columns the item's text starts at (answer lines are de-indented by this much). */
  contentIndent: number
  text: string
}

function itemAt(line: MdLine): Item | null {
  const match = ITEM.exec(line.text)
  if (!match) return null
  const spaces = match[4]!.length
  const contentIndent = match[1]!.length + match[2]!.length + 1 + (spaces > 4 ? 1 : spaces)
  return { index: line.n - 1, contentIndent, text: match[5]! }
}

const indentOf = (text: string) => text.length - text.trimStart().length

/** The answer block of an item: line indexes after it that belong to it. */
function answerEnd(lines: MdLine[], item: Item): number {
  let fence: FenceState | null = null
  let end = item.index + 1
  for (let i = item.index + 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.blank) continue
    const inside = fence !== null
    const outdented = indentOf(line.text) < item.contentIndent
    // A fence left open by a broken answer does not swallow the next `N. ### Question`.
    if (outdented && (!inside || NEXT_QUESTION.test(line.text))) break
    fence = stepFence(line.text.slice(Math.min(item.contentIndent, indentOf(line.text))), fence)
    end = i + 1
  }
  return end
}

const HEADING_ITEM = /^#{1,6}\s+(.*?)\s*#*\s*$/
const NEXT_QUESTION = /^ {0,3}\d{1,4}[.)]\s+#{1,6}\s/

/**
 * The question items in file order with the end of each answer (a line index). Fences are
 * tracked here rather than taken from the file-wide scan: a fence indented inside an answer is
 * only a fence once the answer's indent is removed.
 */
function questionItems(lines: MdLine[]): { item: Item; end: number }[] {
  const found: { item: Item; end: number }[] = []
  let fence: FenceState | null = null
  let i = 0
  while (i < lines.length) {
    const item = fence === null ? itemAt(lines[i]!) : null
    if (item) {
      const end = answerEnd(lines, item)
      // `N. ### Question` is a question even with nothing under it (it gets a warning).
      if (end > i + 1 || HEADING_ITEM.test(item.text)) {
        found.push({ item, end })
        i = end
        continue
      }
    }
    fence = stepFence(lines[i]!.text, fence)
    i++
  }
  return found
}

/** Numbered items followed by an indented answer (how detection scores this layout). */
export function countListQuestions(lines: MdLine[]): number {
  return questionItems(lines).filter(({ item, end }) => end > item.index + 1).length
}

export function parseListItems(lines: MdLine[], ctx: BuilderContext, title: string | null): PlanBuilder {
  const builder = new PlanBuilder('markdown', 'numbered list items', ctx, title)
  const usedParts = new Set<MdLine>()
  const headings = lines.filter((l) => l.heading && l.heading.level > 1)
  for (const { item, end } of questionItems(lines)) {
    const line = lines[item.index]!
    const part = headings.findLast((h) => h.n < line.n) ?? null
    const answer = lines
      .slice(item.index + 1, end)
      .map((l) => l.text.slice(Math.min(item.contentIndent, indentOf(l.text))))
    const headingText = HEADING_ITEM.exec(item.text)?.[1]
    if (part) usedParts.add(part)
    builder.addQuestion({
      title: questionTitle(headingText ?? item.text),
      answer,
      line: line.n,
      to: lines[end - 1]!.n,
      tags: part ? [partTag(part.heading!.text)] : []
    })
  }
  for (const p of usedParts) builder.span(p.n, p.n, 'tag')
  return builder
}
