// Entry point of the sandbox child: one process per run, spawned warm before it is needed.
// Startup, before any drill code exists: load Node's network modules, freeze the JavaScript
// intrinsics (lockdown), install the guards and the output and memory capture, warm up, then
// freeze the module surface and the globals and put the allow-listed `process` in place. The run
// message then evaluates the bundle and runs the tests. The process exits after one run, so
// nothing a run does (leaked servers, timers) can reach the next one.
import './before-lockdown'
import vm from 'node:vm'
import * as net from 'node:net'
import * as dgram from 'node:dgram'
import * as tls from 'node:tls'
import * as http from 'node:http'
import * as http2 from 'node:http2'
import * as crypto from 'node:crypto'
import * as events from 'node:events'
import * as buffer from 'node:buffer'
import * as stream from 'node:stream'
import * as streamPromises from 'node:stream/promises'
import * as streamWeb from 'node:stream/web'
import * as timers from 'node:timers'
import * as timersPromises from 'node:timers/promises'
import * as util from 'node:util'
import * as utilTypes from 'node:util/types'
import * as assert from 'node:assert'
import * as assertStrict from 'node:assert/strict'
import * as dns from 'node:dns'
import * as dnsPromises from 'node:dns/promises'
import type { ChildMessage, HostMessage, KeyedChildMessage, RunJob } from '../protocol'
import type { TestCertificates } from './certificates'
import { HARNESS_MODULE, allowedBuiltin, refusedModuleMessage } from '../policy'
import { TraceRecorder } from './trace-recorder'
import { installNetworkGuard } from './net-guard'
import { installMemoryGuard } from './memory-guard'
import { installOutputCapture } from './output-capture'
import { createSafeProcess, disarmParentPort } from './safe-process'
import { freezeGlobals, freezeReachableClasses, freezeSurface, lockDownIntrinsics } from './freeze-realm'
import { guardNativeHandles } from './native-guard'
import { collectSamples, hideGlobalDispatchers, warmHttp, warmHttp2, type Samples } from './samples'
import { onViolation, refuse } from './refusal'
import { createHarness } from './harness'
import { createTestRunner } from './run-tests'
import { BUNDLE_FILENAME, createErrorFormatter } from './stack-map'
import { captureParentChannel } from './parent-channel'

const parent = captureParentChannel()
/** Set from the job: every message of the run carries it (see RunJob.key). */
let runKey: string | undefined
const keyed = (message: ChildMessage): KeyedChildMessage =>
  runKey === undefined ? message : { ...message, key: runKey }
const send = (message: ChildMessage) => parent.send(keyed(message))
lockDownIntrinsics()

// `import * as` gives namespace objects; drill code gets the real module objects (`default`).
const moduleOf = (ns: object) => ((ns as { default?: unknown }).default ?? ns) as object
const BUILTINS: Record<string, object> = {
  'node:net': moduleOf(net),
  'node:dgram': moduleOf(dgram),
  'node:tls': moduleOf(tls),
  'node:http': moduleOf(http),
  'node:http2': moduleOf(http2),
  'node:crypto': moduleOf(crypto),
  'node:events': moduleOf(events),
  'node:buffer': moduleOf(buffer),
  'node:stream': moduleOf(stream),
  'node:stream/promises': moduleOf(streamPromises),
  'node:stream/web': moduleOf(streamWeb),
  'node:timers': moduleOf(timers),
  'node:timers/promises': moduleOf(timersPromises),
  'node:util': moduleOf(util),
  'node:util/types': moduleOf(utilTypes),
  'node:assert': moduleOf(assert),
  'node:assert/strict': moduleOf(assertStrict),
  'node:dns': moduleOf(dns),
  'node:dns/promises': moduleOf(dnsPromises)
}

const trace = new TraceRecorder((events, keyLog) => send({ type: 'trace', events, keyLog }))
installNetworkGuard(trace)
const pendingCertificates = new Map<number, { resolve: (c: TestCertificates) => void; reject: (e: Error) => void }>()
let certificateRequests = 0
const harness = createHarness(trace, (options) => {
  const id = (certificateRequests += 1)
  return new Promise<TestCertificates>((resolve, reject) => {
    pendingCertificates.set(id, { resolve, reject })
    send({ type: 'certificates', id, options: { ...options } })
  })
})
const output = installOutputCapture()
const memory = installMemoryGuard()

function sandboxRequire(specifier: string): unknown {
  if (specifier === HARNESS_MODULE) return harness.module
  const canonical = allowedBuiltin(String(specifier))
  const mod = canonical ? BUILTINS[canonical] : undefined
  return mod ?? refuse(refusedModuleMessage(String(specifier)))
}

