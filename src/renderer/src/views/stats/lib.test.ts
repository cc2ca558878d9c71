import { describe, expect, it } from 'vitest'
import {
  CHART,
  duration,
  forecastSummary,
  heatLevel,
  heatmapCells,
  heatmapSummary,
  labelIndexes,
  niceMax,
  percent,
  ratio,
  reviewsSummary,
  shortDay,
  stackedBars,
  stateSegments,
  statesSummary,
  tickY,
  ticks
} from './lib'

const zeroDays = (first: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    day: new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    count: 0
  }))

describe('scales', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 41, 99, 101, 480, 5001].map(niceMax)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 50, 100, 200, 500, 10000
    ])
  })

  it('puts gridlines on whole numbers', () => {
    expect(ticks(1)).toEqual([0, 1])
    expect(ticks(2)).toEqual([0, 1, 2])
    expect(ticks(5)).toEqual([0, 5])
    expect(ticks(10)).toEqual([0, 5, 10])
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20])
    expect(ticks(0)).toEqual([0])
  })

  it('maps values to y inside the plot area', () => {
    expect(tickY(0, 10)).toBe(CHART.height - CHART.bottom)
    expect(tickY(10, 10)).toBe(CHART.top)
  })

  it('labels about six dates, always the first and last', () => {
    expect(labelIndexes(30)).toEqual([0, 6, 12, 17, 23, 29])
    expect(labelIndexes(3)).toEqual([0, 1, 2])
    expect(labelIndexes(0)).toEqual([])
  })
})

describe('stacked bars', () => {
  const box = { width: 110, height: 110, left: 10, bottom: 10, top: 0 }

  it('stacks segments bottom-up in order and scales them to the plot', () => {
    const bars = stackedBars(
      [
        {
          label: '2026-03-01',
          parts: [
            { key: 'passed', value: 30 },
            { key: 'failed', value: 10 }
          ]
        },
        {
          label: '2026-03-02',
          parts: [
            { key: 'passed', value: 0 },
            { key: 'failed', value: 0 }
          ]
        }
      ],
      50,
      box
    )
    expect(bars).toHaveLength(2)
    const [first, second] = bars
    expect(first!.total).toBe(40)
    // 100 units of plot height for 50 answers: 2 per answer, from the baseline at y=100.
    expect(first!.segments).toEqual([
      { key: 'passed', value: 30, y: 40, height: 60 },
      { key: 'failed', value: 10, y: 20, height: 20 }
    ])
    expect(second!.segments).toEqual([])
    // Two bars share 100 units: 50 each, 72% of it drawn, centred.
    expect(first!.width).toBeCloseTo(36)
    expect(first!.x).toBeCloseTo(10 + 7)
    expect(second!.x).toBeCloseTo(60 + 7)
  })

  it('keeps a year of bars inside the chart', () => {
    const bars = stackedBars(
      Array.from({ length: 365 }, (_, i) => ({ label: `d${i}`, parts: [{ key: 'due', value: i }] })),
      500
    )
    const last = bars.at(-1)!
    expect(last.x + last.width).toBeLessThanOrEqual(CHART.width + 1e-9)
    expect(bars[0]!.x).toBeGreaterThanOrEqual(CHART.left)
  })
})

describe('heatmap', () => {
  it('levels days by their share of the busiest day', () => {
    expect([0, 1, 10, 11, 25, 26, 50, 51, 100].map((n) => heatLevel(n, 100))).toEqual([0, 1, 1, 1, 1, 2, 2, 3, 4])
    expect(heatLevel(5, 0)).toBe(0)
  })

  it('lays days out in week columns with Sunday on top', () => {
    // 2026-03-04 is a Wednesday: row 3 of the first column.
    const days = zeroDays('2026-03-04', 10)
    days[4]!.count = 2 // Sunday 2026-03-08: top of the second column
    const { cells, weeks, months } = heatmapCells(days)
    expect(cells[0]).toMatchObject({ day: '2026-03-04', week: 0, weekday: 3, level: 0 })
    expect(cells[4]).toMatchObject({ day: '2026-03-08', week: 1, weekday: 0, level: 4 })
    expect(cells[9]).toMatchObject({ day: '2026-03-13', week: 1, weekday: 5 })
    expect(weeks).toBe(2)
    expect(months).toEqual([{ week: 1, label: 'Mar' }])
  })

  it('names each month once over a year, at its first Sunday column', () => {
    const { weeks, months, cells } = heatmapCells(zeroDays('2025-03-03', 365))
    expect(cells).toHaveLength(365)
    expect(weeks).toBe(53)
    expect(months.map((m) => m.label)).toEqual([
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
      'Jan',
      'Feb',
      'Mar'
    ])
    expect(new Set(months.map((m) => m.week)).size).toBe(months.length)
  })
})

