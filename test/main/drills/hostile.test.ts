// Hostile code through the real runner. Each case must end with a clear result, leave this test
// process unharmed, and leave the next run working. The network cases (non-loopback connect,
// bind, send, name lookups, leaked servers) are in hostile-network.test.ts.
import { afterAll, describe, expect, it } from 'vitest'
import { runDrill, shutdownRunner, type DrillResult } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'

afterAll(() => shutdownRunner())

function run(code: string, limits: { timeLimitMs?: number } = {}): Promise<DrillResult> {
  return runDrill({ drill: codeOnlyDrill({ timeLimitMs: limits.timeLimitMs ?? 3000 }), code, mode: 'run' })
}

const HEALTHY =
  "export async function main() { if ([1, 2].map((x) => x * 2).join() !== '2,4') throw new Error('broken') }"

async function expectNextRunWorks(): Promise<void> {
  const next = await run(HEALTHY)
  expect(next.status, next.message).toBe('pass')
}

describe('runaway code', () => {
  it('a synchronous infinite loop times out', async () => {
    const r = await run('export function main() { for (;;) {} }', { timeLimitMs: 1000 })
    expect(r.status).toBe('timeout')
    expect(r.message).toMatch(/Time limit exceeded: .*1000 ms/)
    expect(r.tests[0]?.status).toBe('timeout')
    await expectNextRunWorks()
  })

  it('an endless microtask flood times out', async () => {
    const r = await run('export async function main() { for (;;) await null }', { timeLimitMs: 1000 })
    expect(r.status).toBe('timeout')
    await expectNextRunWorks()
  })

  it('a heap bomb stops with a memory error', async () => {
    const r = await run(
      'export function main() { const keep: number[][] = []; for (;;) keep.push(new Array(1e6).fill(1.5)) }',
      { timeLimitMs: 20_000 }
    )
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Memory limit exceeded/)
    await expectNextRunWorks()
  })

  it('a Buffer bomb stops near 256 MB', async () => {
    const r = await run(
      'export function main() { const keep: Buffer[] = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)) }',
      { timeLimitMs: 20_000 }
    )
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Memory limit exceeded/)
    // Stopped by the in-sandbox check, before the allocation that would cross the limit.
    const used = /heap (\d+) MB \+ buffers (\d+) MB/.exec(r.message)
    expect(used, r.message).not.toBeNull()
    const total = Number(used?.[1]) + Number(used?.[2])
    expect(total).toBeLessThanOrEqual(256)
    expect(total).toBeGreaterThan(200)
    await expectNextRunWorks()
  })

  it("a drill's own memoryLimitMb is the limit", async () => {
    const r = await runDrill({
      drill: codeOnlyDrill({ memoryLimitMb: 64, timeLimitMs: 20_000 }),
      code: 'export function main() { const keep: Buffer[] = []; for (;;) keep.push(Buffer.alloc(4 * 1024 * 1024, 1)) }',
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/more than 64 MB/)
  })

  it('a typed-array bomb is stopped too', async () => {
    const r = await run(
      'export function main() { const keep: Float64Array[] = []; for (;;) keep.push(new Float64Array(4 * 1024 * 1024)) }',
      { timeLimitMs: 20_000 }
    )
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Memory limit exceeded/)
  })

  it('100 MB of console output is capped at 1 MB', async () => {
    const r = await run(
      "export function main() { const line = 'x'.repeat(1023); for (let i = 0; i < 100 * 1024; i++) console.log(line) }",
      { timeLimitMs: 20_000 }
    )
    expect(r.status).toBe('pass')
    expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(1024 * 1024)
    expect(r.output.startsWith('xxxx')).toBe(true)
    expect(r.output).toMatch(/\[output cut at 1024 KB of \d+ bytes written\]$/)
  })

  it('a throw is a failed test with the line it came from', async () => {
    const r = await run("export function main() {\n  throw new RangeError('out of range')\n}")
    expect(r.status).toBe('fail')
    expect(r.tests[0]?.message).toMatch(/RangeError: out of range\n\s+at solution\.ts:2:/)
  })

  it('an unhandled rejection fails the run with its message', async () => {
    const r = await run(
      "export async function main() { Promise.reject(new Error('nobody catches me')); await new Promise((r) => setTimeout(r, 20)) }"
    )
    expect(r.status).toBe('fail')
    expect(JSON.stringify(r)).toContain('Unhandled promise rejection: Error: nobody catches me')
    await expectNextRunWorks()
  })

  it('replacing setTimeout is refused, and the per-test timeout still works', async () => {
    const drill = codeOnlyDrill({ timeLimitMs: 5000 })
    drill.visibleTests =
      "import { test } from 'retransmit:test'\nimport { main } from './solution'\ntest('hangs', () => { try { main() } catch {} return new Promise(() => {}) }, { timeoutMs: 300 })\ntest('after', () => {})"
    const r = await runDrill({
      drill,
      code: 'export function main() { (globalThis as any).setTimeout = () => 0 }',
      mode: 'run'
    })
    expect(r.tests.map((t) => t.status)).toEqual(['timeout', 'pass'])
    const direct = await run('export function main() { (globalThis as any).setTimeout = () => 0 }')
    expect(direct.status).toBe('fail')
    expect(direct.tests[0]?.message).toMatch(/read.only|Cannot assign/)
  })

  it('an exception thrown from a timer fails the test it happened in', async () => {
    const r = await run(
      "export async function main() { setTimeout(() => { throw new Error('late boom') }, 5); await new Promise((r) => setTimeout(r, 50)) }"
    )
    expect(r.status).toBe('fail')
    expect(r.tests[0]?.message).toMatch(/Uncaught exception: Error: late boom/)
  })
})

