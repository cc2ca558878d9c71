// Obsidian Spaced Repetition notes (the plugin's documented default syntax):
//   Question::Answer                one card          Question:::Answer   a card each way
//   lines of question / ? / answer  one card          … / ?? / …          a card each way
//   a paragraph with ==highlights== one cloze card per highlight
// A card ends at a blank line. `#flashcards` (or `#flashcards/sub/deck`) alone on a line puts
// the cards after it in that deck (kept here as a tag); at the start of a card's line it applies
// to that card only. `<!--SR:…-->` comments hold the plugin's schedule: they are left out
// (named in a warning), so those cards start new here.
import { PlanBuilder, listLines, type BuilderContext } from './builder'
import { frontmatterEnd, partTag, type MdLine } from './lines'

const TAG_RUN = /^((?:#[^\s#]+\s*)+)/
const FLASHCARD_TAG = /^#flashcards(?:\/(\S+))?$/i
const SR_COMMENT = /\s*<!--SR:[^>]*-->/g
const HAS_SR_COMMENT = /<!--SR:[^>]*-->/
const HIGHLIGHT = /==([^=\n]+?)==/g
const HAS_HIGHLIGHT = /==[^=\n]+?==/
/** Same-length blanking, so positions in a line and its masked copy still match. */
const blankComments = (text: string) => text.replace(SR_COMMENT, (m) => ' '.repeat(m.length))

/** Lines that look like Obsidian SR cards, and whether a `#flashcards` tag is present. */
export function scoreObsidian(lines: MdLine[]): { cards: number; tagged: boolean } {
  let cards = 0
  let tagged = false
  for (const line of lines) {
    if (line.code || line.heading) continue
    if (/(^|\s)#flashcards(\/\S*)?(\s|$)/i.test(line.masked)) tagged = true
    if (isSingleLine(line) || /^\s*\?\??\s*$/.test(line.text)) cards++
  }
  return { cards, tagged }
}

function isSingleLine(line: MdLine): boolean {
  const masked = line.masked.replace(SR_COMMENT, '')
  // A table row or an address (`https://…`) is not a card; `includes` first keeps this linear.
  if (/^\s*\|/.test(masked) || (masked.includes('://') && /[a-z]:\/\//i.test(masked))) return false
  const at = masked.indexOf('::')
  return at > 0 && masked.slice(0, at).trim().length > 0 && masked.slice(at).replace(/^:+/, '').trim().length > 0
}

const deckTag = (token: string) => {
  const path = FLASHCARD_TAG.exec(token)?.[1]
  return path
    ? [
        path
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
      ]
    : []
}

export function parseObsidian(lines: MdLine[], ctx: BuilderContext, title: string | null): PlanBuilder {
  const builder = new PlanBuilder('markdown', 'Obsidian Spaced Repetition', ctx, title)
  const frontmatter = frontmatterEnd(lines)
  if (frontmatter > 0) builder.warn(1, frontmatter, 'frontmatter (note properties such as sr-due) is not imported')
  let deckTags: string[] = []
  let heading: MdLine | null = null
  const usedHeadings = new Set<MdLine>()
  const scheduled: number[] = []

  for (const para of paragraphs(lines.slice(frontmatter))) {
    if (para[0]!.heading) {
      if (para[0]!.heading.level > 1) heading = para[0]!
      continue
    }
    let body = para
    // Tag-only lines at the top of a paragraph: `#flashcards/…` sets the deck from here on.
    while (body.length > 0 && tagsOf(body[0]!).rest === '' && !body[0]!.code) {
      const { tokens } = tagsOf(body[0]!)
      const decks = tokens.filter((t) => FLASHCARD_TAG.test(t))
      if (decks.length === 0) break
      deckTags = decks.flatMap(deckTag)
      builder.span(body[0]!.n, body[0]!.n, 'tag')
      body = body.slice(1)
    }
    // A comment line holding the plugin's schedule belongs to the card above it.
    body = body.filter((line) => {
      if (line.text.replace(SR_COMMENT, '').trim() !== '' || !HAS_SR_COMMENT.test(line.text)) return true
      scheduled.push(line.n)
      builder.span(line.n, line.n, 'meta')
      return false
    })
    if (body.length === 0) continue
    const tags = (own: string[]) => [
      ...(own.length > 0 ? own : deckTags),
      ...(heading ? [partTag(heading.heading!.text)] : [])
    ]
    const used = readCards(body, builder, tags, scheduled)
    if (used && heading) usedHeadings.add(heading)
  }
  for (const h of usedHeadings) builder.span(h.n, h.n, 'tag')
  if (scheduled.length > 0)
    builder.warn(
      scheduled[0]!,
      scheduled[0]!,
      `${scheduled.length} Obsidian scheduling comment(s) (<!--SR:…-->) left out: those cards start new here (lines ${listLines(scheduled)})`
    )
  return builder
}

/** Reads the cards of one paragraph; true when it held any. */
function readCards(
  body: MdLine[],
  builder: PlanBuilder,
  tags: (own: string[]) => string[],
  scheduled: number[]
): boolean {
  const clean = (line: MdLine) => {
    if (HAS_SR_COMMENT.test(line.text)) scheduled.push(line.n)
    return line.text.replace(SR_COMMENT, '')
  }
  const sep = body.findIndex((l) => !l.code && /^\s*\?\??\s*$/.test(l.text))
  if (sep > 0 && sep < body.length - 1) {
    const question = body.slice(0, sep).map(clean).join('\n').trim()
    const answer = body
      .slice(sep + 1)
      .map(clean)
      .join('\n')
      .trim()
    const source = { line: body[0]!.n, endLine: body.at(-1)!.n, tags: tags([]) }
    builder.addCard({ front: question, back: answer, ...source })
    if (body[sep]!.text.trim() === '??')
      builder.addCard({ front: answer, back: question, ...source }, `reverse\n${question}`)
    return true
  }
  let any = false
  for (const line of body) {
    if (line.code || !isSingleLine(line)) continue
    const { tokens, rest, restAt } = tagsOf(line)
    const own = tokens.flatMap((t) => (FLASHCARD_TAG.test(t) ? deckTag(t) : []))
    const masked = blankComments(line.masked.slice(restAt))
    const text = clean({ ...line, text: rest })
    const reversed = masked.indexOf(':::')
    const at = reversed >= 0 ? reversed : masked.indexOf('::')
    const width = reversed >= 0 ? 3 : 2
    const front = text.slice(0, at).trim()
    const back = text.slice(at + width).trim()
    const source = { line: line.n, endLine: line.n, tags: tags(own) }
    builder.addCard({ front, back, ...source })
    if (reversed >= 0) builder.addCard({ front: back, back: front, ...source }, `reverse\n${front}`)
    any = true
  }
  if (any) return true
  const masked = body.map((l) => (l.code ? ' '.repeat(l.text.length) : blankComments(l.masked))).join('\n')
  if (!HAS_HIGHLIGHT.test(masked)) return false
  for (const line of body) clean(line)
  const text = body.map((l) => blankComments(l.text)).join('\n')
  let ordinal = 0
  // Replace by position in the masked copy, so `==` inside code is left alone.
  let out = ''
  let last = 0
  for (const match of masked.matchAll(HIGHLIGHT)) {
    ordinal++
    out += `${text.slice(last, match.index)}{{c${ordinal}::${text.slice(match.index + 2, match.index + match[0].length - 2)}}}`
    last = match.index + match[0].length
  }
  out += text.slice(last)
  builder.addCloze(
    out
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim(),
    Array.from({ length: ordinal }, (_, i) => i + 1),
    { line: body[0]!.n, endLine: body.at(-1)!.n, tags: tags([]) }
  )
  return true
}

function tagsOf(line: MdLine): { tokens: string[]; rest: string; restAt: number } {
  const match = TAG_RUN.exec(line.masked)
  if (!match || line.heading) return { tokens: [], rest: line.text, restAt: 0 }
  return {
    tokens: match[1]!.trim().split(/\s+/),
    rest: line.text.slice(match[0].length),
    restAt: match[0].length
  }
}

/** Runs of non-blank lines; a heading is a paragraph of its own. */
function paragraphs(lines: MdLine[]): MdLine[][] {
  const out: MdLine[][] = []
  let current: MdLine[] = []
  const flush = () => {
    if (current.length > 0) out.push(current)
    current = []
  }
  for (const line of lines) {
    if (line.blank && !line.code) flush()
    else if (line.heading) {
      flush()
      out.push([line])
    } else current.push(line)
  }
  flush()
  return out
}
