// Issue 11's escapes, each tried through the real runner (and the CLI) with the kernel layer this
// machine has and again without it: what drill code can reach of the process, of other processes,
// of loopback, and of the verdict. Every case here got through before the sandbox was rebuilt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { createSocket } from 'node:dgram'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import { kernelLayer, resetKernelLayer, wrapInKernelLayer } from '../../../src/main/drills/kernel-isolation'
import { loadDrills } from '../../../src/main/content/load-drills'
import { prewarmRunner, runDrill, shutdownRunner, type DrillResult } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'
import { runCli } from '../../helpers/cli'
import { tempDir } from '../../helpers/temp'

const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
const echo = loadDrills(contentDir).drills.find((d) => d.id === 'tcp-echo')
if (!echo) throw new Error('tcp-echo drill missing')
const echoDrill = echo

/** The starter with an attack added at its top level: it must never pass Submit. */
function attack(lines: string): string {
  // Type errors would stop the run before the attack happens: the type checker is told to look away.
  return `// @ts-nocheck\n${lines}\n${echoDrill.starter}`
}

function run(code: string): Promise<DrillResult> {
  return runDrill({ drill: codeOnlyDrill({ timeLimitMs: 4000 }), code, mode: 'run' })
}

function submitEcho(code: string): Promise<DrillResult> {
  return runDrill({ drill: echoDrill, code, mode: 'submit' })
}

/** Sandbox processes below this one (whatever the kernel layer put in between). */
function sandboxDescendants(): number[] {
  const parentOf = new Map<number, number>()
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // Field 4 of /proc/PID/stat, after the parenthesised command name.
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
      parentOf.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone already
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid), hops = 0; p !== undefined && hops < 64; p = parentOf.get(p), hops += 1)
      if (p === process.pid) return true
    return false
  }
  const isSandbox = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('drill-child')
    } catch {
      return false
    }
  }
  return [...parentOf.keys()].filter((pid) => below(pid) && isSandbox(pid))
}

const hostServers: Server[] = []
let hostTcpPort = 0
const hostUdp = createSocket('udp4')
let hostUdpPort = 0

beforeAll(async () => {
  // A service of "another program" on the host's loopback: drill code must not reach it.
  const server = createServer((s) => s.end('secret from the host\n'))
  hostServers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  hostTcpPort = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => hostUdp.bind(0, '127.0.0.1', resolve))
  hostUdpPort = hostUdp.address().port
})

afterAll(async () => {
  delete process.env.RETRANSMIT_SANDBOX_KERNEL
  resetKernelLayer()
  await shutdownRunner()
  for (const s of hostServers) s.close()
  hostUdp.close()
})

const MODES = [
  { name: 'with the kernel layer this machine has', env: undefined },
  { name: 'without the kernel layer (the in-process layers alone)', env: 'none' }
] as const

