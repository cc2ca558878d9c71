// Red-team round on the rebuilt sandbox (issue 11): Node's own machinery reached from objects drill
// code is handed. Each case got through before: raw native handles (socket._handle and friends)
// could bind every interface, skip the loopback port rule and be patched under the tests' own
// sockets; a DNS channel could be pointed at the system's resolver; the classes behind hashes,
// timers and TLS wrappers could be patched; undici's global dispatcher slot (fetch, WebSocket) was
// writable and its state mutable; module setters (http.globalAgent) and EventEmitter's capture
// flag changed what every test shares. Run with the kernel layer this machine has and without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:net'
import { createSocket } from 'node:dgram'
import { resetKernelLayer } from '../../../src/main/drills/kernel-isolation'
import { runDrill, shutdownRunner, type DrillResult } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'

function run(code: string): Promise<DrillResult> {
  return runDrill({ drill: codeOnlyDrill({ timeLimitMs: 5000 }), code: `// @ts-nocheck\n${code}`, mode: 'run' })
}
const said = (r: DrillResult) => `${r.message}\n${r.tests.map((t) => t.message).join('\n')}`

/** Drill code that connects a socket of its own, so it holds a live TCP handle. */
const OWN_SOCKET = `import net from 'node:net'
async function ownSocket() {
  const srv = net.createServer((s) => s.resume()); await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  const c = net.connect(srv.address().port, '127.0.0.1'); await new Promise((r) => c.on('connect', r))
  return c
}`

let hostServer: Server
let hostTcpPort = 0
const hostUdp = createSocket('udp4')
let hostUdpPort = 0

beforeAll(async () => {
  hostServer = createServer((s) => s.end('secret from the host\n'))
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve))
  hostTcpPort = (hostServer.address() as { port: number }).port
  await new Promise<void>((resolve) => hostUdp.bind(0, '127.0.0.1', resolve))
  hostUdpPort = hostUdp.address().port
})

afterAll(async () => {
  delete process.env.RETRANSMIT_SANDBOX_KERNEL
  resetKernelLayer()
  await shutdownRunner()
  hostServer.close()
  hostUdp.close()
})

