// Pure helpers for the Drills page: the list, runner diagnostics, the trace sequence diagram,
// hex dumps and series charts. No DOM, no api: everything here is a function of its inputs.
import type { DrillStatus, DrillSummary, DrillTestStatus, TraceEvent, TraceLayer } from '../../../../shared/drills'

export const LAYERS: readonly TraceLayer[] = ['tcp', 'udp', 'tls', 'http', 'ws', 'dns']

// ---------------------------------------------------------------------------------------------
// The list

export interface DeckGroup {
  deck: string
  deckTitle: string
  drills: DrillSummary[]
}

const DIFFICULTY_ORDER = { intro: 0, core: 1, stretch: 2 } as const

/** Drills grouped by deck (decks by title), each deck's drills by difficulty then title. */
export function groupByDeck(drills: readonly DrillSummary[]): DeckGroup[] {
  const groups = new Map<string, DeckGroup>()
  for (const drill of drills) {
    let group = groups.get(drill.deck)
    if (!group) groups.set(drill.deck, (group = { deck: drill.deck, deckTitle: drill.deckTitle, drills: [] }))
    group.drills.push(drill)
  }
  const sorted = [...groups.values()].sort((a, b) => a.deckTitle.localeCompare(b.deckTitle))
  for (const group of sorted) {
    group.drills.sort(
      (a, b) => DIFFICULTY_ORDER[a.difficulty] - DIFFICULTY_ORDER[b.difficulty] || a.title.localeCompare(b.title)
    )
  }
  return sorted
}

/** What the list can be narrowed to. `''` means any. */
export interface DrillFilter {
  deck: string
  difficulty: DrillSummary['difficulty'] | ''
  /** `todo`: never submitted; `passed`; `failing`: last Submit did not pass; `due`: due for review now. */
  status: 'todo' | 'passed' | 'failing' | 'due' | ''
}

export const NO_FILTER: DrillFilter = { deck: '', difficulty: '', status: '' }

export function matchesFilter(drill: DrillSummary, filter: DrillFilter, now: number): boolean {
  if (filter.deck && drill.deck !== filter.deck) return false
  if (filter.difficulty && drill.difficulty !== filter.difficulty) return false
  switch (filter.status) {
    case 'todo':
      return drill.lastSubmit === null
    case 'passed':
      return drill.lastSubmit === 'pass'
    case 'failing':
      return drill.lastSubmit !== null && drill.lastSubmit !== 'pass'
    case 'due':
      return drill.due !== null && drill.due <= now
    default:
      return true
  }
}

export interface DrillSections {
  /** The intro drills, first: where a newcomer starts (title order). */
  intro: DrillSummary[]
  /** Everything else, grouped by deck. */
  decks: DeckGroup[]
}

/** The list as shown: matching intro drills first, then the other matching drills by deck. */
export function drillSections(drills: readonly DrillSummary[], filter: DrillFilter, now: number): DrillSections {
  const shown = drills.filter((d) => matchesFilter(d, filter, now))
  return {
    intro: shown.filter((d) => d.difficulty === 'intro').sort((a, b) => a.title.localeCompare(b.title)),
    decks: groupByDeck(shown.filter((d) => d.difficulty !== 'intro'))
  }
}

/** The decks that have drills, for the deck filter: id and title, by title. */
export function drillDecks(drills: readonly DrillSummary[]): Array<{ deck: string; deckTitle: string }> {
  return groupByDeck(drills).map(({ deck, deckTitle }) => ({ deck, deckTitle }))
}

export const STATUS_TEXT: Record<DrillTestStatus, string> = {
  pass: 'passed',
  fail: 'failed',
  error: 'error',
  timeout: 'timed out',
  skip: 'skipped'
}

/** Icons always travel with STATUS_TEXT: colour and shape are never the only signal. */
export const STATUS_ICON: Record<DrillTestStatus, string> = {
  pass: '✓',
  fail: '✗',
  error: '⚠',
  timeout: '⏱',
  skip: '–'
}

