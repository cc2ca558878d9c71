// Markdown files of any layout detect.ts knows: the reader for the layout builds the plan, then
// the text no reader used is kept as notes or named in warnings (leftovers.ts).
import { parseGuide, type GuideContext } from '../guide'
import type { ImportPlan } from '../types'
import type { PlanBuilder } from './builder'
import { detectLayout } from './detect'
import { parseDetails } from './details'
import { accountForLeftovers } from './leftovers'
import { questionTitle, scanLines } from './lines'
import { parseListItems } from './list-items'
import { parseObsidian } from './obsidian'
import { parseQaPairs } from './qa-pairs'
import { parseQuestionFile } from './question-file'

export function parseMarkdown(text: string, ctx: GuideContext): ImportPlan {
  const lines = scanLines(text)
  const layout = detectLayout(text, lines) ?? { kind: 'guide', level: 3 }
  if (layout.kind === 'guide') return parseGuide(text, { ...ctx, level: layout.level ?? 3 })
  ctx.onProgress?.(0.1)
  const titleLine = lines.find((l) => l.heading)
  // An Obsidian note's title is its file name; its `#` headings are sections. A one-question
  // file's `#` heading is its question.
  const title =
    layout.kind !== 'obsidian' && layout.kind !== 'file' && titleLine?.heading?.level === 1
      ? questionTitle(titleLine.heading.text)
      : null
  const readers = {
    details: parseDetails,
    list: parseListItems,
    obsidian: parseObsidian,
    qa: parseQaPairs,
    file: parseQuestionFile
  }
  const builder: PlanBuilder = readers[layout.kind](lines, ctx, title)
  if (titleLine && title) builder.span(titleLine.n, titleLine.n, 'deck')
  accountForLeftovers(lines, builder)
  ctx.onProgress?.(1)
  return builder.finish()
}
