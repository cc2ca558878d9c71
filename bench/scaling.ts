// Cost as the collection grows: the same per-request measures (answer, queue, a page of Browse,
// card info) and start-up measures (serve start to first API answer, its resident memory) at
// each tier, and their growth from the tier before the largest to the largest (100k -> 1M).
// Every tier is kept until all are built; the per-request measures then run in rounds that
// visit the tiers in turn.
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

/** Rounds of the per-request measures: each round visits every tier in turn (see measureRequests). */
export const ROUNDS = 5

export const emptyFigures = (): TierFigures => ({
  answer: [],
  queue: [],
  browsePage: [],
  cardInfo: [],
  startMs: [],
  rssMb: []
})

/** `serve` start to its first API answer and its resident memory, on one tier. */
export async function measureStarts(built: BuiltCollection, contentDir: string, figures: TierFigures): Promise<void> {
  const name = built.tier.name
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
  progress('')
}

/**
 * One round of the per-request measures on one tier (a fifth of 500 answers, 300 queues, 200
 * Browse pages, 300 card infos). The rounds visit the tiers in turn, so a busy spell of the
 * shared machine falls on every tier alike instead of on whichever tier it met: the growth is a
 * ratio of the same moments.
 */
export async function measureRequests(
  built: BuiltCollection,
  contentDir: string,
  round: number,
  figures: TierFigures
): Promise<void> {
  const name = `${built.tier.name} (round ${round + 1} / ${ROUNDS})`
  const part = (total: number) => Math.ceil(total / ROUNDS)
  const collection = openCollection({ dataDir: built.dataDir, contentDir, door: 'cli', autoBackup: false })
  try {
    const { handlers } = collection
    progress(`scaling ${name}: answers`)
    figures.answer.push(...(await measureAnswers(handlers, part(500))))
    progress(`scaling ${name}: queue`)
    figures.queue.push(...(await measureQueue(handlers, false, part(300))))
    progress(`scaling ${name}: Browse pages`)
    figures.browsePage.push(...(await measureBrowsePage(handlers, built.tier.cards, part(200), round * part(200))))
    progress(`scaling ${name}: card info`)
    figures.cardInfo.push(...(await measureCardInfo(handlers, built.tier.cards, part(300), round * part(300))))
  } finally {
    collection.close()
    progress('')
  }
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
