// One object of each kind drill code can get its hands on (sockets and their native handles, HTTP
// messages and parsers, TLS wrappers, hashes and ciphers, timers, web streams), made at start-up
// so the sandbox can guard and freeze the classes behind them (native-guard.ts,
// freezeReachableClasses in freeze-realm.ts) before drill code exists. Drill code reaches these
// classes from its own objects (`socket._handle.constructor.prototype`), and the tests' objects
// share them.
import http from 'node:http'
import http2 from 'node:http2'
import dgram from 'node:dgram'
import dns from 'node:dns'
import tls from 'node:tls'
import crypto from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { NativePrototypes } from './native-guard'

export interface Samples {
  objects: unknown[]
  /** Closes what a sample opened, once its classes are frozen. */
  cleanup: Array<() => void>
}

/** One HTTP exchange on loopback (it also warms the http paths): keeps its messages and parsers. */
export async function warmHttp(into: Samples): Promise<void> {
  const keep = (...objects: unknown[]) => into.objects.push(...objects)
  const server = http.createServer((req, res) => {
    keep(req, res, req.socket, (req.socket as unknown as { parser?: unknown }).parser)
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, agent: false }, (res) => {
      keep(res, res.socket, (res.socket as unknown as { parser?: unknown }).parser)
      res.resume()
      res.on('end', resolve)
    })
    request.on('error', () => resolve())
    keep(request, server)
    request.end()
  })
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/**
 * One HTTP/2 exchange over cleartext TCP (prior knowledge), as the tests' `http2.connect` makes:
 * keeps both sessions and both streams (not `session.socket`: a proxy that throws once closed), so their classes (and nghttp2's native session) are
 * frozen before drill code could patch what the tests' client relies on.
 */
export async function warmHttp2(into: Samples): Promise<void> {
  const keep = (...objects: unknown[]) => into.objects.push(...objects)
  const server = http2.createServer()
  server.on('session', (session) => keep(session))
  server.on('stream', (stream) => {
    keep(stream, stream.session)
    stream.respond({ ':status': 200 })
    stream.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const client = http2.connect(`http://127.0.0.1:${port}`)
  client.on('error', () => {})
  await new Promise<void>((resolve) => {
    const request = client.request({ ':path': '/' })
    keep(client, request)
    request.on('error', () => resolve())
    request.resume()
    request.on('end', resolve)
    request.end()
  })
  await new Promise<void>((resolve) => client.close(() => resolve()))
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

const nativeProto = (value: unknown, name: string): object | undefined => {
  if (typeof value !== 'object' || value === null) return undefined
  const proto = Reflect.getPrototypeOf(value)
  return proto && (proto as { constructor?: { name?: string } }).constructor?.name === name ? proto : undefined
}

/** The warm-up's objects plus one of each other kind; `natives` are the handle classes to guard. */
export function collectSamples(warm: Samples): Samples & { natives: NativePrototypes } {
  const objects = [...warm.objects]
  const cleanup = [...warm.cleanup]
  const udp = dgram.createSocket('udp4')
  const udpHandle = Object.getOwnPropertySymbols(udp)
    .map((key) => (udp as unknown as Record<symbol, { handle?: unknown } | undefined>)[key]?.handle)
    .find((h) => h !== undefined)
  cleanup.push(() => udp.close())
  const resolver = new dns.Resolver()
  const timeout = setTimeout(() => {}, 60_000)
  const immediate = setImmediate(() => {})
  cleanup.push(
    () => clearTimeout(timeout),
    () => clearImmediate(immediate)
  )
  const carrier = new PassThrough()
  const tlsSocket = new tls.TLSSocket(carrier)
  tlsSocket.on('error', () => {})
  cleanup.push(
    () => tlsSocket.destroy(),
    () => carrier.destroy()
  )
  const key = Buffer.alloc(16)
  const iv = Buffer.alloc(12)
  const pair = crypto.generateKeyPairSync('ed25519')
  objects.push(
    udp,
    udpHandle,
    resolver,
    new dns.promises.Resolver(),
    timeout,
    immediate,
    tlsSocket,
    tls.createSecureContext({}),
    crypto.createHash('sha256'),
    crypto.createHmac('sha256', key),
    crypto.createCipheriv('aes-128-gcm', key, iv),
    crypto.createDecipheriv('aes-128-gcm', key, iv),
    crypto.createSign('sha256'),
    crypto.createVerify('sha256'),
    crypto.createECDH('prime256v1'),
    crypto.createDiffieHellmanGroup('modp14'),
    crypto.createSecretKey(key),
    pair.publicKey,
    pair.privateKey,
    new ReadableStream(),
    new WritableStream(),
    new TransformStream(),
    new Response('x'),
    new Request('http://127.0.0.1/'),
    new AbortController()
  )
  const natives: NativePrototypes = {
    tcp: objects.map((o) => nativeProto(o, 'TCP')).find(Boolean),
    udp: nativeProto(udpHandle, 'UDP'),
    dnsChannel: nativeProto((resolver as unknown as { _handle?: unknown })._handle, 'ChannelWrap')
  }
  return { objects, cleanup, natives }
}

type Dispatcher = {
  dispatch(options: unknown, handler: unknown): unknown
  close?(...a: unknown[]): unknown
  destroy?(...a: unknown[]): unknown
}

/**
 * fetch and WebSocket (undici) take their dispatcher from a global slot under a Symbol.for key
 * anyone can name, and the dispatcher's own state (its pool of clients per origin) is a plain
 * mutable object: drill code holding it could answer the tests' fetch or WebSocket itself. Each
 * slot gets a frozen forwarder instead; the real dispatcher stays in this closure.
 */
export function hideGlobalDispatchers(): void {
  void globalThis.fetch // loading undici fills the slots
  const g = globalThis as unknown as Record<symbol, unknown>
  for (const name of ['undici.globalDispatcher.1', 'undici.globalDispatcher.2']) {
    const slot = Symbol.for(name)
    const real = g[slot] as Dispatcher | undefined
    if (!real || typeof real.dispatch !== 'function') continue
    g[slot] = Object.freeze({
      dispatch: (options: unknown, handler: unknown) => real.dispatch(options, handler),
      close: (...args: unknown[]) => real.close?.(...args),
      destroy: (...args: unknown[]) => real.destroy?.(...args)
    })
    Reflect.defineProperty(g, slot, { writable: false })
  }
}
