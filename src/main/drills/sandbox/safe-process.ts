// The `process` drill code sees: an allow-list of what a networking program needs (timing, memory,
// platform facts, nextTick, writing output), nothing else. The real process object (signals,
// execve, bindings, the host channel, the inspector, exit) stays with the sandbox's own code, which
// took its references before drill code existed (the child bundle binds `process` to the real one
// at its first line: see real-process.ts). Whatever is not listed is simply not there; the few
// members people reach for by habit refuse with a sentence that says why.
import { allowedBuiltin, refusedModuleMessage } from '../policy'
import { refuse } from './refusal'

export interface SafeProcessParts {
  /** The sandbox's require: drill code's way to load an allowed module. */
  sandboxRequire: (specifier: string) => unknown
  /** Output from drill code, already capped (output-capture.ts). */
  write: (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean
}

const REFUSED: Record<string, string> = {
  exit: 'is not allowed in drills: let your servers close and the test finish instead',
  reallyExit: 'is not allowed in drills',
  abort: 'is not allowed in drills',
  kill: 'is not allowed in drills: a drill cannot signal processes',
  _kill: 'is not allowed in drills: a drill cannot signal processes',
  execve: 'is not allowed in drills: a drill cannot start programs',
  binding: 'is not allowed in drills (it reaches Node internals)',
  _linkedBinding: 'is not allowed in drills (it reaches Node internals)',
  dlopen: 'is not allowed in drills (native code)',
  chdir: 'is not allowed in drills',
  send: 'is not allowed in drills',
  disconnect: 'is not allowed in drills',
  _debugProcess: 'is not allowed in drills',
  on: 'is not available in drills: process events belong to the test runner',
  once: 'is not available in drills: process events belong to the test runner',
  addListener: 'is not available in drills: process events belong to the test runner',
  prependListener: 'is not available in drills: process events belong to the test runner'
}

export function createSafeProcess(real: NodeJS.Process, parts: SafeProcessParts): object {
  const refusing = Object.fromEntries(
    Object.entries(REFUSED).map(([name, why]) => [name, () => refuse(`process.${name}() ${why}`)])
  )
  const hrtime = Object.assign((previous?: [number, number]) => real.hrtime(previous), {
    bigint: () => real.hrtime.bigint()
  })
  const memoryUsage = Object.assign(() => real.memoryUsage(), { rss: () => real.memoryUsage.rss() })
  const stream = (fd: number) => Object.freeze({ fd, isTTY: false, write: parts.write })
  const safe = {
    ...refusing,
    nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => real.nextTick(callback, ...args),
    hrtime,
    memoryUsage,
    cpuUsage: (previous?: NodeJS.CpuUsage) => real.cpuUsage(previous),
    uptime: () => real.uptime(),
    emitWarning: (warning: string | Error) => real.emitWarning(warning),
    getBuiltinModule: (id: string) =>
      allowedBuiltin(String(id)) ? parts.sandboxRequire(String(id)) : refuse(refusedModuleMessage(String(id))),
    cwd: () => '/',
    platform: real.platform,
    arch: real.arch,
    version: real.version,
    versions: Object.freeze({ ...real.versions }),
    pid: real.pid,
    title: 'retransmit-drill',
    argv: Object.freeze(['node', 'solution.ts']),
    execArgv: Object.freeze([]),
    // No host environment (paths, tokens) inside a run.
    env: Object.freeze({}),
    stdout: stream(1),
    stderr: stream(2)
  }
  Object.freeze(hrtime)
  Object.freeze(memoryUsage)
  return Object.freeze(safe)
}

/**
 * In an Electron utility process, `process.parentPort` is a non-configurable property of the real
 * process. Drill code cannot reach the real process, but its methods are disarmed all the same
 * (on the object and on the class it comes from): the channel already holds its own bound
 * postMessage (parent-channel.ts) and has consumed the one job.
 */
export function disarmParentPort(real: NodeJS.Process): void {
  const port = (real as unknown as { parentPort?: object }).parentPort
  if (!port) return
  const proto = Object.getPrototypeOf(port) as object | null
  const targets = [
    port,
    ...(proto && proto !== Object.prototype && !Object.prototype.hasOwnProperty.call(proto, 'setMaxListeners')
      ? [proto]
      : [])
  ]
  for (const target of targets) {
    for (const name of ['postMessage', 'start', 'pause']) {
      Object.defineProperty(target, name, {
        value: () => refuse(`process.parentPort.${name}() is not allowed in drills`),
        writable: false,
        configurable: false
      })
    }
  }
}
