// Percentiles, the measures as ratios to references taken in the same run, the scaling table,
// bench/results.json, and the progress line on stderr.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

export type Percentile = 'p50' | 'p95' | 'p99'

export interface Stats {
  p50: number
  p95: number
  p99: number
  n: number
}

export interface Entry {
  measure: string
  unit: string
  /** The percentile compared with the reference (or with the absolute limit). */
  on: Percentile
  stats: Stats
  /** What the measure is divided by, measured in the same run; null for an absolute target. */
  reference: { what: string; stats: Stats } | null
  /** measure / reference on `on`; null without a reference. */
  ratio: number | null
  /** "<= 8x reference" or "<= 16.7 ms"; null for a figure shown without a target. */
  target: string | null
  met: boolean | null
  note?: string
}

export interface ScalingRow {
  measure: string
  unit: string
  on: Percentile
  /** The measure at each tier (cards in the collection -> value on `on`). */
  tiers: Record<string, number>
  /** Value at the largest tier / value at the one before it (1M / 100k). */
  growth: number | null
  /** Growth allowed from the tier before to the largest, and whether it held. */
  target: string
  met: boolean | null
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? NaN
}

const round = (x: number) => (x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000)

export function stats(samples: number[]): Stats {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    n: samples.length
  }
}

const exact = (samples: number[], on: Percentile) => percentile(samples, Number(on.slice(1)))

/** A measure held to at most `maxRatio` times a reference measured in the same run. */
export function versus(
  measure: string,
  samples: number[],
  reference: { what: string; samples: number[] },
  on: Percentile,
  maxRatio: number | null,
  note?: string
): Entry {
  const ratio = exact(samples, on) / exact(reference.samples, on)
  return {
    measure,
    unit: 'ms',
    on,
    stats: stats(samples),
    reference: { what: reference.what, stats: stats(reference.samples) },
    ratio: Math.round(ratio * 1000) / 1000,
    target: maxRatio === null ? null : `${on} <= ${maxRatio}x reference`,
    met: maxRatio === null ? null : ratio <= maxRatio,
    ...(note ? { note } : {})
  }
}

/** A measure with an absolute limit (a frame at the keyboard) or none (shown for what it is). */
export function absolute(
  measure: string,
  samples: number[],
  on: Percentile,
  limit: number | null,
  unit = 'ms',
  note?: string
): Entry {
  return {
    measure,
    unit,
    on,
    stats: stats(samples),
    reference: null,
    ratio: null,
    target: limit === null ? null : `${on} <= ${limit} ${unit}`,
    met: limit === null ? null : exact(samples, on) <= limit,
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

export const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '-' : x >= 100 ? String(Math.round(x)) : x.toFixed(x >= 10 ? 1 : 3)
const yesNo = (met: boolean | null) => (met === null ? '' : met ? 'yes' : '**no**')

/** The measures as a Markdown table (printed and pasted into the README). */
export function table(entries: Entry[]): string {
  const lines = [
    '| measure | p50 | p95 | p99 | reference (same run) | ref. p50 | ref. p99 | ratio | target | met |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |'
  ]
  for (const e of entries) {
    const unit = e.unit === 'ms' ? '' : ` ${e.unit}`
    lines.push(
      `| ${e.measure} | ${fmt(e.stats.p50)}${unit} | ${fmt(e.stats.p95)}${unit} | ${fmt(e.stats.p99)}${unit} | ${e.reference?.what ?? '-'} | ` +
        `${fmt(e.reference?.stats.p50)} | ${fmt(e.reference?.stats.p99)} | ${e.ratio === null ? '-' : `${fmt(e.ratio)}x`} | ${e.target ?? '(shown)'} | ${yesNo(e.met)} |`
    )
  }
  return lines.join('\n')
}

export function scalingTable(rows: ScalingRow[], tiers: string[]): string {
  const lines = [
    `| measure | ${tiers.join(' | ')} | growth ${tiers.slice(-2).join(' → ')} | target | met |`,
    `| --- | ${tiers.map(() => '---:').join(' | ')} | ---: | --- | --- |`
  ]
  for (const r of rows) {
    const unit = r.unit === 'ms' ? '' : ` ${r.unit}`
    lines.push(
      `| ${r.measure} (${r.on}) | ${tiers.map((t) => `${fmt(r.tiers[t])}${r.tiers[t] === undefined ? '' : unit}`).join(' | ')} | ` +
        `${r.growth === null ? '-' : `${fmt(r.growth)}x`} | ${r.target} | ${yesNo(r.met)} |`
    )
  }
  return lines.join('\n')
}

/**
 * A run of some groups only (RETRANSMIT_BENCH_ONLY): its entries replace those of the same
 * measure in `file`, the rest stay from the run before; so does the scaling table unless given.
 */
export function mergeResults(
  file: string,
  entries: Entry[],
  scaling: { tiers: string[]; rows: ScalingRow[] } | null
): void {
  const before = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as {
        measures?: Entry[]
        scaling?: { tiers: string[]; rows: ScalingRow[] }
      })
    : {}
  const fresh = new Set(entries.map((e) => e.measure))
  const kept = (before.measures ?? []).filter((e) => !fresh.has(e.measure))
  writeResults(file, {
    measures: [...kept, ...entries],
    scaling: scaling ?? before.scaling ?? { tiers: [], rows: [] }
  })
}

export function writeResults(
  file: string,
  results: { measures: Entry[]; scaling: { tiers: string[]; rows: ScalingRow[] } }
): void {
  // The load average says how shared the machine was while the figures were taken.
  const machine = {
    at: new Date().toISOString(),
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100)
  }
  writeFileSync(file, `${JSON.stringify({ machine, ...results }, null, 2)}\n`)
}
