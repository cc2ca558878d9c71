import { describe, expect, it } from 'vitest'
import { answer, intervalLabel, NEW_CARD, preview } from '../../../src/main/scheduler/fsrs'
import { dayLabel, studyDay } from '../../../src/main/scheduler/study-day'
import { DEFAULT_SETTINGS } from '../../../src/main/study/settings'
import { FIXED_NOW } from '../../helpers/temp'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('scheduler', () => {
  it('moves a new card through the learning steps', () => {
    const again = answer('c1', NEW_CARD, 1, FIXED_NOW, DEFAULT_SETTINGS)
    expect(again.card.state).toBe(1)
    expect(again.card.due - FIXED_NOW).toBe(1 * MIN)
    const good = answer('c1', NEW_CARD, 3, FIXED_NOW, DEFAULT_SETTINGS)
    expect(good.card.due - FIXED_NOW).toBe(10 * MIN)
    expect(good.log).toMatchObject({ rating: 3, state: 0, reviewedAt: FIXED_NOW })
    const easy = answer('c1', NEW_CARD, 4, FIXED_NOW, DEFAULT_SETTINGS)
    expect(easy.card.state).toBe(2)
    expect(easy.card.scheduledDays).toBeGreaterThanOrEqual(1)
  })

  it('is a pure function of its inputs (same card, same time, same answer)', () => {
    const a = answer('same', NEW_CARD, 4, FIXED_NOW, DEFAULT_SETTINGS)
    const b = answer('same', NEW_CARD, 4, FIXED_NOW, DEFAULT_SETTINGS)
    expect(a).toEqual(b)
  })

  it('lapses a review card on Again and grows the interval on Good', () => {
    let state = answer('c2', NEW_CARD, 4, FIXED_NOW, DEFAULT_SETTINGS).card
    const later = state.due
    const lapse = answer('c2', state, 1, later, DEFAULT_SETTINGS).card
    expect(lapse).toMatchObject({ state: 3, lapses: 1 })
    state = answer('c2', state, 3, later, DEFAULT_SETTINGS).card
    expect(state.state).toBe(2)
    expect(state.scheduledDays).toBeGreaterThan(0)
  })

  it('previews the due time of every grade, ordered Again < Hard < Good < Easy', () => {
    const dues = preview('c3', NEW_CARD, FIXED_NOW, DEFAULT_SETTINGS)
    expect(dues[1]).toBeLessThan(dues[2])
    expect(dues[2]).toBeLessThan(dues[3])
    expect(dues[3]).toBeLessThan(dues[4])
  })

  it('labels intervals', () => {
    expect(intervalLabel(0, 30_000)).toBe('1m')
    expect(intervalLabel(0, 10 * MIN)).toBe('10m')
    expect(intervalLabel(0, 3 * HOUR)).toBe('3h')
    expect(intervalLabel(0, 4 * DAY)).toBe('4d')
    expect(intervalLabel(0, 45 * DAY)).toBe('1.5mo')
    expect(intervalLabel(0, 730 * DAY)).toBe('2y')
  })
})

describe('study days', () => {
  it('roll over at the configured local hour, not midnight', () => {
    // 2026-03-02 03:30 UTC is still study day 2026-03-01 with a 04:00 rollover in UTC.
    const early = Date.UTC(2026, 2, 2, 3, 30)
    expect(dayLabel(studyDay(early, 4, 0).number)).toBe('2026-03-01')
    expect(dayLabel(studyDay(Date.UTC(2026, 2, 2, 4, 0), 4, 0).number)).toBe('2026-03-02')
    expect(studyDay(early, 0, 0).number).toBe(studyDay(Date.UTC(2026, 2, 2, 4, 0), 4, 0).number)
  })

  it('use the local time zone offset', () => {
    // 02:00 UTC is 21:00 the previous evening in New York (UTC-5, offset +300 minutes).
    const t = Date.UTC(2026, 2, 2, 2, 0)
    expect(dayLabel(studyDay(t, 4, 300).number)).toBe('2026-03-01')
    // ...and 11:00 in Tokyo (UTC+9, offset -540).
    expect(dayLabel(studyDay(t, 4, -540).number)).toBe('2026-03-02')
    const day = studyDay(t, 4, 300)
    expect(day.endMs - day.startMs).toBe(DAY)
    expect(t).toBeGreaterThanOrEqual(day.startMs)
    expect(t).toBeLessThan(day.endMs)
  })
})
