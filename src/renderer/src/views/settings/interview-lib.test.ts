import { describe, expect, it } from 'vitest'
import type { InterviewView } from '../../../../shared/study'
import { percent, planLine } from './interview-lib'

const forecast = {
  daysLeft: 1,
  cards: 10,
  days: [],
  predictedRecall: 0.956,
  recallIfIdle: 0.5,
  peakAnswers: 42,
  peakReviews: 30,
  warnings: []
}

describe('interview plan words', () => {
  it('rounds a probability to a whole percentage', () => {
    expect(percent(0.956)).toBe('96 %')
    expect(percent(0.9)).toBe('90 %')
    expect(percent(0)).toBe('0 %')
  })

  it('says nothing without a plan or once the day has come', () => {
    expect(planLine({ plan: null, forecast: null })).toBeNull()
    expect(planLine({ plan: { date: '2026-03-08', deckIds: [], target: 0.9 }, forecast: null })).toBeNull()
  })

  it('gives the days left, the predicted recall against the target, and the first warning', () => {
    const view: InterviewView = { plan: { date: '2026-03-08', deckIds: [], target: 0.9 }, forecast }
    expect(planLine(view)).toBe(
      'Interview in 1 day (2026-03-08): predicted recall 96 %, target 90 %, busiest day 42 answers.'
    )
    const warned = planLine({ ...view, forecast: { ...forecast, daysLeft: 5, warnings: ['Too many.', 'Other.'] } })
    expect(warned).toMatch(/^Interview in 5 days .* Too many\.$/)
  })
})
