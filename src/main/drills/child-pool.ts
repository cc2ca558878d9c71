// Sandbox children, used for exactly one run, then gone. One child is kept warm so a run does not
// pay for startup; a run with a non-default memory limit gets a fresh one. How a child is started
// (a Node child process, or an Electron utility process) is the launcher's business.
import { availableParallelism } from 'node:os'
import { childScriptPath } from './child-script'
import { launchNodeChild } from './node-child-launcher'
import type { ChildMessage } from './protocol'
import type { SandboxExit, SandboxLauncher, SandboxProcess } from './sandbox-process'

export interface Slot {
  process: SandboxProcess
  memoryLimitMb: number
  /** Resolves when the child has installed its guards and said 'ready'; rejects if it died first. */
  ready: Promise<void>
  /** The process has ended and its output has all been read. */
  exited: Promise<SandboxExit>
  stdout: Buffer[]
  stdoutBytes: number
  /** Output kept from this child's stdout, bytes (the run's output limit). */
  stdoutCapBytes: number
  stderr: string
  onMessage: ((m: ChildMessage) => void) | null
  /** Called after each chunk of stdout is kept. */
  onOutput: (() => void) | null
}

/** Diagnostics kept from a child's stderr (V8's out-of-memory report), bytes. */
const STDERR_CAP_BYTES = 64 * 1024
/** Runs in flight at once; more wait in line (the wait does not count against time limits). */
const MAX_CONCURRENT = Math.max(2, availableParallelism()) * 2

let launch: SandboxLauncher = launchNodeChild
let warm: Slot | null = null
const live = new Set<Slot>()
let running = 0
const waiting: Array<() => void> = []
let shuttingDown = false

/** Children started from now on use this launcher (the desktop app passes the utility-process one). */
export function setSandboxLauncher(launcher: SandboxLauncher | null): void {
  launch = launcher ?? launchNodeChild
}

/** Bytes in one WebAssembly memory page. */
const WASM_PAGE_BYTES = 64 * 1024

/**
 * Node's flags for a sandbox child, the same for every launcher:
 * - the permission model with nothing granted but reading its own script: no file access, child
 *   processes (so no process.execve), workers, inspector, native addons or WASI;
 * - no inspector on SIGUSR1, whoever sends it;
 * - the V8 heap bounded (Buffers are bounded inside the sandbox and by the host's RSS watchdog:
 *   see memory-guard.ts and runner.ts), and no WebAssembly memory larger than the run's limit.
 */
export function sandboxExecArgv(script: string, memoryLimitMb: number): string[] {
  return [
    '--permission',
    `--allow-fs-read=${script}`,
    '--disable-sigusr1',
    `--max-old-space-size=${memoryLimitMb}`,
    `--wasm-max-mem-pages=${Math.floor((memoryLimitMb * 1024 * 1024) / WASM_PAGE_BYTES)}`
  ]
}

export async function spawnSlot(memoryLimitMb: number): Promise<Slot> {
  const script = await childScriptPath()
  const child = launch({
    script,
    execArgv: sandboxExecArgv(script, memoryLimitMb),
    // A clean environment: nothing from the host (tokens, paths, NODE_OPTIONS) reaches a run.
    // (Windows needs SystemRoot for its crypto and socket libraries.)
    env: process.platform === 'win32' && process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}
  })
  const slot: Slot = {
    process: child,
    memoryLimitMb,
    ready: Promise.resolve(),
    exited: child.finished,
    stdout: [],
    stdoutBytes: 0,
    stdoutCapBytes: 1024 * 1024,
    stderr: '',
    onMessage: null,
    onOutput: null
  }
  live.add(slot)
  void slot.exited.then(() => {
    live.delete(slot)
    if (warm === slot) warm = null
  })
  child.stdout?.on('data', (chunk: Buffer) => {
    if (slot.stdoutBytes >= slot.stdoutCapBytes) return
    const part = chunk.subarray(0, slot.stdoutCapBytes - slot.stdoutBytes)
    slot.stdout.push(part)
    slot.stdoutBytes += part.length
    slot.onOutput?.()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    if (slot.stderr.length < STDERR_CAP_BYTES)
      slot.stderr += chunk.toString('utf8').slice(0, STDERR_CAP_BYTES - slot.stderr.length)
  })
  slot.ready = new Promise<void>((resolve, reject) => {
    child.onMessage((m) => {
      if (m && typeof m === 'object' && m.type === 'ready') resolve()
      else slot.onMessage?.(m)
    })
    void slot.exited.then(({ code, signal }) =>
      reject(
        new Error(
          `the sandbox exited before it was ready (code ${code}, signal ${signal}): ${slot.stderr.slice(0, 500)}`
        )
      )
    )
  })
  slot.ready.catch(() => {})
  child.setRef(false)
  return slot
}

/** Take a ready-to-use child for one run and start warming the next one. */
export async function acquireSlot(memoryLimitMb: number, defaultMemoryLimitMb: number): Promise<Slot> {
  shuttingDown = false
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve))
  running += 1
  try {
    let slot: Slot
    if (memoryLimitMb === defaultMemoryLimitMb && warm && warm.process.isRunning()) {
      slot = warm
      warm = null
    } else slot = await spawnSlot(memoryLimitMb)
    await slot.ready
    return slot
  } catch (err) {
    releaseSlot(defaultMemoryLimitMb)
    throw err
  }
}

/**
 * Called when a run has ended. The replacement warm child starts now, not during the run: its
 * startup would compete with the run for CPU.
 */
export function releaseSlot(defaultMemoryLimitMb: number): void {
  running -= 1
  const next = waiting.shift()
  if (next) next()
  // Starting a process blocks this thread for a few milliseconds (fork/exec): do it once the
  // finished run's result has gone on its way.
  else if (!warm && !shuttingDown) setImmediate(startWarmChild, defaultMemoryLimitMb)
}

function startWarmChild(memoryLimitMb: number): void {
  if (warm || shuttingDown) return
  spawnSlot(memoryLimitMb).then(
    (slot) => {
      if (warm || shuttingDown) slot.process.kill()
      else warm = slot
    },
    () => {}
  )
}

export async function prewarm(defaultMemoryLimitMb: number): Promise<void> {
  shuttingDown = false
  warm ??= await spawnSlot(defaultMemoryLimitMb)
  await warm.ready
}

/** Kill every child (warm and running) and wait until they are gone. */
export async function killAll(): Promise<void> {
  shuttingDown = true
  warm = null
  const all = [...live]
  for (const slot of all) slot.process.kill()
  await Promise.all(all.map((s) => s.exited))
}
