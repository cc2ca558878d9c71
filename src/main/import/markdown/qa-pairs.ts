// Questions and answers written as marked paragraphs, as many interview notes do:
//
//   **Q1: Explain the TCP three-way handshake.**
//   A: The client sends a SYN, ...
//
//   Q: What is ARP?          **Question 3.** What is NDP?
//   **A:** It maps ...       **Answer:** It finds ...
//
// A question line starts with `Q`, `Q12` or `Question 12` and `:`, `.` or `)`, bold or not. Its
// answer is what follows, without its `A:` / `Answer:` marker, up to the next question, a
// heading or a `---` rule. Detection counts only questions whose answer starts with a marker,
// so prose that happens to begin with "Q:" does not turn a guide into this layout.
import { PlanBuilder, type BuilderContext } from './builder'
import { partTag, type MdLine } from './lines'

const QUESTION = /^\s{0,3}(?:\*\*|__)?\s*Q(?:uestion)?\s*\d{0,4}\s*[:.)]\s*(?:\*\*|__)?\s*(.*?)\s*$/i
const ANSWER = /^\s{0,3}(?:\*\*|__)?\s*A(?:ns(?:wer)?)?\s*\d{0,4}\s*[:.)]\s*(?:\*\*|__)?\s?/i
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/

/** The question's text without the bold markers that closed around it (`**Q1: text**`). */
function questionText(line: string): string | null {
  const match = QUESTION.exec(line)
  if (!match) return null
  return match[1]!.replace(/^(\*\*|__)|(\*\*|__)$/g, '').trim()
}

interface Pair {
  /** Line index of the question. */
  index: number
  title: string
  /** Line index after the answer's last line. */
  end: number
  marked: boolean
}

function pairs(lines: MdLine[]): Pair[] {
  const found: Pair[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.code || line.heading) continue
    const title = questionText(line.text)
    if (title === null) continue
    let end = i + 1
    while (end < lines.length) {
      const next = lines[end]!
      if (!next.code && (next.heading || RULE.test(next.text) || questionText(next.text) !== null)) break
      end++
    }
    const first = lines.slice(i + 1, end).find((l) => !l.blank)
    found.push({ index: i, title, end, marked: first !== undefined && !first.code && ANSWER.test(first.text) })
    i = end - 1
  }
  return found
}

/** Questions whose answer starts with an `A:` marker (how detection scores this layout). */
export function countQaPairs(lines: MdLine[]): number {
  return pairs(lines).filter((p) => p.marked).length
}

export function parseQaPairs(lines: MdLine[], ctx: BuilderContext, title: string | null): PlanBuilder {
  const builder = new PlanBuilder('markdown', 'Q: / A: pairs', ctx, title)
  const usedParts = new Set<MdLine>()
  const introductions = new Set<MdLine>()
  const headings = lines.filter((l) => l.heading && l.heading.level > 1)
  const sectionLevel = Math.min(...headings.map((h) => h.heading!.level))
  for (const pair of pairs(lines)) {
    const line = lines[pair.index]!
    const answer = lines.slice(pair.index + 1, pair.end).map((l) => l.text)
    const first = answer.findIndex((text) => text.trim() !== '')
    if (first >= 0 && ANSWER.test(answer[first]!)) answer[first] = answer[first]!.replace(ANSWER, '')
    // The tag comes from the nearest section heading above at the file's top section level, so
    // a `### Interview Q&A` heading under each `## Topic` does not tag every card alike.
    const part = headings.findLast((h) => h.n < line.n && h.heading!.level === sectionLevel) ?? null
    if (part) usedParts.add(part)
    // A heading right above the questions (`### Interview Q&A`) only introduces them.
    const intro = headings.findLast((h) => h.n < line.n) ?? null
    if (intro && intro !== part) introductions.add(intro)
    builder.addQuestion({
      title: pair.title,
      answer,
      line: line.n,
      to: lines[pair.end - 1]!.n,
      tags: part ? [partTag(part.heading!.text)] : []
    })
  }
  for (const p of usedParts) builder.span(p.n, p.n, 'tag')
  for (const h of introductions) builder.span(h.n, h.n, 'meta')
  return builder
}
