// One question per file, as question-bank repositories keep them:
//
//   ---
//   title: Govern production network egress
//   tags: [networking, security]
//   ---
//   # Govern production network egress
//   How would you let workloads reach external services while controlling exfiltration?
//   ## Answer guide
//   - Inventory outbound dependencies ...
//   ## References
//   - [RFC 1918](https://www.rfc-editor.org/rfc/rfc1918.html)
//
// The card's front is the title and the text under it (or under a `### Question` heading); its
// back runs from the answer heading (`Answer`, `Answer guide`, `Solution`, `Explanation`, `Model
// answer`, `Suggested answer`) to the end of the file, sub-sections included, except sections
// that follow an answer rather than belong to it (references, further reading, what to learn
// next), which go to the question's note, shown under the answer in Review. The frontmatter's `tags` become the card's tags; its other fields are
// named in a warning.
import { lazyModule } from '../../lazy-module'
import { normalizeTagList } from '../ids'
import { PlanBuilder, type BuilderContext } from './builder'
import { frontmatterEnd, plainHeading, type MdLine } from './lines'

const yaml = lazyModule<typeof import('yaml')>('yaml')

const ANSWER_HEADING = /^(?:(?:suggested|model|sample|expected)\s+)?(?:answer|answer guide|solution|explanation)\b/i
/** A heading over the question itself (`### Question`), in files that have no title heading. */
const QUESTION_HEADING = /^(?:the\s+)?question\s*:?\s*$/i
/** Sections after the answer that are not part of it: they go to the question's note. */
const AFTERWORD =
  /^(?:references?|sources?|further reading|read more|see also|resources|related|what to learn next|learn more)\b/i
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/

/** The answer heading of a one-question file (level 2 or 3, after the title), or null. */
function answerHeading(lines: MdLine[]): MdLine | null {
  const titles = lines.filter((l) => l.heading?.level === 1)
  if (titles.length > 1) return null
  return (
    lines.find(
      (l) =>
        l.heading && l.heading.level > 1 && l.heading.level <= 3 && ANSWER_HEADING.test(plainHeading(l.heading.text))
    ) ?? null
  )
}

/** A `Question` heading before the answer heading: the file says outright it is one question. */
export function questionHeading(lines: MdLine[]): MdLine | null {
  const answer = answerHeading(lines)
  if (!answer) return null
  return (
    lines.find(
      (l) => l.n < answer.n && l.heading && l.heading.level <= 3 && QUESTION_HEADING.test(plainHeading(l.heading.text))
    ) ?? null
  )
}

/** 1 when the file is one question with an answer heading (how detection scores this layout). */
export function countQuestionFile(lines: MdLine[]): number {
  return answerHeading(lines) ? 1 : 0
}

interface Frontmatter {
  title?: string
  tags: string[]
  others: string[]
}

function readFrontmatter(lines: MdLine[], end: number): Frontmatter | null {
  if (end === 0) return null
  let data: unknown
  try {
    data = yaml().parse(
      lines
        .slice(1, end - 1)
        .map((l) => l.text)
        .join('\n')
    )
  } catch {
    return null
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  const record = data as Record<string, unknown>
  const tagsValue = record.tags
  const tags = Array.isArray(tagsValue)
    ? tagsValue.filter((t): t is string | number => typeof t === 'string' || typeof t === 'number').map(String)
    : typeof tagsValue === 'string'
      ? tagsValue.split(/[\s,]+/)
      : []
  return {
    ...(typeof record.title === 'string' && record.title.trim() ? { title: record.title.trim() } : {}),
    tags: normalizeTagList(tags),
    others: Object.keys(record).filter((k) => k !== 'title' && k !== 'tags')
  }
}

export function parseQuestionFile(lines: MdLine[], ctx: BuilderContext, title: string | null): PlanBuilder {
  // Files in one folder share a deck: ids come from each file's path, not its title.
  const builder = new PlanBuilder('markdown', 'one question per file', { ...ctx, keyScope: ctx.file }, title)
  const answer = answerHeading(lines)!
  const fmEnd = frontmatterEnd(lines)
  const front = readFrontmatter(lines, fmEnd)
  if (fmEnd > 0) {
    if (front?.others.length)
      builder.warn(
        1,
        fmEnd,
        `frontmatter fields not imported: ${front.others.join(', ')} (its title and tags are used)`
      )
    else builder.span(1, fmEnd, 'meta')
  }
  const heading = lines.find((l) => l.heading?.level === 1 && l.n < answer.n) ?? null
  const asked = questionHeading(lines)
  const start = asked ? asked.n : heading ? heading.n : fmEnd
  const question = lines
    .slice(start, answer.n - 1)
    .filter((l) => l.code || !RULE.test(l.text))
    .map((l) => l.text)
    .join('\n')
    .trim()
  // The answer runs to the end, or to a section that follows it rather than belongs to it
  // (references, further reading): those go to the question's note, shown under the answer.
  const level = answer.heading!.level
  const after =
    lines.find(
      (l) => l.n > answer.n && l.heading && l.heading.level <= level && AFTERWORD.test(plainHeading(l.heading.text))
    )?.n ?? lines.length + 1
  const name = front?.title ?? (heading ? plainHeading(heading.heading!.text) : null)
  builder.addQuestion({
    title: name && question && question !== name ? `${name}\n\n${question}` : (name ?? question),
    answer: withoutEdgeRules(lines.slice(answer.n, after - 1)),
    more: lines.slice(after - 1).map((l) => l.text),
    line: heading?.n ?? asked?.n ?? answer.n,
    to: lines.at(-1)!.n,
    tags: front?.tags ?? []
  })
  if (asked && heading) builder.span(asked.n, asked.n, 'meta')
  builder.span(answer.n, answer.n, 'meta')
  return builder
}

/** An answer's lines without the `---` rules that open or close it (separators, not content). */
function withoutEdgeRules(lines: MdLine[]): string[] {
  const isEdge = (l: MdLine) => l.blank || (!l.code && RULE.test(l.text))
  let from = 0
  let to = lines.length
  while (from < to && isEdge(lines[from]!)) from++
  while (to > from && isEdge(lines[to - 1]!)) to--
  return lines.slice(from, to).map((l) => l.text)
}
