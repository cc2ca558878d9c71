// Pure helpers for Browse: snippet highlighting, row labels, selection.
import type { BrowseRow } from '../../../../shared/study'

// One line of a card's markdown, for lists (also the import preview's, in the main process).
export { plainLine } from '../../../../shared/plain-line'

export interface Segment {
  text: string
  match: boolean
}

/** Snippets arrive as plain text with matches wrapped in [[ ]]; never treated as HTML. */
export function snippetSegments(snippet: string): Segment[] {
  const segments: Segment[] = []
  const pattern = /\[\[([\s\S]*?)\]\]/g
  let last = 0
  for (const m of snippet.matchAll(pattern)) {
    if (m.index > last) segments.push({ text: snippet.slice(last, m.index), match: false })
    segments.push({ text: m[1]!, match: true })
    last = m.index + m[0].length
  }
  if (last < snippet.length) segments.push({ text: snippet.slice(last), match: false })
  return segments
}

const STATE_NAMES = ['New', 'Learning', 'Review', 'Relearning'] as const

export function stateLabel(row: Pick<BrowseRow, 'state' | 'suspended' | 'buried'>): string {
  if (row.suspended) return 'Suspended'
  if (row.buried) return 'Buried'
  return STATE_NAMES[row.state]
}

/** Due date as YYYY-MM-DD for scheduled cards, a dash for new ones. */
export function dueLabel(row: Pick<BrowseRow, 'state' | 'due'>): string {
  return row.state === 0 ? '–' : new Date(row.due).toISOString().slice(0, 10)
}

/** Toggles `id` in a selection, or selects the range from `anchor` when extending. */
export function toggleSelection(
  selected: Set<string>,
  ids: string[],
  id: string,
  anchor: string | null,
  extend: boolean
): Set<string> {
  const next = new Set(selected)
  if (extend && anchor) {
    const a = ids.indexOf(anchor)
    const b = ids.indexOf(id)
    if (a >= 0 && b >= 0) {
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) next.add(ids[i]!)
      return next
    }
  }
  if (next.has(id)) next.delete(id)
  else next.add(id)
  return next
}
