// Text no reader turned into a card: an introduction, a section's prose, a table of contents,
// a banner. Prose is kept as a note titled by its heading; a table of contents, HTML
// decoration or a heading with nothing under it is named in a warning with its lines.
import { accountedLines, trimBlank, type PlanBuilder } from './builder'
import { NAV_LINK, plainHeading, type MdLine } from './lines'

/** A list item or table row that only links to a heading of this file. */
const TOC_ENTRY = /^\s*(?:[-*+]|\d+[.)]|\|.*)?\s*.*\]\(#[^)]*\)/
/** HTML, an image or a badge: layout, not something to learn. */
const DECORATION = /^\s*(?:<|!\[|\[!\[|:[a-z_]+:\s*&nbsp;)/
const TABLE_RULE = /^\s*\|?[\s:|-]+\|?\s*$/
/** A thematic break (`---`, `***`): a separator, nothing to keep. */
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/
const isBlank = (line: MdLine) => line.blank || (!line.code && RULE.test(line.text))

/** Share of a run's lines that must be links or decoration for it to be named, not kept. */
const NAVIGATION_SHARE = 0.6

export function accountForLeftovers(lines: MdLine[], builder: PlanBuilder): void {
  const covered = accountedLines(builder.plan, builder.spans)
  let run: MdLine[] = []
  let heading: MdLine | null = null
  let lastTitle: string | null = null
  const structure = new Set(builder.spans.flatMap((s) => (s.from === s.to ? [s.from] : [])))

  const flush = () => {
    const body = trimBlankLines(run)
    if (body.length > 0 && body.every(isBlank)) body.length = 0
    const from = heading?.n ?? body[0]?.n
    const to = body.at(-1)?.n ?? heading?.n
    if (from !== undefined && to !== undefined) classify(heading, body, from, to)
    run = []
    heading = null
  }
  const classify = (head: MdLine | null, all: MdLine[], from: number, to: number) => {
    // "Back to top" links are left out wherever they are, and listed in one warning.
    for (const l of all) if (!l.code && NAV_LINK.test(l.text)) builder.navigation(l.n)
    const body = trimBlankLines(all.filter((l) => l.code || !NAV_LINK.test(l.text)))
    if (body.length === 0 && !head) return
    const headText = head?.heading ? plainHeading(head.heading.text) : null
    if (body.length === 0) {
      builder.warn(from, to, `heading "${headText}" has nothing under it to import`)
      return
    }
    // A table's `| --- |` row says nothing either way.
    const text = body.filter((l) => !isBlank(l) && !TABLE_RULE.test(l.text))
    const navigation = text.filter((l) => TOC_ENTRY.test(l.masked) || DECORATION.test(l.text)).length
    if (!text.some((l) => l.code) && navigation >= Math.ceil(text.length * NAVIGATION_SHARE)) {
      builder.warn(from, to, 'a table of contents, links or HTML layout (images, banners); not imported')
      return
    }
    const title = headText ?? lastTitle ?? builder.plan.decks[0]!.title
    builder.addNote(title, trimBlank(body.map((l) => l.text)).join('\n'), from, to)
  }

  for (const line of lines) {
    if (covered.has(line.n) || line.heading) flush()
    // After a section's heading the text is that section's; after a question's, it follows on.
    if (line.heading)
      lastTitle = `${plainHeading(line.heading.text)}${covered.has(line.n) && !structure.has(line.n) ? ' (continued)' : ''}`
    if (covered.has(line.n)) continue
    if (line.heading) heading = line
    else run.push(line)
  }
  flush()
}

function trimBlankLines(lines: MdLine[]): MdLine[] {
  let start = 0
  let end = lines.length
  while (start < end && isBlank(lines[start]!)) start++
  while (end > start && isBlank(lines[end - 1]!)) end--
  return lines.slice(start, end)
}
