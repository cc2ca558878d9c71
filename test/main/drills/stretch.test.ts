// Stretch tests through the real runner: a failing stretch test is shown apart and does not fail
// the Submit; a failing ordinary test still does; a stretch test's failure keeps its message.
import { afterAll, describe, expect, it } from 'vitest'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'
import { buildDrill } from './helpers/drill-builder'
import { countDeclaredStretch, gradeStretch, STRETCH_PREFIX } from '../../../src/main/drills/stretch'
import type { DrillResult } from '../../../src/main/drills/types'

afterAll(() => shutdownRunner())

/** A finished run whose ordinary test passed and whose one stretch test failed. */
function finished(message: string): DrillResult {
  const test = (name: string, status: 'pass' | 'fail') => ({ name, status, message: '', durationMs: 1 })
  return {
    drill: 'd',
    status: 'fail',
    message,
    tests: [test('core', 'pass'), test(`${STRETCH_PREFIX}idle timeout`, 'fail')],
    output: '',
    trace: [],
    durationMs: 5,
    isolation: []
  }
}

const hidden = (coreBody: string, stretchBody: string) =>
  "import assert from 'node:assert/strict'\nimport { test } from 'retransmit:test'\n" +
  `test('core', () => { ${coreBody} })\n` +
  `test('answers Expect: 100-continue', () => { ${stretchBody} }, { stretch: true })\n`

describe('stretch tests', () => {
  it('a failing stretch test is marked, keeps its message, and the Submit still passes', async () => {
    const drill = buildDrill({ hiddenTests: hidden('', "assert.fail('no 100 Continue before the body')") })
    const result = await runDrill({ drill, code: drill.solution, mode: 'submit' })
    expect(result.status).toBe('pass')
    expect(result.tests.map((t) => [t.name, t.status, t.stretch ?? false])).toEqual([
      ['runs the code', 'pass', false],
      ['core', 'pass', false],
      ['answers Expect: 100-continue', 'fail', true]
    ])
    expect(result.tests[2]?.message).toMatch(/no 100 Continue before the body/)
    expect(result.message).toBe('All 2 tests passed. Stretch (not needed to pass): 0 of 1 passed.')
  })

  it('a failing ordinary test fails the Submit even when every stretch test passes', async () => {
    const drill = buildDrill({ hiddenTests: hidden("assert.fail('wrong status line')", '') })
    const result = await runDrill({ drill, code: drill.solution, mode: 'submit' })
    expect(result.status).toBe('fail')
    expect(result.message).toBe('1 of 2 tests failed. Stretch (not needed to pass): 1 of 1 passed.')
  })

  it('an error outside any test keeps a Submit failed even when only a stretch test failed', () => {
    const graded = gradeStretch(finished('1 of 2 tests failed.\nOutside any test: Uncaught exception: late crash'), 1)
    expect(graded.status).toBe('fail')
    expect(graded.message).toBe(
      'All 1 tests passed. Stretch (not needed to pass): 0 of 1 passed.\nOutside any test: Uncaught exception: late crash'
    )
  })

  it('a run reporting more stretch tests than its files declare is graded with every test counted', () => {
    const forged = finished('1 of 2 tests failed.')
    expect(gradeStretch(forged, 0)).toEqual(forged)
    expect(countDeclaredStretch("test('a', () => {}, { timeoutMs: 4000, stretch: true })\ntest('b', () => {})\n")).toBe(
      1
    )
  })

  it('Run (visible tests only) never sees the stretch tests', async () => {
    const drill = buildDrill({ hiddenTests: hidden('', "assert.fail('no')") })
    const result = await runDrill({ drill, code: drill.solution, mode: 'run' })
    expect(result.tests.some((t) => t.stretch)).toBe(false)
    expect(result.status).toBe('pass')
  })
})
