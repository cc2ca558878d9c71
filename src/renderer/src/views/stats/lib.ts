// Pure helpers for the Stats page: scales, bar and heatmap geometry, and the text summaries
// that screen readers get in place of the charts. No DOM, no Svelte: unit-tested directly.
import type { DayCount, StatsReport } from '../../../../shared/study'
import { formatCount, plural } from '../../lib/plural'

export type Period = 30 | 90 | 365
export const PERIODS: { days: Period; label: string }[] = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' }
]

// ---- numbers and dates -------------------------------------------------------------------

/** The smallest 1, 2 or 5 × 10^n at or above `value` (at least 1), for a y axis that ends on a round number. */
export function niceMax(value: number): number {
  if (!(value > 1)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

/** Gridline values from 0 to `max`: quarters, halves or just the ends, whichever stay whole. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0]
  const parts = max % 4 === 0 ? 4 : max % 2 === 0 ? 2 : 1
  return Array.from({ length: parts + 1 }, (_, i) => (i * max) / parts)
}

/** "88%" for 0.875; "—" when there is nothing to measure. */
export function percent(fraction: number | null): string {
  return fraction === null || !Number.isFinite(fraction) ? '—' : `${Math.round(fraction * 100)}%`
}

/** `part / whole`, or null when `whole` is 0. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

export { plural }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Day labels are study days (YYYY-MM-DD), not instants: read them as UTC dates. */
function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`)
}

/** "Mar 1" for 2026-03-01, or "Mar 1, 2026" with the year. */
export function shortDay(day: string, withYear = false): string {
  const date = parseDay(day)
  const short = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`
  return withYear ? `${short}, ${date.getUTCFullYear()}` : short
}

/** "1 h 5 min", "4 min 10 s", "12 s". */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`
}

// ---- bar charts --------------------------------------------------------------------------

export interface ChartBox {
  width: number
  height: number
  /** Room for the y-axis labels on the left and the dates underneath. */
  left: number
  bottom: number
  top: number
}

export const CHART: ChartBox = { width: 720, height: 200, left: 36, bottom: 22, top: 8 }
/** For a chart in a half-width card. */
export const NARROW_CHART: ChartBox = { width: 420, height: 220, left: 30, bottom: 22, top: 8 }

export interface BarSegment {
  key: string
  value: number
  y: number
  height: number
}

export interface Bar {
  index: number
  label: string
  total: number
  x: number
  width: number
  segments: BarSegment[]
}

/**
 * Stacked bars, one per datum, segments bottom-up in the order given. Zero-height segments are
 * left out, so a day without answers draws nothing.
 */
export function stackedBars(
  data: { label: string; parts: { key: string; value: number }[] }[],
  max: number,
  box: ChartBox = CHART
): Bar[] {
  const plotWidth = box.width - box.left
  const plotHeight = box.height - box.top - box.bottom
  const step = data.length > 0 ? plotWidth / data.length : plotWidth
  // A sliver of gap between bars; very dense charts (a year) keep most of the step.
  const width = Math.max(0.6, step * (step > 6 ? 0.72 : 0.85))
  const scale = max > 0 ? plotHeight / max : 0
  const base = box.height - box.bottom
  return data.map((datum, index) => {
    let y = base
    const segments: BarSegment[] = []
    for (const part of datum.parts) {
      if (part.value <= 0) continue
      const height = part.value * scale
      y -= height
      segments.push({ key: part.key, value: part.value, y, height })
    }
    return {
      index,
      label: datum.label,
      total: datum.parts.reduce((sum, p) => sum + p.value, 0),
      x: box.left + index * step + (step - width) / 2,
      width,
      segments
    }
  })
}

/** The y of a tick value on the chart. */
export function tickY(value: number, max: number, box: ChartBox = CHART): number {
  const plotHeight = box.height - box.top - box.bottom
  return box.height - box.bottom - (max > 0 ? (value / max) * plotHeight : 0)
}

/** Which bars get a date under them: about `count` of them, always the first and the last. */
export function labelIndexes(length: number, count = 6): number[] {
  if (length <= 0) return []
  if (length <= count) return Array.from({ length }, (_, i) => i)
  const step = (length - 1) / (count - 1)
  return Array.from({ length: count }, (_, i) => Math.round(i * step))
}

// ---- heatmap -----------------------------------------------------------------------------

export interface HeatCell {
  day: string
  count: number
  /** 0 (none) to 4 (busiest). */
  level: number
  week: number
  weekday: number
}

/**
 * Levels for a heatmap: 0 for no answers, else 1-4 by the share of the busiest day, so a
 * quiet year and a busy one both use the whole scale.
 */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0
  return Math.min(4, Math.max(1, Math.ceil((count / max) * 4)))
}

/** Days laid out GitHub-style: a column per week (Sunday at the top), oldest on the left. */
export function heatmapCells(days: DayCount[]): {
  cells: HeatCell[]
  weeks: number
  months: { week: number; label: string }[]
} {
  if (days.length === 0) return { cells: [], weeks: 0, months: [] }
  const max = days.reduce((m, d) => Math.max(m, d.count), 0)
  const offset = parseDay(days[0]!.day).getUTCDay()
  const cells = days.map((d, i) => ({
    day: d.day,
    count: d.count,
    level: heatLevel(d.count, max),
    week: Math.floor((i + offset) / 7),
    weekday: (i + offset) % 7
  }))
  // A month is named above the first column whose Sunday falls in it (as GitHub does); a
  // first label crowded by the next one is dropped.
  const months: { week: number; label: string }[] = []
  let lastMonth = -1
  for (const cell of cells) {
    if (cell.weekday !== 0) continue
    const month = parseDay(cell.day).getUTCMonth()
    if (month !== lastMonth) months.push({ week: cell.week, label: MONTHS[month]! })
    lastMonth = month
  }
  if (months.length > 1 && months[1]!.week - months[0]!.week < 3) months.shift()
  return { cells, weeks: cells.at(-1)!.week + 1, months }
}

// ---- summaries (what a screen reader hears for each chart) -------------------------------

function periodText(days: number): string {
  return days === 365 ? 'the last year' : `the last ${days} days`
}

export function busiest<T extends DayCount>(days: T[]): T | null {
  return days.reduce<T | null>((best, d) => (d.count > 0 && (!best || d.count > best.count) ? d : best), null)
}

export function reviewsSummary(report: Pick<StatsReport, 'days' | 'reviewsPerDay'>): string {
  const answers = report.reviewsPerDay.reduce((sum, d) => sum + d.count, 0)
  if (answers === 0) return `No reviews in ${periodText(report.days)}.`
  const passed = report.reviewsPerDay.reduce((sum, d) => sum + d.passed, 0)
  const top = busiest(report.reviewsPerDay)!
  return `${plural(answers, 'review')} in ${periodText(report.days)}, ${percent(passed / answers)} passed; busiest day ${top.day} with ${formatCount(top.count)}.`
}

export function forecastSummary(forecast: DayCount[]): string {
  const total = forecast.reduce((sum, d) => sum + d.count, 0)
  if (total === 0) return `No cards due in the next ${forecast.length} days.`
  const today = forecast[0]?.count ?? 0
  const top = busiest(forecast)!
  return `${plural(total, 'card')} due in the next ${forecast.length} days; ${formatCount(today)} due today, overdue included; busiest day ${top.day} with ${formatCount(top.count)}.`
}

export function heatmapSummary(days: DayCount[], streak: number): string {
  const studied = days.filter((d) => d.count > 0).length
  const streakText = streak > 0 ? `current streak ${plural(streak, 'day')}` : 'no current streak'
  return `Studied on ${formatCount(studied)} of the last ${days.length} days; ${streakText}.`
}

export const STATE_KEYS = ['new', 'learning', 'review', 'relearning', 'suspended'] as const
export type StateKey = (typeof STATE_KEYS)[number]
export const STATE_LABELS: Record<StateKey, string> = {
  new: 'New',
  learning: 'Learning',
  review: 'Review',
  relearning: 'Relearning',
  suspended: 'Suspended'
}

export function statesSummary(states: StatsReport['states']): string {
  const total = STATE_KEYS.reduce((sum, k) => sum + states[k], 0)
  if (total === 0) return 'No cards.'
  const parts = STATE_KEYS.map((k) => `${formatCount(states[k])} ${STATE_LABELS[k].toLowerCase()}`)
  return `${plural(total, 'card')}: ${parts.join(', ')}.`
}

/** Horizontal stacked segments (x and width in 0..width) for the card-state bar. */
export function stateSegments(
  states: StatsReport['states'],
  width: number
): { key: StateKey; value: number; x: number; width: number }[] {
  const total = STATE_KEYS.reduce((sum, k) => sum + states[k], 0)
  if (total === 0) return []
  let x = 0
  return STATE_KEYS.filter((k) => states[k] > 0).map((key) => {
    const w = (states[key] / total) * width
    const segment = { key, value: states[key], x, width: w }
    x += w
    return segment
  })
}