describe.each(MODES)('$name', ({ env }) => {
  beforeAll(async () => {
    await shutdownRunner()
    if (env) process.env.RETRANSMIT_SANDBOX_KERNEL = env
    else delete process.env.RETRANSMIT_SANDBOX_KERNEL
    resetKernelLayer()
    if (!env) console.info(`kernel layer here: ${JSON.stringify(kernelLayer())}`)
  })

  describe('the process', () => {
    it('process.execve cannot replace the child with a shell', async () => {
      const marker = join(tempDir('retransmit-execve-'), 'ran')
      const r = await run(
        `export function main() { (process as any).execve('/bin/sh', ['sh', '-c', 'touch ${marker}']) }`
      )
      expect(r.status).not.toBe('pass')
      expect(r.message + r.tests.map((t) => t.message).join()).toMatch(/process\.execve\(\) is not allowed/)
      expect(() => readFileSync(marker)).toThrow()
    })

    it('signals: process.kill and process._kill cannot reach the host or anyone else', async () => {
      const kill = await run(`export function main() { process.kill(${process.pid}, 'SIGUSR1') }`)
      expect(kill.status).not.toBe('pass')
      expect(kill.message + kill.tests.map((t) => t.message).join()).toMatch(/process\.kill\(\) is not allowed/)
      const raw = await run(`export function main() { (process as any)._kill(${process.pid}, 10) }`)
      expect(raw.status).not.toBe('pass')
      expect(raw.message + raw.tests.map((t) => t.message).join()).toMatch(/process\._kill\(\) is not allowed/)
    })

    it('the process drill code sees is an allow-list', async () => {
      const r = await run(
        "export function main() { const p = process as any; console.log(['binding', 'dlopen', 'mainModule', 'channel', 'parentPort', 'permission', 'report', 'stdin', 'execPath', 'setuid', 'ppid'].map((k) => k + '=' + typeof p[k]).join(' ')); console.log(typeof process.nextTick, typeof process.hrtime.bigint, JSON.stringify(process.env)) }"
      )
      expect(r.status, r.message).toBe('pass')
      const [members, allowed] = r.output.trim().split('\n')
      expect(members).toBe(
        'binding=function dlopen=function mainModule=undefined channel=undefined parentPort=undefined permission=undefined report=undefined stdin=undefined execPath=undefined setuid=undefined ppid=undefined'
      )
      expect(allowed).toBe('function function {}')
      const binding = await run("export function main() { (process as any).binding('spawn_sync') }")
      expect(binding.tests[0]?.message).toMatch(/process\.binding\(\) is not allowed/)
    })

    it('process event listeners belong to the test runner', async () => {
      const r = await run("export function main() { process.on('uncaughtException', () => {}) }")
      expect(r.status).not.toBe('pass')
      expect(r.message + r.tests.map((t) => t.message).join()).toMatch(/process\.on\(\) is not available/)
    })
  })

  describe('loopback', () => {
    it("a TCP service on the host's loopback is refused before a socket exists", async () => {
      const r = await run(
        `import net from 'node:net'\nexport async function main() { await new Promise((resolve, reject) => { const s = net.connect(${hostTcpPort}, '127.0.0.1'); s.on('data', (d) => { console.log(String(d)); resolve(null) }); s.on('error', reject) }) }`
      )
      expect(r.status).toBe('error')
      expect(r.message).toMatch(new RegExp(`port ${hostTcpPort} was not opened by this run`))
      expect(r.output).not.toContain('secret')
    })

    it("fetch to this machine's other ports (this app's own server, say) is refused", async () => {
      const r = await run(`export async function main() { await fetch('http://127.0.0.1:${hostTcpPort}/api') }`)
      expect(r.status).not.toBe('pass')
      expect(r.message + r.tests.map((t) => t.message).join()).toMatch(/was not opened by this run/)
    })

    it("UDP to the host's sockets is refused; the run's own sockets and ports it closed stay reachable", async () => {
      const r = await run(
        `import dgram from 'node:dgram'\nexport function main() { dgram.createSocket('udp4').send('x', ${hostUdpPort}, '127.0.0.1') }`
      )
      expect(r.status).not.toBe('pass')
      expect(r.message + r.tests.map((t) => t.message).join()).toMatch(/was not opened by this run/)
      const own = await run(
        "import net from 'node:net'\nexport async function main() {\n  const s = net.createServer((c) => c.end('hi')); await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))\n  const port = (s.address() as net.AddressInfo).port\n  const got = await new Promise<string>((r, j) => { const c = net.connect(port, '127.0.0.1'); c.on('data', (d) => r(String(d))); c.on('error', j) })\n  await new Promise((r) => s.close(r))\n  const refused = await new Promise<string>((r) => { const c = net.connect(port, '127.0.0.1'); c.on('error', (e: any) => r(e.code)); c.on('connect', () => r('connected')) })\n  console.log(got, refused)\n}"
      )
      expect(r.status).not.toBe('pass')
      expect(own.status, own.message + own.tests.map((t) => t.message).join()).toBe('pass')
      expect(own.output.trim()).toBe('hi ECONNREFUSED')
    })
  })

  describe('the verdict', () => {
    const forgeries: Array<[string, string]> = [
      ['Buffer comparison', 'Buffer.prototype.equals = () => true'],
      ['array helpers', 'Array.prototype.every = () => true; Array.prototype.includes = () => true'],
      [
        'promises',
        'const then = Promise.prototype.then; Promise.prototype.then = function (this: any, ok: any) { return then.call(this, ok, ok) }'
      ],
      [
        'assertion helpers',
        "import assert from 'node:assert/strict'\n;(assert as any).fail = () => {}; (assert as any).ok = () => {}; (assert as any).equal = () => {}"
      ],
      [
        'the global Buffer',
        "Object.defineProperty(globalThis, 'Buffer', { value: { from: () => ({ equals: () => true }), concat: () => ({ equals: () => true }) } })"
      ],
      [
        'the socket prototype',
        "import net from 'node:net'\n;(net.Socket.prototype as any).write = function () { return true }"
      ],
      [
        'the event emitter',
        "import { EventEmitter } from 'node:events'\n;(EventEmitter.prototype as any).emit = function () { return true }"
      ],
      ['error reporting', 'Error.prototype.name = "SandboxRefusal"; (Error as any).prepareStackTrace = () => "ok"']
    ]

    it.each(forgeries)('a do-nothing echo server that patches %s does not pass Submit', async (_what, patch) => {
      const r = await submitEcho(attack(patch))
      // Strict mode and frozen built-ins: the patch throws where it is made, so the code does not
      // even load (or, if it does, its do-nothing server fails the tests).
      expect(['error', 'fail']).toContain(r.status)
      expect(r.message + r.tests.map((t) => t.message).join()).toMatch(
        /read.only|Cannot (assign|redefine|define|add)|not extensible|failed/
      )
    })

    // Three lines hold here: the native-handle guard refuses open() on any descriptor
    // (native-guard.ts), libuv refuses to open fd 3 a second time (EEXIST), and the host drops any
    // message without the run's key, which only the sandbox's own code has (RunJob.key).
    it('writing forged results into the host channel (fd 3) through a raw socket handle does not count', async () => {
      const forge = [
        "import net from 'node:net'",
        'const forged = (async () => {',
        "  const srv = net.createServer(); await new Promise((r) => srv.listen(0, '127.0.0.1', r))",
        "  const c = net.connect(srv.address().port, '127.0.0.1'); await new Promise((r) => c.on('connect', r))",
        '  const h = new c._handle.constructor(0); h.open(3)',
        "  const s = new net.Socket({ handle: h, readable: false, writable: true }); s.on('error', () => {})",
        "  for (let i = 0; i < 8; i++) s.write(JSON.stringify({ type: 'test', index: i, result: { name: 'x', status: 'pass', message: '', durationMs: 1 } }) + '\\n')",
        "  s.write(JSON.stringify({ type: 'done', strays: [], outputBytes: 0, keptBytes: 0 }) + '\\n')",
        '})().catch(() => {})'
      ].join('\n')
      const r = await submitEcho(attack(forge))
      expect(r.status).toBe('error')
      expect(r.message).toMatch(/opening a tcp handle over a file descriptor is not allowed/)
      expect(r.tests.some((t) => t.status !== 'pass')).toBe(true)
    })

    it('drill code cannot register tests of its own, even through a computed require', async () => {
      const code = attack(
        "const h = (require as any)(['retransmit', 'test'].join(':'))\nh.test('forged', () => {})\ntry { h.test = () => {} } catch {}"
      )
      const r = await submitEcho(code)
      expect(r.status).toBe('error')
      expect(r.message).toMatch(/visible\.test\.ts declares \d+ tests, the run registered \d+/)
    })

    it('a run that registers fewer tests than the file declares is an error, never "All 0 passed"', async () => {
      const drill = codeOnlyDrill({
        visibleTests: "import { test } from 'retransmit:test'\ntest('one', () => {})\n/*\ntest('two', () => {})\n*/\n"
      })
      const r = await runDrill({ drill, code: 'export {}', mode: 'run' })
      expect(r.status).toBe('error')
      expect(r.message).toMatch(/visible\.test\.ts declares 2 tests, the run registered 1/)
    })

    it('the CLI grades the same way: a forged Submit fails with exit code 1', async () => {
      const dir = tempDir('retransmit-cli-forge-')
      const file = join(dir, 'attack.ts')
      writeFileSync(file, attack(forgeries[0]?.[1] ?? ''))
      const cli = await runCli(
        ['drill', 'run', 'tcp-echo', '--file', file, '--submit', '--data-dir', join(dir, 'data')],
        { RETRANSMIT_CONTENT_DIR: contentDir }
      )
      expect(cli.code).toBe(1)
      expect(cli.out).toMatch(/^(FAIL|ERROR): /m)
      expect(cli.out).toMatch(/^Isolation: /m)
    })
  })

  it('everything a run started ends with it', async () => {
    await run('export function main() { for (;;) {} }')
    await prewarmRunner()
    expect(sandboxDescendants().length).toBeGreaterThan(0)
    await shutdownRunner()
    expect(sandboxDescendants()).toEqual([])
  })
})

