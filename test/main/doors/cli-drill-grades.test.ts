// `retransmit drill run --submit` is graded from the host's records, as the page's Submit is
// (regression, issue 11: it always graded Easy). Through the in-process CLI and the shipped drill.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { shutdownRunner } from '../../../src/main/drills'
import { runCli as run } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

const SHIPPED = join(import.meta.dirname, '..', '..', '..', 'content')
const DRILL = 'tcp-echo'
const SOLUTION = join(SHIPPED, 'drills', DRILL, 'solution.ts')
const env = { RETRANSMIT_CONTENT_DIR: SHIPPED }

afterAll(() => shutdownRunner())

async function submit(dataDir: string): Promise<{ grade: number | null; gradeReason: string; status: string }> {
  const result = await run(
    ['drill', 'run', DRILL, '--file', SOLUTION, '--submit', '--json', '--data-dir', dataDir],
    env
  )
  expect(result.code).toBe(0)
  return JSON.parse(result.out)
}

describe('retransmit drill run --submit', () => {
  it('grades Good, not Easy, when no attempt was opened: the CLI cannot claim a start time', async () => {
    const dataDir = tempDir()
    expect(await submit(dataDir)).toMatchObject({
      status: 'pass',
      grade: 3,
      gradeReason: expect.stringMatching(/no recorded start/)
    })
    const text = await run(['drill', 'run', DRILL, '--file', SOLUTION, '--submit', '--data-dir', dataDir], env)
    expect(text.out).toContain('Not graded: this drill already passed within the last 24 hours.')
  })

  it('grades Easy after `drill start` with no hint, and Good after `drill hint`', async () => {
    const fast = tempDir()
    const folder = tempDir()
    expect((await run(['drill', 'start', DRILL, '--out', folder, '--data-dir', fast], env)).code).toBe(0)
    const readme = readFileSync(join(folder, 'README.md'), 'utf8')
    expect(readme).toContain(`retransmit drill hint ${DRILL}`)
    expect(await submit(fast)).toMatchObject({ grade: 4 })

    const hinted = tempDir()
    expect((await run(['drill', 'start', DRILL, '--out', tempDir(), '--data-dir', hinted], env)).code).toBe(0)
    const hint = await run(['drill', 'hint', DRILL, '--json', '--data-dir', hinted], env)
    expect(JSON.parse(hint.out)).toMatchObject({ n: 1, text: expect.stringMatching(/\S/) })
    // The hint's text reached the learner only through the recorded command, not the README.
    expect(readme).not.toContain(JSON.parse(hint.out).text)
    const second = await run(['drill', 'hint', DRILL, '--data-dir', hinted], env)
    expect(second.out).toMatch(/^Hint 2 of \d+: /)
    const graded = await run(['drill', 'run', DRILL, '--file', SOLUTION, '--submit', '--data-dir', hinted], env)
    expect(graded.out).toMatch(/Graded Good: every test passed, with 2 hints; scheduled \d+ linked card\(s\)\./)
  })

  it('`--solution` runs the reference and records and grades nothing', async () => {
    const dataDir = tempDir()
    const checked = await run(['drill', 'run', DRILL, '--solution', '--json', '--data-dir', dataDir], env)
    expect(checked.code).toBe(0)
    expect(JSON.parse(checked.out)).not.toHaveProperty('grade')
    const list = JSON.parse((await run(['drill', 'list', '--json', '--data-dir', dataDir], env)).out) as {
      drills: { id: string; attempts: number; due: number | null }[]
    }
    expect(list.drills.find((d) => d.id === DRILL)).toMatchObject({ attempts: 0, due: null })
  })
})
