// Pure helpers for the card info panel: number formats and the forgetting-curve drawing.
import type { CardState } from '../../../shared/study'

export const STATE_NAMES: Record<CardState['state'], string> = { 0: 'New', 1: 'Learning', 2: 'Review', 3: 'Relearning' }

/** 0.873 -> "87%"; null -> "–". */
export function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`
}

/** Days as a short length: "0 d" is a learning step, then days, months (30 d) and years (365 d). */
export function formatDays(days: number): string {
  if (days < 1) return days === 0 ? 'same day' : `${(days * 24).toFixed(1)} h`
  if (days < 60) return `${days < 10 ? days.toFixed(1).replace(/\.0$/, '') : Math.round(days)} d`
  if (days < 365) return `${(days / 30).toFixed(1)} mo`
  return `${(days / 365).toFixed(1)} y`
}

/** An SVG path for (days, recall) points in a width x height box (recall 1 at the top), the due line, and a text label. */
export function curvePath(
  points: { days: number; retrievability: number }[],
  dueAfterDays: number | null,
  width: number,
  height: number
): { path: string; dueX: number | null; label: string } {
  const span = points.at(-1)?.days ?? 1
  const x = (days: number) => (days / span) * width
  const y = (r: number) => (1 - r) * height
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.days).toFixed(1)},${y(p.retrievability).toFixed(1)}`)
    .join(' ')
  const last = points.at(-1)
  let atDue: number | null = null
  if (dueAfterDays !== null) {
    const after = points.find((p) => p.days >= dueAfterDays)
    atDue = after?.retrievability ?? null
  }
  const label =
    `Forgetting curve: recall falls to ${percent(last?.retrievability ?? null)} after ${formatDays(span)}` +
    (dueAfterDays !== null && atDue !== null
      ? `; the card is due after ${formatDays(dueAfterDays)}, at about ${percent(atDue)}.`
      : '.')
  return { path, dueX: dueAfterDays === null ? null : x(Math.min(dueAfterDays, span)), label }
}