describe('modules and process', () => {
  it("import 'node:fs' is refused at compile time with its line", async () => {
    const r = await run(
      "import { readFileSync } from 'node:fs'\nexport function main() { readFileSync('/etc/passwd') }"
    )
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/solution\.ts:1:\d+: module 'node:fs' is not allowed/)
    expect(r.tests).toEqual([])
  })

  it("require('fs') is refused, literal or computed", async () => {
    const literal = await run("export function main() { require('fs') }")
    expect(literal.status).toBe('error')
    expect(literal.message).toMatch(/module 'fs' is not allowed/)
    const computed = await run(
      "export function main() { const name = ['f', 's'].join(''); require(name).readFileSync('/etc/hostname') }"
    )
    expect(computed.status).toBe('error')
    expect(computed.message).toMatch(/Refused: module 'fs' is not allowed/)
  })

  it('dynamic import() is refused', async () => {
    const r = await run(
      "export async function main() { const name = 'node:' + ['f', 's'].join(''); await import(name) }"
    )
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Refused: module 'node:fs' is not allowed/)
    const allowed = await run(
      "export async function main() { const name = 'node:' + 'net'; const net = await import(name); if (typeof net.createServer !== 'function') throw new Error('no net') }"
    )
    expect(allowed.status, allowed.tests[0]?.message).toBe('pass')
  })

  it('process.binding, getBuiltinModule and env are closed', async () => {
    const binding = await run("export function main() { (process as any).binding('fs') }")
    expect(binding.status).toBe('error')
    expect(binding.message).toMatch(/process\.binding\(\) is not allowed/)
    const builtin = await run("export function main() { (process as any).getBuiltinModule('node:child_process') }")
    expect(builtin.status).toBe('error')
    expect(builtin.message).toMatch(/module 'node:child_process' is not allowed/)
    const env = await run('export function main() { console.log(JSON.stringify(Object.keys(process.env))) }')
    expect(env.status).toBe('pass')
    expect(env.output.trim()).toBe('[]')
  })

  it('child processes and workers are refused', async () => {
    const child = await run("import { spawn } from 'node:child_process'\nexport function main() { spawn('sh') }")
    expect(child.status).toBe('error')
    expect(child.message).toMatch(/module 'node:child_process' is not allowed/)
    const worker = await run("import { Worker } from 'node:worker_threads'\nexport function main() { new Worker('1') }")
    expect(worker.status).toBe('error')
    expect(worker.message).toMatch(/module 'node:worker_threads' is not allowed/)
  })

  it('process.exit and process.abort are refused and the next run works', async () => {
    const exit = await run('export function main() { process.exit(0) }')
    expect(exit.status).toBe('error')
    expect(exit.message).toMatch(/process\.exit\(\) is not allowed/)
    const abort = await run('export function main() { process.abort() }')
    expect(abort.status).toBe('error')
    expect(abort.message).toMatch(/process\.abort\(\) is not allowed/)
    await expectNextRunWorks()
  })

  it('the IPC channel to the host is out of reach', async () => {
    const fd = await run(
      'import net from \'node:net\'\nexport function main() { new net.Socket({ fd: 3 }).write(\'{"type":"done"}\\n\') }'
    )
    expect(fd.status).toBe('error')
    expect(fd.message).toMatch(/sockets over file descriptors are not allowed/)
    // Drill code's process is an allow-list: the channel's internals are simply not on it.
    const send = await run(
      "export function main() { (process as any)._send({ type: 'done', strays: [], outputBytes: 0 }) }"
    )
    expect(send.status).toBe('fail')
    expect(send.tests[0]?.message).toMatch(/_send is not a function/)
    const channel = await run(
      'export function main() { console.log(String((process as any).channel), String((process as any)._channel)) }'
    )
    expect(channel.output.trim()).toBe('undefined undefined')
  })

  it('built-ins cannot be changed, so nothing leaks into the tests or the next run', async () => {
    const mutate = await run("export function main() { Array.prototype.map = () => ['poisoned'] as any }")
    expect(mutate.status).toBe('fail')
    expect(mutate.tests[0]?.message).toMatch(/read.only|Cannot assign/)
    const pollute = await run('export function main() { (Object.prototype as any).polluted = 1 }')
    expect(pollute.status).toBe('fail')
    const check = await run(
      "export function main() { if ((({}) as any).polluted !== undefined) throw new Error('polluted'); if (JSON.stringify([1]) !== '[1]') throw new Error('JSON'); if ([1].map((x) => x + 1)[0] !== 2) throw new Error('map') }"
    )
    expect(check.status, check.tests[0]?.message).toBe('pass')
  })
})

describe('load', () => {
  it('20 runs at once all finish, each with its own result', async () => {
    const code = (n: number) =>
      `import net from 'node:net'\nexport async function main() { const s = net.createServer((c) => c.end('${n}')); await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)); const c = net.connect((s.address() as net.AddressInfo).port, '127.0.0.1'); let got = ''; c.on('data', (d) => (got += d)); await new Promise((r) => c.on('end', r)); console.log(got); s.close() }`
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        runDrill({ drill: codeOnlyDrill({ timeLimitMs: 15_000 }), code: code(n), mode: 'run' })
      )
    )
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('pass'))
    expect(results.map((r) => r.output.trim())).toEqual(Array.from({ length: 20 }, (_, n) => String(n)))
    for (const r of results) expect(r.trace.some((e) => e.kind === 'tcp-accept')).toBe(true)
    await expectNextRunWorks()
  })
})
