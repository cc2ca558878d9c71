// Type errors in the learner's solution.ts, with line and column, from a TypeScript language
// service in a worker thread (esbuild only strips types). Optional: when `typescript` or
// `@types/node` cannot be found (a packaged app without them), checks resolve to null and runs
// go ahead unchecked.
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { bundledScriptPath } from '../child-script'
import { HARNESS_DTS } from './harness-dts'
import type { CheckResponse } from './type-check-worker'

let worker: Worker | null = null
let prebuiltPath: string | null = null

/** A prebuilt worker script (bundle of type-check-worker.ts with `typescript` external); default: bundle from source. */
export function setTypeCheckWorkerPath(path: string | null): void {
  prebuiltPath = path
}
let starting: Promise<Worker | null> | null = null
let nextId = 1
const pending = new Map<number, (errors: string[] | null) => void>()
/** Results for recent sources: Run then Submit, or Run again, does not re-check unchanged code. */
const recent = new Map<string, string[]>()
const RECENT_MAX = 32

function resolveTools(): { typescriptPath: string; typesNodeDir: string } | null {
  try {
    const require = createRequire(import.meta.url)
    return {
      typescriptPath: require.resolve('typescript'),
      typesNodeDir: dirname(require.resolve('@types/node/package.json'))
    }
  } catch {
    return null
  }
}

function startWorker(): Promise<Worker | null> {
  starting ??= (async () => {
    const tools = resolveTools()
    if (!tools) return null
    const script =
      prebuiltPath ??
      (await bundledScriptPath('type-check-worker', new URL('./type-check-worker.ts', import.meta.url), ['typescript']))
    const w = new Worker(script, { workerData: { ...tools, harnessDts: HARNESS_DTS } })
    w.on('message', (m: CheckResponse) => {
      pending.get(m.id)?.(m.errors)
      pending.delete(m.id)
      if (pending.size === 0) w.unref()
    })
    const failAll = () => {
      for (const resolve of pending.values()) resolve(null)
      pending.clear()
      worker = null
      starting = null
    }
    w.on('error', failAll)
    w.on('exit', failAll)
    w.unref()
    worker = w
    return w
  })().catch(() => null)
  return starting
}

/** Type errors as `solution.ts:line:col: TSxxxx: message`; [] when clean; null when unavailable. */
export async function typeCheck(code: string): Promise<string[] | null> {
  const known = recent.get(code)
  if (known) return known
  const w = worker ?? (await startWorker())
  if (!w) return null
  const id = nextId++
  const errors = await new Promise<string[] | null>((resolve) => {
    pending.set(id, resolve)
    w.ref()
    w.postMessage({ id, code })
  })
  if (errors) {
    recent.delete(code)
    recent.set(code, errors)
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string)
  }
  return errors
}

export async function stopTypeChecker(): Promise<void> {
  const w = worker ?? (starting ? await starting : null)
  worker = null
  starting = null
  if (w) await w.terminate()
}
