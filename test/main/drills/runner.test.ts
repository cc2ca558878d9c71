// runDrill end to end: result shape, compile errors, run vs submit, traces of real traffic.
import { afterAll, describe, expect, it } from 'vitest'
import { runDrill, shutdownRunner, type TraceEvent } from '../../../src/main/drills/index'
import { buildDrill, codeOnlyDrill } from './helpers/drill-builder'
import { stripHostPaths } from '../../../src/main/drills/host-paths'

afterAll(() => shutdownRunner())

const kinds = (trace: TraceEvent[]) => new Set(trace.map((e) => e.kind))

describe('results', () => {
  it('reports tests in file order with name, status, message and duration', async () => {
    const drill = buildDrill({
      visibleTests: [
        "import assert from 'node:assert/strict'",
        "import { test } from 'retransmit:test'",
        "import { add } from './solution'",
        "test('adds small numbers', () => assert.equal(add(1, 2), 3))",
        "test('adds negatives', () => assert.equal(add(-1, -2), -3, 'add(-1, -2) should be -3'))",
        "test('waits for async work', async () => { await new Promise((r) => setTimeout(r, 5)); assert.ok(true) })"
      ].join('\n')
    })
    const r = await runDrill({
      drill,
      code: 'export const add = (a: number, b: number) => Math.abs(a + b)',
      mode: 'run'
    })
    expect(Object.keys(r).sort()).toEqual([
      'drill',
      'durationMs',
      'isolation',
      'message',
      'output',
      'status',
      'tests',
      'trace'
    ])
    expect(r.isolation).toEqual(expect.arrayContaining(["Node's permission model", expect.stringMatching(/^kernel: /)]))
    expect(r.drill).toBe('test-drill')
    expect(r.status).toBe('fail')
    expect(r.message).toBe('1 of 3 tests failed.')
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['adds small numbers', 'pass'],
      ['adds negatives', 'fail'],
      ['waits for async work', 'pass']
    ])
    expect(r.tests[1]?.message).toMatch(/^add\(-1, -2\) should be -3/)
    expect(r.tests.every((t) => t.durationMs >= 0)).toBe(true)
  })

  it('run uses the visible tests, submit adds the hidden ones after them', async () => {
    const drill = buildDrill({
      visibleTests: "import { test } from 'retransmit:test'\ntest('visible one', () => {})",
      hiddenTests: "import { test } from 'retransmit:test'\ntest('hidden one', () => {})\ntest('hidden two', () => {})"
    })
    const run = await runDrill({ drill, code: 'export {}', mode: 'run' })
    const submit = await runDrill({ drill, code: 'export {}', mode: 'submit' })
    expect(run.tests.map((t) => t.name)).toEqual(['visible one'])
    expect(submit.tests.map((t) => t.name)).toEqual(['visible one', 'hidden one', 'hidden two'])
    expect(submit.status).toBe('pass')
  })

  it('a syntax error is an error with line and column in solution.ts', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: 'export function main() {\n  const x = ;\n}',
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/solution\.ts:2:13: Unexpected ";"/)
    expect(r.tests).toEqual([])
  })

  it('a throw while the code loads is an error, not a failed test', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "throw new Error('top-level boom')\nexport function main() {}",
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/could not load.*top-level boom/s)
    expect(r.message).toMatch(/solution\.ts:1:7/)
  })

  it('solution.ts may not import the harness: it could register tests of its own', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "import { test } from 'retransmit:test'\nexport function main() { void test }",
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/solution\.ts may not import retransmit:test/)
  })

  it('solution.ts may not import the tests', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "import './hidden.test'\nexport function main() {}",
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/solution\.ts may only import Node built-ins/)
  })

  it('captures console output', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "export function main() { console.log('to stdout'); console.error('to stderr'); process.stdout.write('raw\\n') }",
      mode: 'run'
    })
    expect(r.output).toBe('to stdout\nto stderr\nraw\n')
  })

  it('no host paths in messages', async () => {
    expect(stripHostPaths('at /home/someone/work/retransmit/out/child.cjs:10:5 and C:\\Users\\me\\app\\x.js')).toBe(
      'at child.cjs:10:5 and x.js'
    )
    expect(stripHostPaths('see http://127.0.0.1:8080/a/b and 127.0.0.0/8')).toBe(
      'see http://127.0.0.1:8080/a/b and 127.0.0.0/8'
    )
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "export function main() { throw new Error('failed to open ' + '/var/lib/secret/place/file.txt') }",
      mode: 'run'
    })
    expect(r.tests[0]?.message).toMatch(/failed to open file\.txt/)
    expect(JSON.stringify(r)).not.toMatch(/\/work\/|\/tmp\/|\/root\//)
  })
})

