// Percentiles, the results table on stdout, bench/results.json, and the progress line on stderr.
import { writeFileSync } from 'node:fs'

export type Percentile = 'p50' | 'p95' | 'p99'

export interface Target {
  /** The percentile the target is checked on. */
  on: Percentile
  value: number
  unit: string
}

export interface Result {
  p50: number
  p95: number
  p99: number
  unit: string
  /** null for reference figures that have no target (the raw SQLite ceiling). */
  target: number | null
  ratio: number | null
  met: boolean | null
  /** Which percentile the target is checked on, and how many samples were taken. */
  on: Percentile
  n: number
  note?: string
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? NaN
}

const round = (x: number) => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000)

export function summarize(samples: number[], target: Target | null, note?: string, on: Percentile = target?.on ?? 'p50'): Result {
  const p50 = percentile(samples, 50)
  const p95 = percentile(samples, 95)
  const p99 = percentile(samples, 99)
  const measured = { p50, p95, p99 }[on]
  const ratio = target ? measured / target.value : null
  return {
    p50: round(p50),
    p95: round(p95),
    p99: round(p99),
    unit: target?.unit ?? 'ms',
    target: target?.value ?? null,
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    met: ratio === null ? null : ratio <= 1,
    on,
    n: samples.length,
    ...(note ? { note } : {})
  }
}

let progressShown = false
/** One progress line on stderr, redrawn in place; an empty message clears it. */
export function progress(message: string): void {
  if (!process.stderr.isTTY) {
    if (message) process.stderr.write(`${message}\n`)
    return
  }
  process.stderr.write(`\r\x1b[K${message}`)
  progressShown = message !== ''
  if (!progressShown) process.stderr.write('\r\x1b[K')
}

const fmt = (x: number | null) => (x === null ? '-' : x >= 100 ? String(Math.round(x)) : x.toFixed(x >= 10 ? 1 : 3))

/** The results as a Markdown table (printed and pasted into the README). */
export function table(results: Record<string, Result>): string {
  const lines = [
    '| measure | p50 | p95 | p99 | target | ratio | met |',
    '| --- | ---: | ---: | ---: | --- | ---: | --- |'
  ]
  for (const [name, r] of Object.entries(results)) {
    const target = r.target === null ? '(reference)' : `${r.on} <= ${fmt(r.target)} ${r.unit}`
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**'
    lines.push(`| ${name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${target} | ${fmt(r.ratio)} | ${met} |`)
  }
  return lines.join('\n')
}

export function writeResults(file: string, results: Record<string, Result>): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
}
