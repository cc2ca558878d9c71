// Every drill in content/drills: the reference solution passes every test (visible and hidden),
// the starter fails at least one, and the folder loads without errors.
import { afterAll, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { loadDrills } from '../../../src/main/content/load-drills'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'

const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
const { drills, errors } = loadDrills(contentDir)

afterAll(() => shutdownRunner())

it('every drill folder loads', () => {
  expect(errors).toEqual([])
  expect(drills.map((d) => d.id)).toContain('tcp-length-prefix-echo')
})

describe.each(drills.map((d) => [d.id, d] as const))('%s', (_id, drill) => {
  it(
    'the reference solution passes every test',
    async () => {
      const result = await runDrill({ drill, code: drill.solution, mode: 'submit' })
      const failures = result.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}: ${t.message}`)
      expect({ status: result.status, message: result.message, failures }).toEqual({
        status: 'pass',
        message: expect.any(String),
        failures: []
      })
      expect(result.tests.length).toBeGreaterThan(0)
    },
    drill.timeLimitMs + 60_000
  )

  it(
    'the starter fails, with messages',
    async () => {
      const result = await runDrill({ drill, code: drill.starter, mode: 'submit' })
      expect(result.status).toBe('fail')
      const failed = result.tests.filter((t) => t.status !== 'pass')
      expect(failed.length).toBeGreaterThan(0)
      for (const t of failed) expect(t.message.length, `test '${t.name}' failed without a message`).toBeGreaterThan(10)
      // Runs may take up to the drill's time limit; the rest is start-up on a loaded machine.
    },
    drill.timeLimitMs + 60_000
  )
})