/** ' · 3 attempts' (empty for none): shown in a list row and part of its accessible name. */
export function attemptsText(attempts: number): string {
  return attempts > 0 ? ` · ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''
}

export function lastSubmitText(status: DrillStatus | null): string {
  return status === null ? 'not tried' : STATUS_TEXT[status]
}

const DAY_MS = 86_400_000

/** When a drill is due, relative to `now`: "not scheduled", "due now", "due in 3 h", "due in 12 d". */
export function dueText(due: number | null, now: number): string {
  if (due === null) return 'not scheduled'
  const left = due - now
  if (left <= 0) return 'due now'
  if (left < 3_600_000) return `due in ${Math.max(1, Math.round(left / 60_000))} min`
  if (left < DAY_MS) return `due in ${Math.round(left / 3_600_000)} h`
  if (left < 60 * DAY_MS) return `due in ${Math.round(left / DAY_MS)} d`
  return `due in ${Math.round(left / (30 * DAY_MS))} mo`
}

// ---------------------------------------------------------------------------------------------
// Runner diagnostics

export interface CodeDiagnostic {
  /** 1-based, as the runner prints them. */
  line: number
  column: number
  message: string
  severity: 'error' | 'warning'
}

// `solution.ts:4:1`, `(solution.ts:4:1)`, `solution.ts(4,1)`; optionally followed by `: message`.
const LOCATION = /solution\.ts(?::(\d+):(\d+)|\((\d+),(\d+)\))\)?(?::\s+(.+))?/g

/**
 * Positions in the learner's file named by a runner message: compile errors
 * (`solution.ts:4:1: Unexpected "}"`) and stack frames (`at solution.ts:3:49`, `at f (solution.ts:3:49)`).
 * A stack frame takes the message's first line as its text. One diagnostic per position.
 */
export function parseDiagnostics(
  message: string,
  severity: CodeDiagnostic['severity'] = 'error',
  prefix = ''
): CodeDiagnostic[] {
  const lines = message.split('\n')
  const headline =
    lines.find((l) => l.trim() !== '' && !/^\s*at\s/.test(l) && !/could not be compiled:?\s*$/.test(l))?.trim() ??
    message.trim()
  const found: CodeDiagnostic[] = []
  const seen = new Set<string>()
  for (const text of lines) {
    for (const match of text.matchAll(LOCATION)) {
      const line = Number(match[1] ?? match[3])
      const column = Number(match[2] ?? match[4])
      if (!(line >= 1) || !(column >= 1)) continue
      const key = `${line}:${column}`
      if (seen.has(key)) continue
      seen.add(key)
      const own = match[5]?.trim()
      const body =
        own && !/^\s*at\s/.test(text.slice(0, match.index))
          ? own
          : headline.replace(LOCATION, '').replace(/^[:\s]+/, '') || headline
      found.push({ line, column, message: prefix + body, severity })
    }
  }
  return found
}

/** Offset into `text` of a 1-based line and column, clamped into the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  let current = 1
  while (current < line) {
    const next = text.indexOf('\n', offset)
    if (next < 0) return text.length
    offset = next + 1
    current++
  }
  const end = text.indexOf('\n', offset)
  const lineEnd = end < 0 ? text.length : end
  return Math.min(offset + Math.max(0, column - 1), lineEnd)
}

// ---------------------------------------------------------------------------------------------
// The trace

export type EventLayer = TraceLayer | 'note'

export function layerOf(kind: string): EventLayer {
  const prefix = kind.split('-')[0] as TraceLayer
  return LAYERS.includes(prefix) ? prefix : 'note'
}

/** Events whose layer is shown; notes always stay (they are the tests' own commentary). */
export function filterTrace(events: readonly TraceEvent[], shown: ReadonlySet<TraceLayer>): TraceEvent[] {
  return events.filter((e) => {
    const layer = layerOf(e.kind)
    return layer === 'note' || shown.has(layer)
  })
}

/** Layers that occur in a trace, in the fixed LAYERS order, with their counts. */
export function layerCounts(events: readonly TraceEvent[]): Map<TraceLayer, number> {
  const counts = new Map<TraceLayer, number>()
  for (const e of events) {
    const layer = layerOf(e.kind)
    if (layer !== 'note') counts.set(layer, (counts.get(layer) ?? 0) + 1)
  }
  return new Map(LAYERS.filter((l) => counts.has(l)).map((l) => [l, counts.get(l)!]))
}

export const TRACE_DRAW_CAP = 500

export interface LaidOutEvent {
  /** Index into the filtered events. */
  index: number
  event: TraceEvent
  layer: EventLayer
  /** Lane indexes; equal for events on one endpoint (listen, bind); -1 for notes. */
  fromLane: number
  toLane: number
  row: number
}

export interface SequenceLayout {
  lanes: string[]
  events: LaidOutEvent[]
  /** Events left out past the cap. */
  omitted: number
}

/** Lanes chosen by the caller: their keys in order, and the lane key of each endpoint. */
export interface LaneChoice {
  lanes: readonly string[]
  laneOf: (endpoint: string) => string
}

/**
 * One row per event in time order, and a lane per endpoint in order of first appearance, or the
 * caller's lanes (by role: see trace-roles.ts). Listening sockets (`from === to`) get their lane
 * early so servers sit left of their clients when lanes follow appearance.
 */
export function layoutSequence(
  events: readonly TraceEvent[],
  cap = TRACE_DRAW_CAP,
  choice?: LaneChoice
): SequenceLayout {
  const ordered = events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.tMs - b.event.tMs || a.index - b.index)
  const drawn = ordered.slice(0, cap)
  const lanes: string[] = choice ? [...choice.lanes] : []
  const keyOf = choice?.laneOf ?? ((endpoint: string) => endpoint)
  const laneOf = (endpoint: string): number => {
    const key = keyOf(endpoint)
    let at = lanes.indexOf(key)
    if (at < 0) at = lanes.push(key) - 1
    return at
  }
  const laid: LaidOutEvent[] = drawn.map(({ event, index }, row) => {
    const layer = layerOf(event.kind)
    if (layer === 'note') return { index, event, layer, fromLane: -1, toLane: -1, row }
    // A connect is initiated by `from`, but the listener is usually known already: lay out `to` first.
    const toLane = laneOf(event.to)
    const fromLane = laneOf(event.from)
    return { index, event, layer, fromLane, toLane, row }
  })
  return { lanes, events: laid, omitted: ordered.length - drawn.length }
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`
  if (ms < 1000) return `${ms.toFixed(1)} ms`
  return `${(ms / 1000).toFixed(2)} s`
}

