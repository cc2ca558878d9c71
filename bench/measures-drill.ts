// The drill ratio: `runDrill` through the service with the warm sandbox child, against `node`
// running the same drill code (visible tests + reference solution, bundled by esbuild into one
// plain script with a minimal `retransmit:test`) as a fresh process, both measured here. Every
// timed Run sends code the runner has not seen (a changed comment), as a learner's Run after an
// edit does. The drill page type-checks the text while the learner types (checkDrill, 400 ms
// after the last key), so a Run from the app finds its check done: that is the measured Run.
// A Run of never-checked code (the CLI's `drill run --file`) is measured beside it.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { prewarmRunner } from '../src/main/drills'
import type { Handlers } from '../src/shared/api'
import { progress } from './report'

/** The parts of `retransmit:test` the measured drills' visible tests use, without the sandbox. */
const HARNESS = `export const tests: { name: string; fn: () => unknown }[] = []
export function test(name: string, fn: () => unknown) { tests.push({ name, fn }) }
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms) })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
`
/** Only drills whose tests use the relay load it (loading it would slow the baseline down). */
const RELAY_EXPORT = `export { createRelay } from ${JSON.stringify(join(import.meta.dirname, '..', 'src', 'main', 'drills', 'relay', 'index.ts'))}\n`

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

/** Bundles the drill's visible tests and reference solution (and its helper modules) into one script. */
export async function buildBaselineScript(contentDir: string, drillId: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-bench-drill-'))
  const drillDir = join(contentDir, 'drills', drillId)
  const files = readdirSync(drillDir).filter((f) => f.endsWith('.ts') && f !== 'starter.ts' && f !== 'hidden.test.ts')
  for (const file of files) copyFileSync(join(drillDir, file), join(dir, file))
  const usesRelay = readFileSync(join(drillDir, 'visible.test.ts'), 'utf8').includes('createRelay')
  writeFileSync(join(dir, 'harness.ts'), HARNESS + (usesRelay ? RELAY_EXPORT : ''))
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
    plugins: [
      {
        name: 'harness',
        setup: (b) => b.onResolve({ filter: /^retransmit:test$/ }, () => ({ path: join(dir, 'harness.ts') }))
      }
    ]
  })
  return script
}

export interface DrillSamples {
  /** `node script` as a new process, spawn to exit (ms). */
  fresh: number[]
  /** The tests alone inside that process: what no runner can make faster (ms). */
  testsOnly: number[]
  /** runDrill through the service with the warm child, new code each time, checked as the editor does (ms). */
  warm: number[]
  /** The same, for code nobody type-checked yet: the check runs beside the tests (ms). */
  unchecked: number[]
}

export async function measureDrill(
  handlers: Handlers,
  contentDir: string,
  drillId: string,
  runs: number
): Promise<DrillSamples> {
  const script = await buildBaselineScript(contentDir, drillId)
  const fresh: number[] = []
  const testsOnly: number[] = []
  for (let i = 0; i < runs; i++) {
    progress(`drill ${drillId}: fresh node ${i + 1} / ${runs}`)
    const started = performance.now()
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8' })
    fresh.push(performance.now() - started)
    if (result.status !== 0) throw new Error(`the baseline script failed: ${result.stdout}${result.stderr}`)
    testsOnly.push(Number(/ in ([\d.]+) ms/.exec(result.stdout)?.[1] ?? NaN))
  }
  const code = readFileSync(join(contentDir, 'drills', drillId, 'solution.ts'), 'utf8')
  await prewarmRunner()
  // One untimed run: the first Run of a session loads the type checker's libraries.
  await handlers.runDrill({ id: drillId, code })
  const warm: number[] = []
  const unchecked: number[] = []
  const timedRun = async (edited: string): Promise<number> => {
    // Let the replacement child finish starting, as it would between a learner's clicks.
    await prewarmRunner()
    const started = performance.now()
    const result = await handlers.runDrill({ id: drillId, code: edited })
    const ms = performance.now() - started
    if (result.status !== 'pass') throw new Error(`runDrill did not pass: ${result.message}`)
    return ms
  }
  for (let i = 0; i < runs; i++) {
    progress(`drill ${drillId}: runDrill ${i + 1} / ${runs}`)
    const edited = `${code}\n// edit ${i + 1}\n`
    await handlers.checkDrill({ id: drillId, code: edited })
    warm.push(await timedRun(edited))
    unchecked.push(await timedRun(`${code}\n// unchecked edit ${i + 1}\n`))
  }
  rmSync(dirname(script), { recursive: true, force: true })
  progress('')
  return { fresh, testsOnly, warm, unchecked }
}
