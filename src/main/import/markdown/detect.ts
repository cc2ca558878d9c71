// Which markdown layout a file uses. Each reader's own signs are counted outside code, and the
// layout with the most questions wins (Obsidian's `#flashcards` tag decides on its own):
//   numbered question headings at one level (`## 1. …`, `#### 12. …`), or `###` headings
//   `<details><summary>` blocks
//   numbered list items with an indented answer
//   Obsidian Spaced Repetition cards (`::`, `:::`, `?`, `??`, `==cloze==`)
//   `Q:` / `A:` paragraphs (`**Q1: …**` then `A: …`)
//   one question per file (a title, the question, then an `## Answer` heading)
import { countDetails } from './details'
import { isNumbered, scanLines, type MdLine } from './lines'
import { countListQuestions } from './list-items'
import { scoreObsidian } from './obsidian'
import { countQaPairs } from './qa-pairs'
import { countQuestionFile, questionHeading } from './question-file'

export type LayoutKind = 'guide' | 'details' | 'list' | 'obsidian' | 'qa' | 'file'

export interface Layout {
  kind: LayoutKind
  /** For `guide`: the heading level of the questions. */
  level?: number
}

/** Single-line cards needed to read an untagged note as Obsidian cards. */
const UNTAGGED_OBSIDIAN_MIN = 3

/** The level with the most numbered headings, and how many. */
function numberedHeadings(lines: MdLine[]): { level: number; count: number } {
  const counts = new Map<number, number>()
  for (const line of lines) {
    if (line.heading && isNumbered(line.heading.text))
      counts.set(line.heading.level, (counts.get(line.heading.level) ?? 0) + 1)
  }
  let best = { level: 3, count: 0 }
  for (const [level, count] of counts) if (count > best.count) best = { level, count }
  return best
}

export function detectLayout(text: string, scanned?: MdLine[]): Layout | null {
  const lines = scanned ?? scanLines(text)
  const obsidian = scoreObsidian(lines)
  if (obsidian.cards > 0 && obsidian.tagged) return { kind: 'obsidian' }
  // `### Question` then `### Answer`: one question, whatever numbered sections its answer has.
  if (questionHeading(lines)) return { kind: 'file' }
  const headings = numberedHeadings(lines)
  // Untagged, `::` and `?` lines compete with the other layouts' questions: answers in a numbered
  // guide may hold such lines (code, prose) without being Obsidian cards.
  const candidates: [Layout, number][] = [
    [{ kind: 'guide', level: headings.level }, headings.count],
    [{ kind: 'details' }, countDetails(lines)],
    [{ kind: 'list' }, countListQuestions(lines)],
    [{ kind: 'qa' }, countQaPairs(lines)],
    [{ kind: 'file' }, countQuestionFile(lines)],
    [{ kind: 'obsidian' }, obsidian.cards >= UNTAGGED_OBSIDIAN_MIN ? obsidian.cards : 0]
  ]
  const [best, count] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a))
  if (count > 0) return best
  // Unnumbered `###` questions: the guide layout we read first.
  if (lines.some((l) => l.heading?.level === 3)) return { kind: 'guide', level: 3 }
  return null
}
