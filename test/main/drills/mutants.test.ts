// Mutation test: every drill ships realistic wrong solutions (content/drills/<id>/mutants/*.ts,
// first line a comment naming the bug). Each goes through the real runner in submit mode and must
// not pass (fail, or time out), with at least one ordinary (non-stretch) test failing on an
// assertion message that tells the learner what went wrong. A mutant that passes is a hole in that drill's hidden tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDrills, MUTANTS_FOLDER } from '../../../src/main/content/load-drills'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'

const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
const { drills } = loadDrills(contentDir)
/** Each drill needs at least this many mutants (issue 14). */
const MIN_MUTANTS = 6
/** A message a learner can act on says more than a bare comparison. */
const BARE_ASSERT =
  /^(AssertionError[^:]*: )?(Expected values to be strictly (deep-)?equal|The expression evaluated to a falsy value)/

afterAll(() => shutdownRunner())

function mutantsOf(id: string): Array<[string, string, string]> {
  const dir = join(contentDir, 'drills', id, MUTANTS_FOLDER)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => {
      const code = readFileSync(join(dir, f), 'utf8')
      return [f.slice(0, -3), /^\/\/ *(.*)/.exec(code)?.[1] ?? '', code]
    })
}

describe.each(drills.map((d) => [d.id, d] as const))('%s', (id, drill) => {
  const mutants = mutantsOf(id)

  it(`ships at least ${MIN_MUTANTS} mutants, each opening with a comment that names its bug`, () => {
    expect(mutants.length).toBeGreaterThanOrEqual(MIN_MUTANTS)
    for (const [name, bug, code] of mutants) {
      expect(bug.length, `${name}.ts must start with a '// Bug: ...' line`).toBeGreaterThan(15)
      expect(code, `${name}.ts is the reference solution unchanged`).not.toBe(drill.solution)
    }
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
