// Cost as the collection grows: the same per-request measures (answer, queue, a page of Browse,
// card info) and start-up measures (serve start to first API answer, its resident memory) at
// each tier, and their growth from the tier before the largest to the largest (100k -> 1M).
import { openCollection } from '../src/main/app/collection'
import type { BuiltCollection } from './build-collection'
import { rssMb, startServe, stop } from './measures-browser'
import { measureAnswers, measureBrowsePage, measureCardInfo, measureQueue } from './measures-service'
import { percentile, progress, type Percentile, type ScalingRow } from './report'

export interface TierFigures {
  answer: number[]
  queue: number[]
  browsePage: number[]
  cardInfo: number[]
  startMs: number[]
  rssMb: number[]
}

export async function measureTier(built: BuiltCollection, contentDir: string): Promise<TierFigures> {
  const name = built.tier.name
  const figures: TierFigures = { answer: [], queue: [], browsePage: [], cardInfo: [], startMs: [], rssMb: [] }
  // One untimed start first: it makes the day's automatic backup (a copy of the whole file),
  // which later starts find and skip, as a user's second start of the day does.
  for (let run = 0; run < 4; run++) {
    progress(`scaling ${name}: serve start ${run + 1} / 4`)
    const served = await startServe(built.dataDir, contentDir)
    if (run > 0) {
      figures.startMs.push(served.startMs)
      figures.rssMb.push(rssMb(served.child.pid!))
    }
    await stop(served.child)
  }
  const collection = openCollection({ dataDir: built.dataDir, contentDir, door: 'cli', autoBackup: false })
  try {
    const { handlers } = collection
    progress(`scaling ${name}: answers`)
    figures.answer = await measureAnswers(handlers, 500)
    progress(`scaling ${name}: queue`)
    figures.queue = await measureQueue(handlers)
    progress(`scaling ${name}: Browse pages`)
    figures.browsePage = await measureBrowsePage(handlers, built.tier.cards)
    progress(`scaling ${name}: card info`)
    figures.cardInfo = await measureCardInfo(handlers, built.tier.cards)
  } finally {
    collection.close()
    progress('')
  }
  return figures
}

interface RowSpec {
  measure: string
  key: keyof TierFigures
  on: Percentile
  unit: string
  /** Largest growth allowed from the tier before the largest to the largest (10x the cards). */
  limit: number
  target: string
}

const ROWS: RowSpec[] = [
  { measure: 'answer a card', key: 'answer', on: 'p50', unit: 'ms', limit: 1.5, target: '<= 1.5x' },
  { measure: "today's queue, all decks", key: 'queue', on: 'p50', unit: 'ms', limit: 1.5, target: '<= 1.5x' },
  { measure: 'a page of Browse (200 cards)', key: 'browsePage', on: 'p50', unit: 'ms', limit: 1.5, target: '<= 1.5x' },
  { measure: 'card info (cardInfo)', key: 'cardInfo', on: 'p50', unit: 'ms', limit: 1.5, target: '<= 1.5x' },
  // Sub-linear: less than the growth of the collection itself (10x the cards and log rows).
  {
    measure: 'serve start to first API answer',
    key: 'startMs',
    on: 'p50',
    unit: 'ms',
    limit: 10,
    target: '< 10x (sub-linear)'
  },
  { measure: 'resident memory of serve', key: 'rssMb', on: 'p50', unit: 'MB', limit: 10, target: '< 10x (sub-linear)' }
]

export function scalingRows(figures: Record<string, TierFigures>, tiers: string[]): ScalingRow[] {
  const [before, last] = tiers.slice(-2)
  return ROWS.map((spec) => {
    const values = Object.fromEntries(
      tiers.map((t) => [t, Math.round(percentile(figures[t]![spec.key], Number(spec.on.slice(1))) * 1000) / 1000])
    )
    const growth = tiers.length >= 2 && before && last ? values[last]! / values[before]! : null
    return {
      measure: spec.measure,
      unit: spec.unit,
      on: spec.on,
      tiers: values,
      growth: growth === null ? null : Math.round(growth * 100) / 100,
      target: spec.target,
      met: growth === null ? null : spec.limit === 10 ? growth < spec.limit : growth <= spec.limit
    }
  })
}
