// A markdown file as lines: which are code (inside or delimiting a fence), which are headings,
// and the frontmatter block. Every reader works on this view so none mistakes code for syntax.
import { maskCode, stepFence, type FenceState } from '../../../shared/markdown-code'
import { slugify } from '../ids'

export interface MdLine {
  /** 1-based line number. */
  n: number
  text: string
  /** The line with code spans and fenced code blanked out (same length). */
  masked: string
  /** Inside a fenced block, or one of its fence lines. */
  code: boolean
  heading: { level: number; text: string } | null
  blank: boolean
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/

export function scanLines(text: string): MdLine[] {
  const raw = text.replace(/\r\n?/g, '\n').split('\n')
  const masked = maskCode(raw.join('\n')).split('\n')
  let fence: FenceState | null = null
  return raw.map((line, i) => {
    const inside = fence !== null
    fence = stepFence(line, fence)
    const code = inside || fence !== null
    const match = code ? null : HEADING.exec(line)
    return {
      n: i + 1,
      text: line,
      masked: masked[i] ?? '',
      code,
      heading: match ? { level: match[1]!.length, text: match[2]! } : null,
      blank: line.trim() === ''
    }
  })
}

/** Lines 1..k of a `---` frontmatter block at the very top, or 0. */
export function frontmatterEnd(lines: MdLine[]): number {
  if (lines[0]?.text.trim() !== '---') return 0
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l.text))
  return close > 0 ? close + 1 : 0
}

/** Heading text without bold/underline markers. */
export function plainHeading(raw: string): string {
  return raw.replace(/\*\*|__/g, '').trim()
}

/** A line that is only an in-page link, such as `**[⬆ Back to Top](#table-of-contents)**`. */
export const NAV_LINK = /^\s*[*_]*\[[^\]]*\]\(#[^)\s]*\)[*_]*\s*$/

const NUMBERED = /^(?:q(?:uestion)?\s*)?\d+\s*[.):\u2013-]\s*/i

/** Heading text without bold/underline markers or a leading `12.` / `Q12:` number. */
export function questionTitle(raw: string): string {
  return raw
    .replace(/\*\*|__/g, '')
    .trim()
    .replace(NUMBERED, '')
    .trim()
}

export function isNumbered(raw: string): boolean {
  return NUMBERED.test(raw.replace(/\*\*|__/g, '').trim())
}

/** The tag a section heading gives the questions under it. */
export function partTag(headingText: string): string {
  return slugify(questionTitle(headingText), 'part')
}