describe.each([
  { name: 'with the kernel layer this machine has', env: undefined },
  { name: 'without the kernel layer', env: 'none' }
] as const)('$name', ({ env }) => {
  beforeAll(async () => {
    await shutdownRunner()
    if (env) process.env.RETRANSMIT_SANDBOX_KERNEL = env
    else delete process.env.RETRANSMIT_SANDBOX_KERNEL
    resetKernelLayer()
  })

  it('a raw TCP handle cannot bind every interface nor connect to a port the run did not open', async () => {
    const bind = await run(`${OWN_SOCKET}
export async function main() { const c = await ownSocket(); const h = new c._handle.constructor(1); h.bind('0.0.0.0', 0); h.listen(5); const o = {}; h.getsockname(o); console.log('bound', o.address) }`)
    expect(bind.status).toBe('error')
    expect(said(bind)).toMatch(/raw tcp bind to 0\.0\.0\.0/)
    expect(bind.output).not.toContain('bound')
    // The request object is forged: the guard must refuse before Node's C++ ever sees it.
    const connect = await run(`${OWN_SOCKET}
export async function main() { const c = await ownSocket(); const h = new c._handle.constructor(0); h.connect({}, '127.0.0.1', ${hostTcpPort}) }`)
    expect(connect.status).toBe('error')
    expect(said(connect)).toMatch(
      new RegExp(`raw TCP connect to 127\\.0\\.0\\.1:${hostTcpPort}: port ${hostTcpPort} was not opened by this run`)
    )
  })

  it('a raw UDP handle cannot bind every interface nor send to a port the run did not open', async () => {
    const udp = (body: string) =>
      run(`import dgram from 'node:dgram'
export async function main() {
  const s = dgram.createSocket('udp4'); await new Promise((r) => s.bind(0, '127.0.0.1', r))
  const h = Object.getOwnPropertySymbols(s).map((k) => s[k]?.handle).find(Boolean)
  const h2 = new h.constructor()
  try { ${body} } finally { s.close() }
}`)
    const bind = await udp("h2.bind('0.0.0.0', 0, 0); const o = {}; h2.getsockname(o); console.log('bound', o.address)")
    expect(said(bind)).toMatch(/raw udp bind to 0\.0\.0\.0/)
    expect(bind.output).not.toContain('bound')
    const send = await udp(`h.send({}, [Buffer.from('x')], 1, ${hostUdpPort}, '127.0.0.1', false)`)
    expect(said(send)).toMatch(
      new RegExp(`raw UDP send to 127\\.0\\.0\\.1:${hostUdpPort}: port ${hostUdpPort} was not opened`)
    )
  })

  it("binding another program's port number on another loopback address does not open the way to it", async () => {
    // The host's service listens on 127.0.0.1:P only; the run binds 127.0.0.2:P (and [::1]:P), so
    // the port number is "its own", but 127.0.0.1:P is not.
    const r = await run(`import net from 'node:net'
export async function main() {
  const mine = []
  for (const host of ['127.0.0.2', '::1']) {
    const s = net.createServer(); mine.push(s)
    await new Promise((ok) => { s.once('error', () => ok(null)); s.listen(${hostTcpPort}, host, () => ok(null)) })
  }
  const got = await new Promise((ok) => {
    const c = net.connect(${hostTcpPort}, '127.0.0.1')
    c.on('data', (d) => ok(String(d).trim())); c.on('error', (e) => ok(e.code)); c.on('close', () => ok('closed'))
  })
  console.log(got)
  for (const s of mine) s.close()
}`)
    expect(r.output).not.toContain('secret')
    expect(r.output.trim()).toBe('ECONNREFUSED')
  })

  it("a resolver's raw channel cannot be pointed at another program's DNS server, nor query the system's", async () => {
    const r = await run(`import dns from 'node:dns'; import dgram from 'node:dgram'
export async function main() {
  const own = dgram.createSocket('udp4'); await new Promise((r) => own.bind(0, '127.0.0.1', r))
  const resolver = new dns.Resolver(); resolver.setServers(['127.0.0.1:' + own.address().port])
  try { resolver._handle.setServers([[4, '127.0.0.1', ${hostUdpPort}]]); console.log('pointed at the host') } catch (e) { console.log(e.message) }
  try { new dns.Resolver()._handle.queryA({}, 'example.com'); console.log('queried') } catch (e) { console.log(e.message) }
  own.close()
}`)
    expect(r.output).toMatch(
      new RegExp(`DNS server 127\\.0\\.0\\.1:${hostUdpPort}: port ${hostUdpPort} was not opened by this run`)
    )
    expect(r.output).toMatch(/a DNS query on a channel still pointed at the system's resolvers/)
    expect(r.output).not.toMatch(/pointed at the host|queried/)
  })

  it("the classes behind the tests' own sockets, hashes, timers and TLS wrappers cannot be patched", async () => {
    const r =
      await run(`import crypto from 'node:crypto'; import tls from 'node:tls'; import { PassThrough } from 'node:stream'; import http from 'node:http'
${OWN_SOCKET}
export async function main() {
  const c = await ownSocket()
  const hash = crypto.createHash('sha1'); const kHandle = Object.getOwnPropertySymbols(hash).find((s) => String(s) === 'Symbol(kHandle)')
  const tlsSocket = new tls.TLSSocket(new PassThrough())
  const timer = setTimeout(() => {}, 1000)
  const targets = {
    tcp: Object.getPrototypeOf(c._handle), tcpBase: Object.getPrototypeOf(Object.getPrototypeOf(c._handle)),
    hash: Object.getPrototypeOf(hash[kHandle]), hmac: Object.getPrototypeOf(crypto.createHmac('sha1', 'k')[kHandle]),
    timeout: Object.getPrototypeOf(timer), timersList: Object.getPrototypeOf(timer._idlePrev),
    tlsWrap: Object.getPrototypeOf(tlsSocket._handle), secureContext: Object.getPrototypeOf(tlsSocket._handle._secureContext.context),
    jsStreamSocket: Object.getPrototypeOf(tlsSocket._handle._parent[Object.getOwnPropertySymbols(tlsSocket._handle._parent).find((s) => String(s) === 'Symbol(owner_symbol)')])
  }
  for (const [name, proto] of Object.entries(targets)) {
    const method = Object.getOwnPropertyNames(proto).find((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k).value === 'function')
    try { proto[method] = () => 'forged'; console.log(name + '.' + method + ' patched') } catch { console.log(name + ' frozen') }
  }
  try { http.globalAgent = new http.Agent(); console.log('globalAgent replaced') } catch { console.log('globalAgent frozen') }
  clearTimeout(timer); tlsSocket.destroy(); c.destroy()
}`)
    expect(r.output).not.toMatch(/patched|replaced/)
    expect(r.output.trim().split('\n')).toHaveLength(10)
  })

  it("fetch's and WebSocket's global dispatcher cannot be replaced, and its state is out of reach", async () => {
    const r = await run(`export async function main() {
  for (const name of ['undici.globalDispatcher.1', 'undici.globalDispatcher.2']) {
    const slot = Symbol.for(name); const d = globalThis[slot]
    try { globalThis[slot] = { dispatch() { return true } }; console.log(name, 'replaced') } catch { console.log(name, 'kept') }
    console.log(name, Object.isFrozen(d), Reflect.ownKeys(d).filter((k) => typeof k === 'symbol').length)
  }
}`)
    expect(r.output.trim().split('\n')).toEqual([
      'undici.globalDispatcher.1 kept',
      'undici.globalDispatcher.1 true 0',
      'undici.globalDispatcher.2 kept',
      'undici.globalDispatcher.2 true 0'
    ])
  })

  it('shared instances (crypto, performance, http.globalAgent) take no new members and keep their options', async () => {
    const r = await run(`import http from 'node:http'
export function main() {
  const tries = {
    'crypto.getRandomValues': () => { crypto.getRandomValues = (a) => a },
    'performance.now': () => { performance.now = () => 0 },
    'globalAgent.addRequest': () => { http.globalAgent.addRequest = () => {} },
    'globalAgent.options.port': () => { http.globalAgent.options.port = 1 }
  }
  for (const [name, attempt] of Object.entries(tries)) { try { attempt(); console.log(name, 'changed') } catch { console.log(name, 'kept') } }
  console.log(Object.hasOwn(crypto, 'getRandomValues'), Object.hasOwn(performance, 'now'), Object.hasOwn(http.globalAgent, 'addRequest'), http.globalAgent.options.port)
}`)
    expect(r.output.trim().split('\n')).toEqual([
      'crypto.getRandomValues kept',
      'performance.now kept',
      'globalAgent.addRequest kept',
      'globalAgent.options.port kept',
      'false false false undefined'
    ])
  })

  it("turning on EventEmitter's capture flag (every emitter the tests make copies it) makes the run an error", async () => {
    const r = await run(`import { EventEmitter } from 'node:events'
export function main() { EventEmitter.captureRejections = true }`)
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/EventEmitter\.captureRejections was changed/)
  })

  it('a test registered after the files loaded never runs (the runner walks the live list)', async () => {
    const r = await run(
      `export function main() { require(['retransmit', 'test'].join(':')).test('late', () => console.log('late test ran')) }`
    )
    expect(r.status).toBe('error')
    expect(said(r)).toMatch(/test\(\) may only be called while the test files load/)
    expect(r.output).not.toContain('late test ran')
  })
})