let started = false
parent.onMessage((message: HostMessage) => {
  if (message.type === 'certificates') {
    const pending = pendingCertificates.get(message.id)
    pendingCertificates.delete(message.id)
    if (message.result) pending?.resolve(message.result)
    else pending?.reject(new Error(message.error ?? 'the host could not make certificates'))
    return
  }
  if (message.type !== 'run' || started) return
  started = true
  runKey = String(message.key)
  runJob(message).catch((err: unknown) => {
    parent.sendLast(
      keyed({
        type: 'fatal',
        message: `internal error in the sandbox: ${err instanceof Error ? err.message : String(err)}`
      }),
      1
    )
  })
})
// One loopback echo through the guarded paths before saying 'ready': the first use of net, the
// guards and vm is slow (lazy compilation), and a warm child should pay that before a run, not
// during one. Its trace events are dropped (trace.start()) before 'ready'.
const samples: Samples = { objects: [], cleanup: [] }
warmUp()
  .catch(() => {})
  .finally(() => {
    sealRealm(samples)
    // Drop the warm-up's events now: a pending batch flushed after 'ready' would reach the run.
    trace.start()
    send({ type: 'ready' })
  })

/** After this, nothing drill code and the tests share can be changed by drill code. */
function sealRealm(warm: Samples): void {
  disarmParentPort(process)
  const made = collectSamples(warm)
  guardNativeHandles(made.natives)
  freezeReachableClasses(made.objects)
  for (const clean of made.cleanup) clean()
  hideGlobalDispatchers()
  // The agent http.get and http.request use by default: its options override every request's
  // (port included), so they are frozen, and it takes no new members (no shadowed addRequest).
  const agent = (moduleOf(http) as typeof import('node:http')).globalAgent
  Object.freeze((agent as unknown as { options: object }).options)
  Object.preventExtensions(agent)
  freezeSurface([...Object.values(BUILTINS), harness.module])
  freezeGlobals({ process: createSafeProcess(process, { sandboxRequire, write: output.write }) })
}

async function warmUp(): Promise<void> {
  new vm.Script('(function () { return 1 })', { filename: BUNDLE_FILENAME }).runInThisContext()
  await warmHttp(samples)
  await warmHttp2(samples)
  const server = net.createServer((s) => s.pipe(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => {
    const client = net.connect(port, '127.0.0.1', () => client.write('warm'))
    samples.objects.push(server, client, (client as unknown as { _handle: unknown })._handle)
    client.once('data', () => {
      client.destroy()
      resolve()
    })
    client.once('error', () => resolve())
  })
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/**
 * EventEmitter's capture flag is a writable, non-configurable field of its prototype that every
 * new emitter copies (so it cannot be frozen): turned on, an async listener's failed assertion in
 * a test would become an 'error' event instead of failing the test. Drill code may not turn it on;
 * the check runs as each test ends, and a violation makes the run an error.
 */
const captureFlagAtStart = events.EventEmitter.captureRejections
let flagReported = false
function checkSharedFlags(): void {
  if (flagReported || events.EventEmitter.captureRejections === captureFlagAtStart) return
  flagReported = true
  send({
    type: 'violation',
    message: 'EventEmitter.captureRejections was changed: it changes how the tests see errors'
  })
}

/**
 * The wrapper sits on the bundle's first line, so only line 1 columns shift (by its length).
 * Strict mode: writing to a frozen built-in throws where the code does it instead of doing nothing.
 */
const WRAPPER_HEAD = '(function (exports, require, module) {"use strict";'

async function runJob(job: RunJob): Promise<void> {
  onViolation((message) => send({ type: 'violation', message }))
  const formatter = createErrorFormatter(job.sourceMap, WRAPPER_HEAD.length)
  const runner = createTestRunner(formatter, job.defaultTestTimeoutMs, performance.now() + job.timeLimitMs)
  output.setLimit(job.outputLimitBytes)
  memory.setLimit(job.memoryLimitBytes)
  process.on('uncaughtException', (err) => runner.stray('Uncaught exception', err))
  process.on('unhandledRejection', (reason) => runner.stray('Unhandled promise rejection', reason))
  trace.start()

  const finish = () => {
    trace.flush()
    parent.sendLast(
      keyed({ type: 'done', strays: runner.strays(), outputBytes: output.totalBytes(), keptBytes: output.keptBytes() }),
      0
    )
  }
  const fatal = (message: string) => {
    trace.flush()
    parent.sendLast(keyed({ type: 'fatal', message }), 0)
  }

  // The bundle has no import() left (compile.ts turns it into require); a stray one would fail
  // anyway: vm scripts cannot import without --experimental-vm-modules.
  const script = new vm.Script(`${WRAPPER_HEAD}${job.bundle}\n})`, { filename: BUNDLE_FILENAME })
  const module: { exports: unknown } = { exports: {} }
  try {
    ;(script.runInThisContext() as (e: unknown, r: unknown, m: unknown) => void)(module.exports, sandboxRequire, module)
  } catch (err) {
    return fatal(`the code could not load: ${formatter.format(err)}`)
  }
  const files = module.exports as Array<[string, () => unknown]>
  for (const [file, load] of files) {
    harness.beginFile(file)
    try {
      load()
    } catch (err) {
      return fatal(`the code could not load (while loading ${file}): ${formatter.format(err)}`)
    }
  }
  harness.closeRegistration()
  if (harness.tests.length === 0) return fatal('no tests were registered: the test files must call test(name, fn)')
  send({ type: 'plan', tests: harness.tests.map((t) => t.name), files: harness.tests.map((t) => t.file) })
  await runner.run(
    harness.tests,
    (index, result) => {
      checkSharedFlags()
      send({ type: 'test', index, result })
    },
    (index) => trace.beginTest(index)
  )
  finish()
}
