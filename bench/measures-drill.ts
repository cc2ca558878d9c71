// The drill ratio: `runDrill` through the service with the warm sandbox child, against `node`
// running the same drill code (visible tests + reference solution, bundled by esbuild into one
// plain script with a minimal `retransmit:test`) as a fresh process, both measured here.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { prewarmRunner } from '../src/main/drills'
import type { Handlers } from '../src/shared/api'
import { progress } from './report'

export const DRILL_ID = 'tcp-length-prefix-echo'

/** The parts of `retransmit:test` the echo drill's visible tests use, without the sandbox. */
const HARNESS = `import { createRelay } from ${JSON.stringify(join(import.meta.dirname, '..', 'src', 'main', 'drills', 'relay', 'index.ts'))}
export const tests: { name: string; fn: () => unknown }[] = []
export function test(name: string, fn: () => unknown) { tests.push({ name, fn }) }
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms) })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
export { createRelay }
`

const ENTRY = `import { tests } from 'retransmit:test'
import './visible.test'
let failed = 0
const started = performance.now()
for (const t of tests) {
  try { await t.fn() } catch (error) { failed++; console.error(t.name, error) }
}
console.log((failed === 0 ? 'pass ' + tests.length : 'fail ' + failed) + ' in ' + (performance.now() - started).toFixed(2) + ' ms')
// Like the sandbox, stop when the tests are done (a test's leftover timers do not hold the run).
process.exit(failed === 0 ? 0 : 1)
`

/** Bundles the drill's visible tests and reference solution into one CommonJS script. */
export async function buildBaselineScript(contentDir: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-bench-drill-'))
  const drillDir = join(contentDir, 'drills', DRILL_ID)
  for (const file of ['solution.ts', 'frames.ts', 'visible.test.ts']) copyFileSync(join(drillDir, file), join(dir, file))
  writeFileSync(join(dir, 'harness.ts'), HARNESS)
  writeFileSync(join(dir, 'entry.ts'), ENTRY)
  const script = join(dir, 'echo-drill.mjs')
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: script,
    logLevel: 'silent',
    plugins: [{ name: 'harness', setup: (b) => b.onResolve({ filter: /^retransmit:test$/ }, () => ({ path: join(dir, 'harness.ts') })) }]
  })
  return script
}

export interface DrillSamples {
  /** `node script` as a new process, spawn to exit (ms). */
  fresh: number[]
  /** The tests alone inside that process: what no runner can make faster (ms). */
  testsOnly: number[]
  /** runDrill through the service with the warm child (ms). */
  warm: number[]
}

export async function measureDrill(handlers: Handlers, contentDir: string, runs: number): Promise<DrillSamples> {
  const script = await buildBaselineScript(contentDir)
  const fresh: number[] = []
  const testsOnly: number[] = []
  for (let i = 0; i < runs; i++) {
    progress(`drill: fresh node ${i + 1} / ${runs}`)
    const started = performance.now()
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8' })
    fresh.push(performance.now() - started)
    if (result.status !== 0) throw new Error(`the baseline script failed: ${result.stdout}${result.stderr}`)
    testsOnly.push(Number(/ in ([\d.]+) ms/.exec(result.stdout)?.[1] ?? NaN))
  }
  const code = readFileSync(join(contentDir, 'drills', DRILL_ID, 'solution.ts'), 'utf8')
  await prewarmRunner()
  // One untimed run: the first Run of a session loads the type checker's libraries.
  await handlers.runDrill({ id: DRILL_ID, code })
  const warm: number[] = []
  for (let i = 0; i < runs; i++) {
    progress(`drill: runDrill ${i + 1} / ${runs}`)
    // Let the replacement child finish starting, as it would between a learner's clicks.
    await prewarmRunner()
    const started = performance.now()
    const result = await handlers.runDrill({ id: DRILL_ID, code })
    warm.push(performance.now() - started)
    if (result.status !== 'pass') throw new Error(`runDrill did not pass: ${result.message}`)
  }
  rmSync(dirname(script), { recursive: true, force: true })
  progress('')
  return { fresh, testsOnly, warm }
}
