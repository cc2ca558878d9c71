// Stretch tests: "what real servers also do" (Expect: 100-continue, DNS over TCP, idle timeouts).
// They run on Submit like any hidden test and are shown apart, but a Submit passes without them.
// The sandbox registers `test(name, fn, { stretch: true })` under a name starting with STRETCH_PREFIX;
// the host marks it here, after the run, so the sandbox protocol stays as it is.
import type { DrillResult, TestResult } from './types'

export const STRETCH_PREFIX = 'stretch: '

const OUTSIDE_ANY_TEST = '\nOutside any test:'

/**
 * How many stretch tests a test file declares: `stretch: true` in its source. The host trusts no
 * more stretch tests than that, whatever the sandbox reports (the child runs untrusted code).
 */
export function countDeclaredStretch(source: string): number {
  return source.match(/\bstretch:\s*true\b/g)?.length ?? 0
}

/**
 * Marks stretch tests (name without the prefix, `stretch: true`) and grades the run without them.
 * `declared`: how many stretch tests the run's test files declare; a run reporting more is graded
 * as it came, every test counted.
 */
export function gradeStretch(result: DrillResult, declared: number): DrillResult {
  const reported = result.tests.filter((t) => t.name.startsWith(STRETCH_PREFIX)).length
  if (reported === 0 || reported > declared) return result
  const tests: TestResult[] = result.tests.map((t) =>
    t.name.startsWith(STRETCH_PREFIX) ? { ...t, name: t.name.slice(STRETCH_PREFIX.length), stretch: true } : t
  )
  const core = tests.filter((t) => !t.stretch)
  const stretch = tests.filter((t) => t.stretch)
  const coreFailed = core.filter((t) => t.status !== 'pass').length
  const stretchPassed = stretch.filter((t) => t.status === 'pass').length
  // Only a finished run is regraded; a time limit, a crash or a refusal keeps its status and message.
  if (result.status !== 'fail' && result.status !== 'pass') return { ...result, tests }
  const strays = result.message.includes(OUTSIDE_ANY_TEST)
    ? result.message.slice(result.message.indexOf(OUTSIDE_ANY_TEST))
    : ''
  const headline =
    coreFailed === 0 ? `All ${core.length} tests passed.` : `${coreFailed} of ${core.length} tests failed.`
  return {
    ...result,
    status: coreFailed === 0 && strays === '' ? 'pass' : 'fail',
    tests,
    message: `${headline} Stretch (not needed to pass): ${stretchPassed} of ${stretch.length} passed.${strays}`
  }
}
