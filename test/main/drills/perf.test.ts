// Perf target: a TCP echo drill run through runDrill (warm child) takes at most half the time of
// `node` running the same compiled code as a fresh process. Timing depends on the machine, so
// this runs only when asked: RETRANSMIT_PERF=1 npx vitest run --project unit test/main/drills/perf.test.ts
import { afterAll, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { prewarmRunner, runDrill, shutdownRunner } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'
import { tempDir } from '../../helpers/temp'

afterAll(() => shutdownRunner())

const ECHO = `import net from 'node:net'
export async function main() {
  const server = net.createServer((s) => s.pipe(s))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  const reply = await new Promise<string>((resolve) => {
    client.once('data', (d) => resolve(String(d)))
    client.write('echo me')
  })
  if (reply !== 'echo me') throw new Error('bad echo: ' + reply)
  client.destroy()
  server.close()
}
`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

it.runIf(process.env.RETRANSMIT_PERF === '1')('a warm echo run costs at most half a fresh node process', async () => {
  const dir = tempDir()
  const entry = join(dir, 'echo.ts')
  writeFileSync(entry, `${ECHO}\nmain()\n`)
  const script = join(dir, 'echo.cjs')
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'silent' })
  const fresh: number[] = []
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, [script], { env: { ELECTRON_RUN_AS_NODE: '1' } })
    fresh.push(performance.now() - t0)
    expect(r.status).toBe(0)
  }
  await prewarmRunner()
  const drill = codeOnlyDrill()
  const timeRun = async (code: string) => {
    // Let the replacement child finish starting, as it would between a learner's clicks.
    await prewarmRunner()
    const t0 = performance.now()
    const r = await runDrill({ drill, code, mode: 'run' })
    expect(r.status).toBe('pass')
    return performance.now() - t0
  }
  // Edited code: a different comment each time, so it is bundled and type-checked afresh.
  const edited: number[] = []
  for (let i = 0; i < 7; i++) edited.push(await timeRun(`${ECHO}// edit ${i}\n`))
  // The same code again ("the same compiled code"): bundle and type check come from the cache.
  const rerun: number[] = []
  for (let i = 0; i < 7; i++) rerun.push(await timeRun(ECHO))
  console.log(`fresh node ${median(fresh).toFixed(1)} ms; runDrill re-run ${median(rerun).toFixed(1)} ms, edited code ${median(edited).toFixed(1)} ms (medians)`)
  expect(median(rerun)).toBeLessThanOrEqual(median(fresh) * 0.5)
})
