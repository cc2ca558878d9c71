// The desktop app's sandbox path: utilityProcessLauncher driving the real sandbox child over
// process.parentPort. Electron's binary cannot exist on these machines, so utilityProcess.fork is
// the one stand-in here: a Node child with the API Electron documents (fork(modulePath, args,
// { env, execArgv, stdio, serviceName }); 'spawn', 'message' and 'exit'(code) events; pid, stdout,
// stderr, postMessage, kill) and, inside it, a non-configurable process.parentPort whose messages
// arrive as { data }, with Node's own IPC hidden so the child cannot fall back to it, and not
// holding the process open (undocumented for Electron's port, so the child must not rely on it).
import { fork as forkNode } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UtilityProcess } from 'electron'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configureRunner, runDrill, shutdownRunner } from '../../../src/main/drills/index'
import { utilityProcessLauncher, type UtilityFork } from '../../../src/main/drills/utility-process-launcher'
import { buildDrill, codeOnlyDrill } from './helpers/drill-builder'

const PARENT_PORT_SHIM = `
const { EventEmitter } = require('node:events')
const rawSend = process._send.bind(process)
const port = new EventEmitter()
port.postMessage = (message) => rawSend(message, undefined, {}, () => {})
process.on('message', (data) => port.emit('message', { data, ports: [] }))
Object.defineProperty(process, 'parentPort', { enumerable: true, writable: false, value: port })
process.send = undefined
process._send = undefined
// Assume the worst of Electron's port: it does not keep the process alive while it waits.
process.channel.unref()
`

const forks: Array<{ options: unknown }> = []

function fakeUtilityFork(shimPath: string): UtilityFork {
  return (modulePath, args = [], options = {}) => {
    forks.push({ options })
    const child = forkNode(modulePath, args, {
      // The shim stands in for Electron's own start-up code, so the permission model lets it load.
      execArgv: [...(options.execArgv ?? []), `--allow-fs-read=${shimPath}`, '--require', shimPath],
      env: { ...options.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json'
    })
    const utility = Object.assign(new EventEmitter(), {
      get pid() {
        return child.pid
      },
      stdout: child.stdout,
      stderr: child.stderr,
      postMessage: (message: unknown) => child.send(message as never),
      kill: () => child.kill('SIGTERM')
    })
    child.once('spawn', () => utility.emit('spawn'))
    child.on('message', (message) => utility.emit('message', message))
    child.once('exit', (code, signal) => utility.emit('exit', code ?? (signal ? 128 : 0)))
    return utility as unknown as UtilityProcess
  }
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'retransmit-utility-'))
  const shim = join(dir, 'parent-port-shim.cjs')
  writeFileSync(shim, PARENT_PORT_SHIM)
  configureRunner({ launcher: utilityProcessLauncher(fakeUtilityFork(shim)) })
})

afterAll(async () => {
  await shutdownRunner()
  configureRunner({})
})

describe('drills in a utility process (parentPort)', () => {
  it('runs the tests and reports results, output and a trace', async () => {
    const drill = buildDrill({
      visibleTests: [
        "import assert from 'node:assert/strict'",
        "import net from 'node:net'",
        "import { test } from 'retransmit:test'",
        "import { add } from './solution'",
        "test('adds', () => assert.equal(add(2, 3), 5))",
        "test('fails', () => assert.equal(add(2, 2), 5, 'two and two'))",
        "test('talks TCP', async () => {",
        "  const server = net.createServer((s) => s.end('hi'))",
        "  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))",
        '  const port = (server.address() as net.AddressInfo).port',
        "  const got = await new Promise<string>((r) => net.connect(port, '127.0.0.1').on('data', (d) => r(String(d))))",
        '  server.close()',
        "  assert.equal(got, 'hi')",
        '})'
      ].join('\n')
    })
    const r = await runDrill({
      drill,
      code: "export const add = (a: number, b: number) => { console.log('adding', a, b); return a + b }",
      mode: 'run'
    })
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['adds', 'pass'],
      ['fails', 'fail'],
      ['talks TCP', 'pass']
    ])
    expect(r.status).toBe('fail')
    expect(r.output).toContain('adding 2 3')
    expect(r.trace.map((e) => e.kind)).toContain('tcp-connect')
    // The launcher asked for what the runner needs: a clean environment, piped output, the same
    // Node flags as a child process (permission model, no SIGUSR1 inspector, heap and wasm limits).
    expect(forks.at(-1)?.options).toMatchObject({ env: {}, stdio: 'pipe' })
    const execArgv = (forks.at(-1)?.options as { execArgv: string[] }).execArgv
    expect(execArgv).toEqual(
      expect.arrayContaining([
        '--permission',
        '--disable-sigusr1',
        expect.stringMatching(/^--max-old-space-size=\d+$/),
        expect.stringMatching(/^--wasm-max-mem-pages=\d+$/)
      ])
    )
    expect(execArgv.filter((a) => a.startsWith('--allow-'))).toEqual([
      expect.stringMatching(/^--allow-fs-read=.*drill-child\.cjs$/)
    ])
  })

  it('stops an endless loop at the time limit (SIGKILL: drill code cannot even listen for signals)', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: 'export function main() { for (;;) {} }',
      mode: 'run',
      limits: { timeLimitMs: 800 }
    })
    expect(r.status).toBe('timeout')
  })

  it('keeps process.parentPort out of reach of drill code', async () => {
    const forged =
      "(process as unknown as { parentPort: { postMessage(m: unknown): void } }).parentPort.postMessage({ type: 'done', strays: [], outputBytes: 0 })"
    const r = await runDrill({ drill: codeOnlyDrill(), code: `${forged}\nexport function main() {}`, mode: 'run' })
    // Drill code's process has no parentPort at all (the real one's methods are disarmed too).
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/reading 'postMessage'/)
  })

  it('stops a run that goes over its memory limit', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: 'export function main() { const a: number[][] = []; for (;;) a.push(new Array(1e6).fill(1)) }',
      mode: 'run',
      limits: { memoryLimitMb: 64 }
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Memory limit exceeded/)
  })
})