/** One line describing an event, for the text alternative and the arrows' accessible names. */
export function describeEvent(e: TraceEvent): string {
  const route = e.from === e.to ? e.from : `${e.from} → ${e.to}`
  const size = e.bytes !== undefined ? `, ${e.bytes} bytes` : ''
  return `${formatMs(e.tMs)} ${e.kind} ${route}: ${e.summary}${size}`
}

export function decodeBase64(text: string): Uint8Array {
  try {
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return new Uint8Array(0)
  }
}

/** `0000  de ad be ef ...  |....|`, 16 bytes a line, split 8+8; non-printable bytes show as `.`. */
export function hexDump(bytes: Uint8Array, width = 16): string[] {
  const lines: string[] = []
  const half = width / 2
  for (let start = 0; start < bytes.length; start += width) {
    const chunk = bytes.subarray(start, start + width)
    const hex: string[] = []
    let ascii = ''
    for (let i = 0; i < width; i++) {
      const b = chunk[i]
      hex.push(b === undefined ? '  ' : b.toString(16).padStart(2, '0'))
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'
    }
    const left = hex.slice(0, half).join(' ')
    const right = hex.slice(half).join(' ')
    lines.push(`${start.toString(16).padStart(4, '0')}  ${left}  ${right}  |${ascii}|`)
  }
  return lines
}

// ---------------------------------------------------------------------------------------------
// Series charts

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  const span = max - min
  const raw = span / Math.max(1, count - 1)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)))
  return ticks
}

export interface ChartScale {
  xMin: number
  xMax: number
  yMin: number
  yMax: number
}

export function chartScale(points: readonly [number, number][]): ChartScale {
  if (points.length === 0) return { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }
  let xMin = Infinity
  let xMax = -Infinity
  let yMin = Infinity
  let yMax = -Infinity
  for (const [x, y] of points) {
    xMin = Math.min(xMin, x)
    xMax = Math.max(xMax, x)
    yMin = Math.min(yMin, y)
    yMax = Math.max(yMax, y)
  }
  // Counts and windows read best from zero.
  if (yMin > 0) yMin = 0
  if (xMin === xMax) xMax = xMin + 1
  if (yMin === yMax) yMax = yMin + 1
  return { xMin, xMax, yMin, yMax }
}

/** An SVG path through the points, in a width x height box (y grows downwards). */
export function linePath(
  points: readonly [number, number][],
  scale: ChartScale,
  width: number,
  height: number
): string {
  const sx = (x: number) => ((x - scale.xMin) / (scale.xMax - scale.xMin)) * width
  const sy = (y: number) => height - ((y - scale.yMin) / (scale.yMax - scale.yMin)) * height
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)))
}

/** A sentence a screen reader can read instead of the chart. */
export function seriesSummary(name: string, points: readonly [number, number][], x = 'x', y = 'y'): string {
  if (points.length === 0) return `${name}: no points.`
  const ys = points.map((p) => p[1])
  const max = Math.max(...ys)
  const min = Math.min(...ys)
  const first = points[0]!
  const last = points[points.length - 1]!
  const peak = points.find((p) => p[1] === max)!
  return (
    `${name}: ${points.length} points, ${x} from ${round(first[0])} to ${round(last[0])}; ` +
    `${y} starts at ${round(first[1])}, ends at ${round(last[1])}, ranges ${round(min)}–${round(max)} (peak at ${x} ${round(peak[0])}).`
  )
}
