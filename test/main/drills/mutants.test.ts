// Mutation test: every drill ships realistic wrong solutions (content/drills/<id>/mutants/*.patch:
// a line naming the bug, then a diff planting it in solution.ts; see load-mutants.ts). Each goes
// through the real runner in submit mode and must not pass (fail, or time out), with at least one
// ordinary (non-stretch) test failing on an assertion message that tells the learner what went
// wrong. A mutant that passes is a hole in that drill's hidden tests.
//
// Mutants run a few at once (the unit project's maxConcurrency, in vitest.config.ts): most of a run
// is waiting on sockets and timers, and the runner gives each its own sandbox child.
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDrills } from '../../../src/main/content/load-drills'
import { loadMutants } from '../../../src/main/content/load-mutants'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'

const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
const { drills } = loadDrills(contentDir)
/** Each drill needs at least this many mutants (issue 14). */
const MIN_MUTANTS = 6
/** A message a learner can act on says more than a bare comparison. */
const BARE_ASSERT =
  /^(AssertionError[^:]*: )?(Expected values to be strictly (deep-)?equal|The expression evaluated to a falsy value)/

afterAll(() => shutdownRunner())

describe.concurrent.each(drills.map((d) => [d.id, d] as const))('%s', (id, drill) => {
  // A patch that no longer fits solution.ts throws here, naming its file and mutant.
  const mutants = loadMutants(contentDir, id, drill.solution).map((m) => [m.name, m.bug, m.code] as const)

  it(`ships at least ${MIN_MUTANTS} mutants, each naming its bug in a sentence`, () => {
    expect(mutants.length).toBeGreaterThanOrEqual(MIN_MUTANTS)
    for (const [name, bug] of mutants) expect(bug.length, `${name}.patch: say what the bug is`).toBeGreaterThan(10)
  })

  it.each(mutants)(
    'Submit fails the mutant %s',
    async (name, bug, code) => {
      const result = await runDrill({ drill, code, mode: 'submit' })
      const failed = result.tests.filter((t) => !t.stretch && t.status === 'fail')
      const summary = `${result.status}: ${result.message}\n${failed.map((t) => `  ${t.name}: ${t.message.split('\n')[0]}`).join('\n')}`
      // A run stopped by its time or memory limit is a failed Submit too, as long as a test said
      // why first (a wrong length prefix can make a server buffer without end). Any other error
      // (refused code, a crash) is not a test catching the bug.
      const stoppedByLimit =
        result.status === 'timeout' || (result.status === 'error' && result.message.startsWith('Memory limit exceeded'))
      expect(result.status === 'fail' || stoppedByLimit, `mutant ${name} (${bug}) got\n${summary}`).toBe(true)
      const actionable = failed.filter((t) => t.message.length > 20 && !BARE_ASSERT.test(t.message))
      expect(actionable.length, `mutant ${name} failed, but no failing test said why:\n${summary}`).toBeGreaterThan(0)
      // A mutant may run until the drill's own time limit: the test waits for that, plus start-up
      // and compile time on a loaded machine.
    },
    drill.timeLimitMs + 60_000
  )
})
