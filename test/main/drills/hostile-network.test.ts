// Hostile network code through the real runner. Non-loopback cases use documentation addresses
// (RFC 5737 192.0.2.0/24, RFC 3849 2001:db8::/32) and assert the refusal is synchronous, i.e.
// happens before Node creates any socket; the code destroys whatever it got back immediately, so
// even a broken guard would not get a packet out.
import { afterAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { runDrill, shutdownRunner, type DrillResult } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'

afterAll(() => shutdownRunner())

function run(code: string): Promise<DrillResult> {
  return runDrill({ drill: codeOnlyDrill({ timeLimitMs: 3000 }), code, mode: 'run' })
}

describe('network policy', () => {
  const refusedSync = (call: string) =>
    `import net from 'node:net'\nimport dgram from 'node:dgram'\nimport dns from 'node:dns'\nimport tls from 'node:tls'\nimport http from 'node:http'\nexport function main() {\n  let got: any\n  try { got = ${call} } catch (e: any) { console.log('SYNC-REFUSED ' + e.message); return }\n  try { got?.destroy?.(); got?.close?.(); got?.abort?.() } catch {}\n  console.log('NOT-REFUSED')\n}`

  it.each([
    ['TCP connect', "net.connect(80, '192.0.2.1')", /connect to 192\.0\.2\.1:80: .* not a loopback address/],
    ['TCP connect over IPv6', "net.connect({ port: 80, host: '2001:db8::1' })", /not a loopback address/],
    ['TLS connect', "tls.connect({ port: 443, host: '192.0.2.1' })", /TLS connect to 192\.0\.2\.1:443/],
    ['HTTP request', "http.get('http://192.0.2.1/')", /not a loopback address/],
    ['TCP connect by name', "net.connect(443, 'example.com')", /the name 'example\.com' may not be resolved/],
    [
      'TCP listen on all interfaces',
      "net.createServer().listen(0, '0.0.0.0')",
      /listen on 0\.0\.0\.0:0: binding 0\.0\.0\.0 would expose/
    ],
    ['UDP bind on all interfaces', "dgram.createSocket('udp4').bind(0, '0.0.0.0')", /UDP bind to 0\.0\.0\.0:0/],
    ['UDP send', "dgram.createSocket('udp4').send('x', 53, '192.0.2.1')", /UDP send to 192\.0\.2\.1:53/],
    ['UDP broadcast', "dgram.createSocket('udp4').setBroadcast(true)", /setBroadcast\(\) reaches beyond loopback/],
    ['a public name lookup', "dns.lookup('example.com', () => {})", /name lookup of 'example\.com'/],
    [
      'a DNS query to the system resolver',
      "dns.resolve4('example.com', () => {})",
      /would ask the system's DNS servers/
    ],
    ['a Unix socket path', "net.connect('/run/some.sock')", /local socket path/]
  ])('%s is refused before a socket exists', async (_name, call, reason) => {
    const r = await run(refusedSync(call))
    expect(r.output).toMatch(/^SYNC-REFUSED /)
    expect(r.output).not.toContain('NOT-REFUSED')
    expect(r.status).toBe('error')
    expect(r.message).toMatch(reason)
    expect(
      r.trace.filter((e) => e.kind === 'tcp-connect' || e.kind === 'udp-datagram'),
      JSON.stringify(r.trace)
    ).toEqual([])
  })

  // undici (fetch, WebSocket) connects through net.Socket#connect, the guarded entry point;
  // runner.test.ts shows its loopback connections in the trace.
  it('fetch and WebSocket to a non-loopback address are refused before a socket exists', async () => {
    const r = await run(
      "export async function main() { const err: any = await fetch('http://192.0.2.1/').then(() => null, (e) => e); console.log('FETCH ' + String(err?.cause?.message)); const ws = new WebSocket('ws://192.0.2.1/'); await new Promise((r) => ws.addEventListener('error', r)); console.log('WS error') }"
    )
    expect(r.output).toMatch(/^FETCH Refused: connect to 192\.0\.2\.1:80: .*not a loopback address.*\nWS error\n$/)
    expect(r.status).toBe('error')
    expect(r.message).toMatch(/Refused: connect to 192\.0\.2\.1:80/)
    expect(r.trace.filter((e) => e.kind === 'tcp-connect')).toEqual([])
  })

  // node:http2 is allowed for the http2-hpack drill's tests: its sockets go through the same
  // guarded net entry points, and its session and stream classes are frozen (samples.ts).
  it('HTTP/2: a connect beyond loopback is refused, and the session classes the tests use are frozen', async () => {
    const r = await run(
      refusedSync("(require('node:http2') as typeof import('node:http2')).connect('http://192.0.2.1/')")
    )
    expect(r.output).toMatch(/^SYNC-REFUSED /)
    expect(r.message).toMatch(/192\.0\.2\.1:80: .*not a loopback address/)
    expect(r.trace.filter((e) => e.kind === 'tcp-connect')).toEqual([])
    const patch = await run(
      "import http2 from 'node:http2'\nimport net from 'node:net'\nexport async function main() { const server = http2.createServer(); await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); const s = http2.connect('http://127.0.0.1:' + (server.address() as net.AddressInfo).port); s.on('error', () => {}); for (const proto of [Object.getPrototypeOf(s), Object.getPrototypeOf(Object.getPrototypeOf(s))]) { try { proto.request = () => null; console.log('PATCHED') } catch (e: any) { console.log('FROZEN') } } s.destroy(); server.close() }"
    )
    expect(patch.output.trim().split('\n')).toEqual(['FROZEN', 'FROZEN'])
  })

  it('listen() without a host binds 127.0.0.1, and localhost resolves', async () => {
    const r = await run(
      "import net from 'node:net'\nimport dns from 'node:dns/promises'\nexport async function main() { const s = net.createServer(); await new Promise<void>((r) => s.listen(0, r)); console.log((s.address() as net.AddressInfo).address); console.log((await dns.lookup('localhost')).address.length > 0); s.close() }"
    )
    expect(r.status).toBe('pass')
    expect(r.output.trim().split('\n')).toEqual(['127.0.0.1', 'true'])
  })

  it('a leaked listening server does not keep its port after the run', async () => {
    const r = await run(
      "import net from 'node:net'\nexport async function main() { const s = net.createServer(() => {}); await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)); console.log((s.address() as net.AddressInfo).port); setInterval(() => {}, 1000) }"
    )
    expect(r.status).toBe('pass')
    const port = Number(r.output.trim())
    expect(port).toBeGreaterThan(0)
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
})
