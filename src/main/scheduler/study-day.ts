// "Today" for a learner: it starts at their rollover hour (default 04:00 local), not at
// midnight, so a late-night session still counts for the day it belongs to.
const DAY_MS = 86_400_000

export interface StudyDay {
  /** Days since 1970-01-01 in local time, counted from the rollover hour. */
  number: number
  startMs: number
  endMs: number
}

/**
 * @param tzOffsetMinutes as Date#getTimezoneOffset() for `now` (UTC minus local, minutes)
 */
export function studyDay(now: number, dayStartHour: number, tzOffsetMinutes: number): StudyDay {
  const localMs = now - tzOffsetMinutes * 60_000 - dayStartHour * 3_600_000
  const number = Math.floor(localMs / DAY_MS)
  const startMs = number * DAY_MS + dayStartHour * 3_600_000 + tzOffsetMinutes * 60_000
  return { number, startMs, endMs: startMs + DAY_MS }
}

/** YYYY-MM-DD of a study-day number. */
export function dayLabel(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
}