describe('traces', () => {
  it('UDP datagrams and DNS messages', async () => {
    const code = `import dgram from 'node:dgram'
import dns from 'node:dns/promises'
export async function main() {
  const server = dgram.createSocket('udp4')
  server.on('message', (msg, rinfo) => {
    const answer = Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]), msg.subarray(12), Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 7])])
    server.send(answer, rinfo.port, rinfo.address)
  })
  await new Promise<void>((r) => server.bind(0, r))
  const client = dgram.createSocket('udp4')
  client.send('hello udp', server.address().port, '127.0.0.1')
  const resolver = new dns.Resolver()
  resolver.setServers(['127.0.0.1:' + server.address().port])
  const addresses = await resolver.resolve4('drill.test')
  if (addresses[0] !== '127.0.0.7') throw new Error('bad answer ' + addresses)
  await new Promise((r) => setTimeout(r, 20))
  client.close(); server.close()
}`
    const r = await runDrill({ drill: codeOnlyDrill(), code, mode: 'run' })
    expect(r.status, r.tests[0]?.message).toBe('pass')
    const datagram = r.trace.find((e) => e.kind === 'udp-datagram' && e.summary.includes('hello udp'))
    expect(datagram).toMatchObject({ bytes: 9, payloadBase64: Buffer.from('hello udp').toString('base64') })
    expect(datagram?.from).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(r.trace.some((e) => e.kind === 'dns-query' && /drill\.test A/.test(e.summary))).toBe(true)
    expect(
      r.trace.some((e) => e.kind === 'dns-answer' && /NOERROR drill\.test A -> A 127\.0\.0\.7/.test(e.summary))
    ).toBe(true)
    expect(r.trace.map((e) => e.tMs)).toEqual([...r.trace.map((e) => e.tMs)].sort((a, b) => a - b))
  })

  it('HTTP heads and WebSocket frames over TCP, with FIN', async () => {
    const code = `import http from 'node:http'
import net from 'node:net'
export async function main() {
  const server = http.createServer((req, res) => res.end('ok'))
  server.on('upgrade', (req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n')
    socket.end(Buffer.from([0x81, 2, 0x68, 0x69]))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => http.get({ port, host: '127.0.0.1', path: '/page', agent: false }, (res) => { res.resume(); res.on('end', resolve) }))
  const ws = net.connect(port, '127.0.0.1')
  ws.write('GET /chat HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n')
  ws.resume()
  await new Promise((r) => ws.on('end', r))
  ws.destroy()
  server.close()
}`
    const r = await runDrill({ drill: codeOnlyDrill(), code, mode: 'run' })
    expect(r.status, r.tests[0]?.message).toBe('pass')
    const seen = kinds(r.trace)
    for (const k of [
      'tcp-listen',
      'tcp-connect',
      'tcp-accept',
      'tcp-data',
      'tcp-fin',
      'http-request',
      'http-response',
      'ws-upgrade',
      'ws-frame'
    ] as const)
      expect(seen.has(k), k).toBe(true)
    expect(r.trace.find((e) => e.kind === 'http-request')?.summary).toBe(
      'GET /page HTTP/1.1 (Host: 127.0.0.1:' + r.trace.find((e) => e.kind === 'tcp-listen')?.to.split(':')[1] + ')'
    )
    expect(r.trace.find((e) => e.kind === 'ws-frame')?.summary).toBe('text FIN 2 bytes "hi"')
    const request = r.trace.find((e) => e.kind === 'http-request')
    const listen = r.trace.find((e) => e.kind === 'tcp-listen')
    expect(request?.to).toBe(listen?.to)
  })

  it('fetch and the WebSocket client go through the guarded, traced sockets', async () => {
    const code = `import http from 'node:http'
import net from 'node:net'
import crypto from 'node:crypto'
export async function main() {
  const server = http.createServer((req, res) => res.end('fetched'))
  server.on('upgrade', (req, socket) => {
    const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64')
    socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n')
    socket.write(Buffer.from([0x81, 5, 0x68, 0x65, 0x6c, 0x6c, 0x6f]))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  const body = await (await fetch('http://127.0.0.1:' + port + '/f')).text()
  const ws = new WebSocket('ws://127.0.0.1:' + port + '/ws')
  const message = await new Promise<string>((resolve) => ws.addEventListener('message', (e) => resolve(String(e.data))))
  ws.close()
  server.closeAllConnections()
  server.close()
  console.log(body, message)
}`
    const r = await runDrill({ drill: codeOnlyDrill(), code, mode: 'run' })
    expect(r.status, r.tests[0]?.message).toBe('pass')
    expect(r.output.trim()).toBe('fetched hello')
    expect(r.trace.filter((e) => e.kind === 'tcp-connect')).toHaveLength(2)
    expect(r.trace.some((e) => e.kind === 'http-request' && e.summary.startsWith('GET /f '))).toBe(true)
    expect(r.trace.some((e) => e.kind === 'ws-upgrade' && e.summary.startsWith('GET /ws '))).toBe(true)
    expect(r.trace.some((e) => e.kind === 'ws-frame' && e.summary === 'text FIN 5 bytes "hello"')).toBe(true)
  })

  it('a reset shows as RST on both sides', async () => {
    const code = `import net from 'node:net'
export async function main() {
  const server = net.createServer((s) => s.once('data', () => s.resetAndDestroy()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  c.write('x')
  await new Promise((r) => c.on('error', r))
  server.close()
}`
    const r = await runDrill({ drill: codeOnlyDrill(), code, mode: 'run' })
    expect(r.status, r.tests[0]?.message).toBe('pass')
    const rst = r.trace.filter((e) => e.kind === 'tcp-rst').map((e) => e.summary)
    expect(rst).toEqual(['RST (resetAndDestroy)', 'RST (connection reset by peer)'])
  })

  it('tests can read the trace and add notes', async () => {
    const drill = buildDrill({
      visibleTests:
        "import assert from 'node:assert/strict'\nimport { test, note, trace } from 'retransmit:test'\ntest('notes', () => { note('phase one'); assert.equal(trace().at(-1)?.summary, 'phase one') })"
    })
    const r = await runDrill({ drill, code: 'export {}', mode: 'run' })
    expect(r.status, r.tests[0]?.message).toBe('pass')
    expect(r.trace).toEqual([expect.objectContaining({ kind: 'note', summary: 'phase one' })])
  })

  it('stamps each event with the test that was running, and a relay says where it sits (issue 15)', async () => {
    const drill = buildDrill({
      visibleTests: [
        "import net from 'node:net'",
        "import { test, note, createRelay } from 'retransmit:test'",
        "const echo = () => new Promise<net.Server>((r) => { const s = net.createServer((c) => c.pipe(c)).listen(0, '127.0.0.1', () => r(s)) })",
        "const roundTrip = (port: number) => new Promise<void>((r) => { const c = net.connect(port, '127.0.0.1', () => c.end('hi')); c.on('data', () => {}); c.on('close', () => r()) })",
        "test('first: no traffic', () => { note('quiet') })",
        "test('second: direct', async () => { const s = await echo(); await roundTrip((s.address() as net.AddressInfo).port); s.close() })",
        "test('third: through a relay', async () => { const s = await echo(); const port = (s.address() as net.AddressInfo).port; const relay = await createRelay({ target: port, seed: 1 }); await roundTrip(relay.port); await relay.close(); s.close() })"
      ].join('\n')
    })
    const r = await runDrill({ drill, code: 'export {}', mode: 'run' })
    expect(r.status, r.tests.map((t) => t.message).join('\n')).toBe('pass')
    expect(r.trace.filter((e) => e.test === 0).map((e) => e.summary)).toEqual(['quiet'])
    const second = r.trace.filter((e) => e.test === 1)
    const third = r.trace.filter((e) => e.test === 2)
    expect(r.trace.every((e) => e.test !== undefined)).toBe(true)
    expect(kinds(second)).toEqual(
      new Set(['tcp-listen', 'tcp-connect', 'tcp-accept', 'tcp-data', 'tcp-fin', 'tcp-close'])
    )
    const relayNote = third.find((e) => e.kind === 'note')!
    expect(relayNote.summary).toMatch(/^relay: 127\.0\.0\.1:\d+ forwards to 127\.0\.0\.1:\d+$/)
    // Two listeners in the third test: the echo server and the relay, which the note names.
    const listeners = third.filter((e) => e.kind === 'tcp-listen').map((e) => e.from)
    expect(listeners).toHaveLength(2)
    expect(listeners).toContain(relayNote.from)
    expect(listeners).toContain(relayNote.to)
  })
})

describe('type check', () => {
  it('a type error is an error with line and column, and the run is not used', async () => {
    const r = await runDrill({
      drill: codeOnlyDrill(),
      code: "export function main() {\n  const port: number = 'eighty'\n  return port\n}",
      mode: 'run'
    })
    expect(r.status).toBe('error')
    expect(r.message).toMatch(
      /^Your code has type errors:\nsolution\.ts:2:9: TS2322: Type 'string' is not assignable to type 'number'/
    )
    expect(r.tests).toEqual([])
  })

  it('Node types resolve', async () => {
    const code =
      "import net from 'node:net'\nexport async function main(): Promise<void> {\n  const s: net.Server = net.createServer()\n  s.close()\n}"
    const r = await runDrill({ drill: codeOnlyDrill(), code, mode: 'run' })
    expect(r.message).not.toMatch(/type errors/)
    expect(r.status).toBe('pass')
  })
})
