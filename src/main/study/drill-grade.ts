// The grade of a drill Submit, from what the host recorded about the attempt (never from what
// the page says). Pure: the records and `now` come in, a grade and its reason go out.
import type { DrillStatus } from '../../shared/drills'
import type { Rating } from '../../shared/study'

/** Passed within this long of opening the drill, with no hint and no solution shown: Easy (ms). */
export const FAST_SOLVE_MS = 10 * 60_000
/**
 * "Soon" after the solution was shown (ms): a passing Submit within a day of seeing the reference
 * is at most Hard, whichever attempt showed it. Also how long an unfinished attempt stays open,
 * and how long a graded pass stands before another pass may grade the drill again.
 */
export const SOON_MS = 24 * 3_600_000

/** What the host knows when a Submit's tests have finished. */
export interface GradeRecords {
  status: DrillStatus
  /** When the Submit arrived (ms). */
  now: number
  /** When the attempt was opened, or null if a Run/Submit/hint opened it (its start is unknown). */
  openedAt: number | null
  /** Hints shown in this attempt. */
  hintsShown: number
  /** When the reference solution was last shown for this drill, in any attempt (ms), or null. */
  solutionShownAt: number | null
  /** The drill's last graded Submit, or null. */
  lastGraded: { at: number; grade: Rating } | null
}

export interface SubmitGrade {
  grade: Rating | null
  /** Why, in words the page and the CLI show after "Graded X" or "Not graded". */
  reason: string
}

/**
 * The rules, in order (README, Drills):
 * - code that could not run (status `error`) is not graded: it was no attempt at recall;
 * - a failing Submit (fail or timeout) is Again;
 * - a pass within SOON_MS of a graded pass (no fail between) is not graded again: resubmitting
 *   solved code, perhaps in a fresh attempt, is no new recall;
 * - a pass within SOON_MS after the solution was shown is at most Hard;
 * - a pass after a hint in this attempt is at most Good;
 * - a pass is Easy only if the attempt has a known start and the Submit came within FAST_SOLVE_MS
 *   of it; otherwise Good.
 */
export function gradeSubmit(r: GradeRecords): SubmitGrade {
  if (r.status === 'error') return { grade: null, reason: 'the code could not run, so this was no attempt at recall' }
  if (r.status !== 'pass')
    return { grade: 1, reason: r.status === 'timeout' ? 'the tests ran out of time' : 'some tests failed' }
  if (r.lastGraded && r.lastGraded.grade > 1 && r.now - r.lastGraded.at < SOON_MS) {
    return { grade: null, reason: 'this drill already passed within the last 24 hours' }
  }
  if (r.solutionShownAt !== null && r.solutionShownAt <= r.now && r.now - r.solutionShownAt < SOON_MS) {
    return { grade: 2, reason: 'the solution was shown within the last 24 hours' }
  }
  if (r.hintsShown > 0)
    return { grade: 3, reason: `every test passed, with ${r.hintsShown === 1 ? 'a hint' : `${r.hintsShown} hints`}` }
  if (r.openedAt === null)
    return { grade: 3, reason: 'every test passed (the attempt had no recorded start, so it cannot count as fast)' }
  if (r.now - r.openedAt > FAST_SOLVE_MS) return { grade: 3, reason: 'every test passed, in over 10 minutes' }
  return { grade: 4, reason: 'solved within 10 minutes without hints' }
}
