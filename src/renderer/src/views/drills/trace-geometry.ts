// Where the trace diagram draws things, in px: lane widths from their headings, each row's label
// (beside a dot, over an arrow's left end, or in the notes column), and the drawing's size, which
// grows to fit the longest label rather than cutting it.
import type { LaidOutEvent } from './lib'

/** Width of one character of the diagram's 11 px monospace text (px), with a margin. */
export const CHAR = 7
export const TIME_COL = 80
export const ROW = 32
const TOP = 10
const PAD = 10
const MIN_LANE = 170
const NOTES_COL = 240

export interface Label {
  text: string
  x: number
}

export interface Geometry {
  lane: number
  lanesRight: number
  laneX(lane: number): number
  rowY(row: number): number
  labels: Label[]
  width: number
  height: number
}

export function traceGeometry(
  lanes: readonly { name: string; key: string }[],
  events: readonly LaidOutEvent[]
): Geometry {
  // Lanes are as wide as their longest heading (name or endpoint), at least MIN_LANE.
  const lane = Math.max(MIN_LANE, ...lanes.map((l) => Math.max(l.name.length, l.key.length) * CHAR + 24))
  const lanesRight = TIME_COL + lanes.length * lane
  const laneX = (i: number): number => TIME_COL + i * lane + lane / 2
  const labels = events.map((item): Label => {
    const e = item.event
    if (item.layer === 'note') return { text: e.summary, x: lanesRight + 12 }
    if (item.fromLane === item.toLane) return { text: `${e.kind}: ${e.summary}`, x: laneX(item.fromLane) + 10 }
    return { text: e.summary, x: laneX(Math.min(item.fromLane, item.toLane)) + 12 }
  })
  const hasNotes = events.some((e) => e.layer === 'note')
  return {
    lane,
    lanesRight,
    laneX,
    rowY: (row) => TOP + row * ROW + ROW / 2 + 6,
    labels,
    width: Math.max(lanesRight + (hasNotes ? NOTES_COL : 0), ...labels.map((l) => l.x + l.text.length * CHAR)) + PAD,
    height: TOP + events.length * ROW + 10
  }
}