describe('summaries', () => {
  it('sums reviews, the pass rate and the busiest day', () => {
    const reviewsPerDay = [
      { day: '2026-02-28', count: 0, passed: 0 },
      { day: '2026-03-01', count: 41, passed: 37 },
      { day: '2026-03-02', count: 9, passed: 7 }
    ]
    expect(reviewsSummary({ days: 30, reviewsPerDay })).toBe(
      '50 reviews in the last 30 days, 88% passed; busiest day 2026-03-01 with 41.'
    )
    expect(reviewsSummary({ days: 365, reviewsPerDay: [{ day: '2026-03-02', count: 1, passed: 1 }] })).toBe(
      '1 review in the last year, 100% passed; busiest day 2026-03-02 with 1.'
    )
    expect(reviewsSummary({ days: 90, reviewsPerDay: reviewsPerDay.slice(0, 1) })).toBe(
      'No reviews in the last 90 days.'
    )
  })

  it('describes the forecast with today first', () => {
    const forecast = [
      { day: '2026-03-02', count: 12 },
      { day: '2026-03-03', count: 3 },
      { day: '2026-03-04', count: 14 }
    ]
    expect(forecastSummary(forecast)).toBe(
      '29 cards due in the next 3 days; 12 due today, overdue included; busiest day 2026-03-04 with 14.'
    )
    expect(forecastSummary(zeroDays('2026-03-02', 30))).toBe('No cards due in the next 30 days.')
  })

  it('counts study days and the streak', () => {
    const days = zeroDays('2026-01-01', 365)
    days[3]!.count = 5
    days[364]!.count = 1
    expect(heatmapSummary(days, 1)).toBe('Studied on 2 of the last 365 days; current streak 1 day.')
    expect(heatmapSummary(days, 0)).toBe('Studied on 2 of the last 365 days; no current streak.')
  })

  it('lists card states', () => {
    const states = { new: 40, learning: 5, review: 1070, relearning: 2, suspended: 3 }
    expect(statesSummary(states)).toBe('1,120 cards: 40 new, 5 learning, 1,070 review, 2 relearning, 3 suspended.')
    expect(statesSummary({ new: 0, learning: 0, review: 0, relearning: 0, suspended: 0 })).toBe('No cards.')
  })

  it('splits the state bar in proportion, skipping empty states', () => {
    const segments = stateSegments({ new: 1, learning: 0, review: 2, relearning: 0, suspended: 1 }, 100)
    expect(segments).toEqual([
      { key: 'new', value: 1, x: 0, width: 25 },
      { key: 'review', value: 2, x: 25, width: 50 },
      { key: 'suspended', value: 1, x: 75, width: 25 }
    ])
  })
})

describe('formatting', () => {
  it('formats percentages, ratios, dates and durations', () => {
    expect(percent(0.875)).toBe('88%')
    expect(percent(null)).toBe('—')
    expect(ratio(1, 0)).toBeNull()
    expect(ratio(1, 4)).toBe(0.25)
    expect(shortDay('2026-03-01')).toBe('Mar 1')
    expect(shortDay('2026-01-25', true)).toBe('Jan 25, 2026')
    expect(duration(12_400)).toBe('12 s')
    expect(duration(250_000)).toBe('4 min 10 s')
    expect(duration(120_000)).toBe('2 min')
    expect(duration(3_900_000)).toBe('1 h 5 min')
  })
})