describe.each(['bubblewrap', 'unshare'] as const)('the kernel layer by itself: %s', (kind) => {
  /** Runs `source` with Node inside the layer (no in-process guards) and returns what it printed. */
  function insideLayer(source: string): string {
    const script = join(tempDir('retransmit-layer-'), 'probe.cjs')
    writeFileSync(script, source)
    const wrapped = wrapInKernelLayer(process.execPath, [script], [script])
    if (!wrapped) throw new Error('no kernel layer')
    const result = spawnSync(wrapped.command, wrapped.args, { encoding: 'utf8', timeout: 20_000 })
    return `${result.stdout}${result.stderr}`.trim()
  }

  beforeAll(async () => {
    await shutdownRunner()
    process.env.RETRANSMIT_SANDBOX_KERNEL = kind
    resetKernelLayer()
  })

  it('isolates processes, loopback and files, or says why it cannot here', ({ skip }) => {
    const layer = kernelLayer()
    if (layer.kind !== kind) {
      console.info(
        `${kind} is not available here (${layer.kind === 'none' ? layer.why : `got ${layer.kind}`}): the fallback layers are tested above`
      )
      skip()
      return
    }
    const out = insideLayer(`
      const net = require('node:net'), fs = require('node:fs')
      const report = (k, v) => console.log(k + '=' + v)
      try { process.kill(${process.pid}, 0); report('signal', 'delivered') } catch (e) { report('signal', e.code) }
      try { fs.readdirSync(${JSON.stringify(contentDir)}); report('files', 'visible') } catch (e) { report('files', e.code) }
      report('processes', fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).length)
      const c = net.connect(${hostTcpPort}, '127.0.0.1')
      c.on('data', () => report('host-port', 'reached'))
      c.on('error', (e) => report('host-port', e.code))
      const own = net.createServer((s) => s.end('ok')).listen(0, '127.0.0.1', () => {
        net.connect(own.address().port, '127.0.0.1').on('data', (d) => { report('own-loopback', String(d)); own.close() })
      })
    `)
    expect(out).toMatch(/^signal=ESRCH$/m)
    // bubblewrap mounts only what Node needs; under unshare, files are hidden by Node's permission
    // model instead (the layer tested with the runner above), so the project is still visible here.
    expect(out).toMatch(kind === 'bubblewrap' ? /^files=ENOENT$/m : /^files=visible$/m)
    expect(Number(/^processes=(\d+)$/m.exec(out)?.[1])).toBeLessThanOrEqual(3)
    expect(out).toMatch(/^host-port=ECONNREFUSED$/m)
    expect(out).toMatch(/^own-loopback=ok$/m)
  })
})
