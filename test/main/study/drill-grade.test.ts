// The grade of a drill Submit from the host's records: each rule of drill-grade.ts on a fixed clock.
import { describe, expect, it } from 'vitest'
import { FAST_SOLVE_MS, gradeSubmit, SOON_MS, type GradeRecords } from '../../../src/main/study/drill-grade'
import { FIXED_NOW } from '../../helpers/temp'

const MINUTE = 60_000

/** A pass 5 minutes after a timed opening, with nothing shown and nothing graded before. */
function records(overrides: Partial<GradeRecords> = {}): GradeRecords {
  return {
    status: 'pass',
    now: FIXED_NOW,
    openedAt: FIXED_NOW - 5 * MINUTE,
    hintsShown: 0,
    solutionShownAt: null,
    lastGraded: null,
    ...overrides
  }
}

describe('gradeSubmit', () => {
  it('gives Easy only to a pass within 10 minutes of a timed opening, with no hint and no solution', () => {
    expect(gradeSubmit(records()).grade).toBe(4)
    expect(gradeSubmit(records({ openedAt: FIXED_NOW - FAST_SOLVE_MS })).grade).toBe(4)
    expect(gradeSubmit(records({ openedAt: FIXED_NOW - FAST_SOLVE_MS - 1 }))).toEqual({
      grade: 3,
      reason: 'every test passed, in over 10 minutes'
    })
  })

  it('gives at most Good after a hint', () => {
    expect(gradeSubmit(records({ hintsShown: 1 }))).toEqual({ grade: 3, reason: 'every test passed, with a hint' })
    expect(gradeSubmit(records({ hintsShown: 3 })).reason).toBe('every test passed, with 3 hints')
  })

  it('gives at most Good when the attempt has no recorded start (a CLI Submit with no attempt open)', () => {
    expect(gradeSubmit(records({ openedAt: null })).grade).toBe(3)
  })

  it('gives at most Hard within 24 hours after the solution was shown, Hard beating a hint', () => {
    expect(gradeSubmit(records({ solutionShownAt: FIXED_NOW - MINUTE })).grade).toBe(2)
    expect(gradeSubmit(records({ solutionShownAt: FIXED_NOW - MINUTE, hintsShown: 2 })).grade).toBe(2)
    expect(gradeSubmit(records({ solutionShownAt: FIXED_NOW - SOON_MS + 1 })).grade).toBe(2)
    // A day later it is recall again; this attempt's own opening and hints decide.
    expect(gradeSubmit(records({ solutionShownAt: FIXED_NOW - SOON_MS })).grade).toBe(4)
    // Shown after this Submit arrived (while its tests ran): the code sent could not use it.
    expect(gradeSubmit(records({ solutionShownAt: FIXED_NOW + 1 })).grade).toBe(4)
  })

  it('gives Again to a failing or timed-out Submit, whatever else holds', () => {
    expect(gradeSubmit(records({ status: 'fail' }))).toEqual({ grade: 1, reason: 'some tests failed' })
    expect(gradeSubmit(records({ status: 'timeout', solutionShownAt: FIXED_NOW - MINUTE })).grade).toBe(1)
    expect(gradeSubmit(records({ status: 'fail', lastGraded: { at: FIXED_NOW - MINUTE, grade: 3 } })).grade).toBe(1)
  })

  it('does not grade code that could not run', () => {
    expect(gradeSubmit(records({ status: 'error' })).grade).toBeNull()
  })

  it('does not grade a pass again within 24 hours of a graded pass, unless a fail came between', () => {
    expect(gradeSubmit(records({ lastGraded: { at: FIXED_NOW - MINUTE, grade: 3 } })).grade).toBeNull()
    expect(gradeSubmit(records({ lastGraded: { at: FIXED_NOW - SOON_MS + 1, grade: 2 } })).grade).toBeNull()
    expect(gradeSubmit(records({ lastGraded: { at: FIXED_NOW - SOON_MS, grade: 4 } })).grade).toBe(4)
    expect(gradeSubmit(records({ lastGraded: { at: FIXED_NOW - MINUTE, grade: 1 } })).grade).toBe(4)
  })
})
