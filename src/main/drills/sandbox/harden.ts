// Takes the dangerous parts of `process` and the globals away before drill code runs. The child
// is single-use, so nothing here needs undoing. Our own code keeps the originals it captured
// before this runs (see child-main.ts).
import { allowedBuiltin, refusedModuleMessage } from '../policy'
import { refuse } from './refusal'

export function hardenProcess(sandboxRequire: (specifier: string) => unknown): void {
  const p = process as unknown as Record<string, unknown>
  const deny = (name: string, why: string) => {
    Object.defineProperty(p, name, {
      value: () => refuse(`process.${name}() ${why}`),
      writable: false,
      configurable: false
    })
  }
  deny('exit', 'is not allowed in drills: let your servers close and the test finish instead')
  deny('reallyExit', 'is not allowed in drills')
  deny('abort', 'is not allowed in drills')
  deny('kill', 'is not allowed in drills')
  deny('binding', 'is not allowed in drills (it reaches Node internals)')
  deny('_linkedBinding', 'is not allowed in drills')
  deny('dlopen', 'is not allowed in drills (native code)')
  deny('chdir', 'is not allowed in drills')
  deny('send', 'is not allowed in drills')
  deny('_send', 'is not allowed in drills')
  deny('disconnect', 'is not allowed in drills')
  deny('setuid', 'is not allowed in drills')
  deny('setgid', 'is not allowed in drills')
  deny('_debugProcess', 'is not allowed in drills')
  deny('openStdin', 'is not allowed in drills')
  deny('loadEnvFile', 'is not allowed in drills')
  Object.defineProperty(p, 'getBuiltinModule', {
    value: (id: string) => (allowedBuiltin(id) ? sandboxRequire(id) : refuse(refusedModuleMessage(id))),
    writable: false,
    configurable: false
  })
  // No host environment (paths, tokens) inside a run.
  Object.defineProperty(p, 'env', { value: {}, writable: false, configurable: false })
  for (const name of ['channel', '_channel', 'mainModule', 'stdin', 'report', 'permission']) {
    Object.defineProperty(p, name, { value: undefined, writable: false, configurable: false })
  }

  if (p.parentPort) disarmParentPort(p.parentPort as object)

  const g = globalThis as unknown as Record<string, unknown>
  // fetch and WebSocket stay: Node's undici opens its sockets through net/tls, so the guards and
  // the trace see them (runner.test.ts and hostile.test.ts check both). WebAssembly stays too
  // (undici parses HTTP with it); its memory is bounded by the host's RSS watchdog.
  for (const name of ['require', 'module']) {
    try {
      delete g[name]
    } catch {
      g[name] = undefined
    }
  }
}

/**
 * In an Electron utility process, `process.parentPort` is a non-configurable property: it cannot
 * be taken away, so its methods are (on the object and on the class it comes from). The channel
 * already holds its own bound postMessage (parent-channel.ts) and has consumed the one job.
 */
function disarmParentPort(port: object): void {
  const proto = Object.getPrototypeOf(port) as object | null
  const targets = [port, ...(proto && proto !== Object.prototype && !Object.prototype.hasOwnProperty.call(proto, 'setMaxListeners') ? [proto] : [])]
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
