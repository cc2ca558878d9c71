// Network policy and tracing, installed on Node's own net/dgram/tls/http/dns objects inside the
// disposable child (it serves one run and exits, so patching shared prototypes is safe).
// Policy checks run before the original call, so a refused connect/bind/send never opens a socket.
import net from 'node:net'
import dgram from 'node:dgram'
import tls from 'node:tls'
import http from 'node:http'
import dns from 'node:dns'
import { Duplex, Readable } from 'node:stream'
import { checkBindHost, checkRemoteHost, isLoopbackAddress } from '../policy'
import { refuse } from './refusal'
import { endpoint, preview, type TraceRecorder } from './trace-recorder'
import { StreamAnalyzer } from './stream-analyzer'
import { dnsSummary, tryParseDnsMessage } from '../parsers/dns-message'

const PROBE = Symbol('retransmit.probe')
const RAW = Symbol('retransmit.raw')

interface Probe {
  analyzer: StreamAnalyzer
  closed: boolean
  /** Endpoints remembered while the socket is open: after close Node no longer knows them. */
  local?: string
  remote?: string
}

type AnySocket = net.Socket & { [PROBE]?: Probe; _getpeername?: () => object; _getsockname?: () => object }

export function installNetworkGuard(trace: TraceRecorder): void {
  const origLookup = dns.lookup
  const guardedLookup = makeGuardedLookup(origLookup)
  const ends = (s: AnySocket) => {
    const probe = s[PROBE]
    if (probe?.local && probe.remote) return { local: probe.local, remote: probe.remote }
    const found = { local: endpoint(s.localAddress, s.localPort), remote: endpoint(s.remoteAddress, s.remotePort) }
    if (probe && s.remotePort !== undefined) Object.assign(probe, found)
    return found
  }

  function attachProbe(socket: AnySocket): void {
    if (socket[PROBE] || socket instanceof tls.TLSSocket) return
    socket[PROBE] = { analyzer: new StreamAnalyzer(), closed: false }
  }

  // ---- TCP: connect -------------------------------------------------------------------------
  const origConnect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket
  net.Socket.prototype.connect = function guardedConnect(this: AnySocket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0]
    const callback = Array.isArray(args[0]) ? (args[0][1] as unknown) : args.find((a) => typeof a === 'function')
    let options: net.TcpSocketConnectOpts & { path?: string; lookup?: unknown }
    if (first !== null && typeof first === 'object') options = { ...(first as net.TcpSocketConnectOpts) }
    else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      options = { port: Number(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' }
    } else options = { port: 0, path: String(first) }
    // Same test as net itself: a truthy path means a Unix socket or named pipe (http sets path: null).
    if (options.path) refuse(`connecting to a local socket path (${String(options.path)}) is not allowed`)
    const host = options.host ?? 'localhost'
    const verdict = checkRemoteHost(host)
    if (!verdict.ok) refuse(`connect to ${endpoint(host, options.port)}: ${verdict.reason}`)
    if (options.localAddress != null) {
      const local = checkBindHost(options.localAddress)
      if (!local.ok) refuse(`localAddress ${options.localAddress}: ${local.reason}`)
    }
    // Always our lookup: a user-supplied one could map 'localhost' anywhere.
    options.lookup = guardedLookup as never
    if (!(this instanceof tls.TLSSocket)) {
      attachProbe(this)
      this.once('connect', () => {
        const e = ends(this)
        trace.add('tcp-connect', e.local, e.remote, 'connected (SYN, SYN-ACK, ACK done)')
      })
    }
    return typeof callback === 'function' ? origConnect.call(this, options, callback) : origConnect.call(this, options)
  } as typeof net.Socket.prototype.connect

  // ---- TCP: data, FIN, RST, close (observed without adding 'data' listeners) -----------------
  const origPush = Readable.prototype.push
  net.Socket.prototype.push = function tracedPush(this: AnySocket, chunk: unknown, encoding?: BufferEncoding) {
    const probe = this[PROBE]
    if (probe && !probe.closed) {
      const e = ends(this)
      if (chunk === null) trace.add('tcp-fin', e.remote, e.local, 'FIN (peer finished sending)')
      else if (chunk instanceof Uint8Array && chunk.byteLength > 0) {
        trace.add('tcp-data', e.remote, e.local, `${chunk.byteLength} bytes ${preview(chunk)}`.trim(), chunk)
        for (const label of probe.analyzer.push(chunk)) trace.add(label.kind, e.remote, e.local, label.summary)
      }
    }
    return origPush.call(this, chunk, encoding as BufferEncoding)
  }
  const origSocketEmit = net.Socket.prototype.emit
  net.Socket.prototype.emit = function tracedEmit(this: AnySocket, event: string | symbol, ...rest: unknown[]) {
    const probe = this[PROBE]
    if (probe && !probe.closed) {
      if (event === 'error' && (rest[0] as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET') {
        const e = ends(this)
        trace.add('tcp-rst', e.remote, e.local, 'RST (connection reset by peer)')
      } else if (event === 'close') {
        const e = ends(this)
        probe.closed = true
        trace.add('tcp-close', e.local, e.remote, 'socket closed')
      }
    }
    return (origSocketEmit as (e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest)
  } as typeof net.Socket.prototype.emit
  const origReset = net.Socket.prototype.resetAndDestroy
  net.Socket.prototype.resetAndDestroy = function tracedReset(this: AnySocket) {
    if (this[PROBE]) {
      const e = ends(this)
      trace.add('tcp-rst', e.local, e.remote, 'RST (resetAndDestroy)')
    }
    return origReset.call(this)
  }

  // ---- TCP: listen and accept ---------------------------------------------------------------
  const origListen = net.Server.prototype.listen as (...args: unknown[]) => net.Server
  net.Server.prototype.listen = function guardedListen(this: net.Server, ...args: unknown[]) {
    const first = args[0]
    const callback = args.find((a) => typeof a === 'function')
    let options: net.ListenOptions & { fd?: number; handle?: unknown; _handle?: unknown }
    if (first !== null && typeof first === 'object') options = { ...(first as net.ListenOptions) }
    else if (first === undefined || first === null || typeof first === 'function') options = { port: 0 }
    else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      options = { port: Number(first) }
      if (typeof args[1] === 'string') options.host = args[1]
      const backlog = [args[1], args[2]].find((a) => typeof a === 'number')
      if (typeof backlog === 'number') options.backlog = backlog
    } else refuse(`listening on a local socket path (${String(first)}) is not allowed`)
    if (options.path) refuse(`listening on a local socket path (${options.path}) is not allowed`)
    if (options.fd !== undefined || options.handle !== undefined || options._handle !== undefined) {
      refuse('listening on an inherited handle or file descriptor is not allowed')
    }
    // No host would mean every interface; a drill server stays on loopback.
    options.host ??= '127.0.0.1'
    const verdict = checkBindHost(options.host)
    if (!verdict.ok) refuse(`listen on ${endpoint(options.host, options.port)}: ${verdict.reason}`)
    this.once('listening', () => {
      const a = this.address()
      if (a && typeof a === 'object') trace.add('tcp-listen', endpoint(a.address, a.port), endpoint(a.address, a.port), 'listening')
    })
    return callback ? origListen.call(this, options, callback) : origListen.call(this, options)
  } as typeof net.Server.prototype.listen

  const origServerEmit = net.Server.prototype.emit
  net.Server.prototype.emit = function tracedServerEmit(this: net.Server, event: string | symbol, ...rest: unknown[]) {
    if (event === 'connection' && rest[0] instanceof net.Socket && !(rest[0] instanceof tls.TLSSocket)) {
      const socket = rest[0] as AnySocket
      attachProbe(socket)
      const e = ends(socket)
      trace.add('tcp-accept', e.remote, e.local, 'accepted')
      // TLS over a plain Duplex makes Node move the encrypted bytes through JavaScript, where the
      // probe on the raw socket can see and parse them (over a raw handle they stay in C++).
      if (this instanceof tls.Server) rest[0] = duplexOver(socket)
      // http.Server would hand the socket's handle to its C++ parser ("consume"), and the request
      // bytes would never pass through push(). Marking it consumed keeps http on its JS path.
      const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle
      if (this instanceof http.Server && handle) handle._consumed = true
    } else if (event === 'secureConnection' && rest[0] instanceof tls.TLSSocket) {
      borrowAddresses(rest[0] as AnySocket, ((rest[0] as unknown as { _parent?: { [RAW]?: net.Socket } })._parent ?? {})[RAW])
    }
    return (origServerEmit as (e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest)
  } as typeof net.Server.prototype.emit

  // ---- TLS client ---------------------------------------------------------------------------
  const origTlsConnect = tls.connect as (...args: unknown[]) => tls.TLSSocket
  ;(tls as { connect: unknown }).connect = function guardedTlsConnect(...args: unknown[]) {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined
    let options: tls.ConnectionOptions & { localAddress?: string } = {}
    for (const a of args) {
      if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a) && options.port === undefined)) options.port = Number(a)
      else if (typeof a === 'string') options.host = a
      else if (a !== null && typeof a === 'object') options = { ...a, ...options }
    }
    let raw: net.Socket | undefined
    if (options.socket instanceof net.Socket) raw = options.socket
    else if (options.socket === undefined) {
      const host = options.host ?? 'localhost'
      const verdict = checkRemoteHost(host)
      if (!verdict.ok) refuse(`TLS connect to ${endpoint(host, options.port)}: ${verdict.reason}`)
      const rawOptions: net.TcpNetConnectOpts = { host, port: options.port ?? 443 }
      if (options.localAddress != null) rawOptions.localAddress = options.localAddress
      raw = net.connect(rawOptions)
      options.host = host
    }
    if (raw) options.socket = duplexOver(raw)
    const tlsSocket = callback ? origTlsConnect(options, callback) : origTlsConnect(options)
    if (raw) borrowAddresses(tlsSocket as AnySocket, raw)
    return tlsSocket
  }

  // ---- UDP ----------------------------------------------------------------------------------
  const udpProto = dgram.Socket.prototype as dgram.Socket & Record<string, unknown>
  const origBind = udpProto.bind as (...args: unknown[]) => dgram.Socket
  udpProto.bind = function guardedBind(this: dgram.Socket & { type?: string }, ...args: unknown[]) {
    const first = args[0]
    const callback = args.find((a) => typeof a === 'function')
    let options: dgram.BindOptions & { fd?: number }
    if (first !== null && typeof first === 'object') options = { ...(first as dgram.BindOptions) }
    else options = { port: typeof first === 'number' ? first : 0, ...(typeof args[1] === 'string' ? { address: args[1] } : {}) }
    if (options.fd !== undefined) refuse('binding a UDP socket to an inherited file descriptor is not allowed')
    const family = (this as unknown as { type: string }).type
    options.address ??= family === 'udp6' ? '::1' : '127.0.0.1'
    const verdict = checkBindHost(options.address)
    if (!verdict.ok) refuse(`UDP bind to ${endpoint(options.address, options.port)}: ${verdict.reason}`)
    this.once('listening', () => {
      const a = this.address()
      udpPorts.add(a.port)
      this.once('close', () => udpPorts.delete(a.port))
      trace.add('udp-bind', endpoint(a.address, a.port), endpoint(a.address, a.port), `${family} bound`)
    })
    return callback ? origBind.call(this, options, callback) : origBind.call(this, options)
  } as typeof udpProto.bind

  // Datagrams are recorded where they arrive; one sent to a port no sandbox socket owns (the
  // c-ares resolver's, or nobody's) is recorded where it leaves instead.
  const udpPorts = new Set<number>()
  const recordOutgoing = (socket: dgram.Socket, msg: unknown, port: number, address: string) => {
    if (udpPorts.has(port)) return
    const parts = Array.isArray(msg) ? msg : [msg]
    const payload = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p as Uint8Array))))
    let from = '?'
    try {
      const a = socket.address()
      from = endpoint(a.address, a.port)
    } catch {
      // not bound yet: Node binds it implicitly during this send
    }
    const to = endpoint(address === 'localhost' ? '127.0.0.1' : address, port)
    trace.add('udp-datagram', from, to, `${payload.byteLength} bytes ${preview(payload)}`.trim(), payload)
    const dnsMessage = tryParseDnsMessage(payload)
    if (dnsMessage) trace.add(dnsMessage.isResponse ? 'dns-answer' : 'dns-query', from, to, dnsSummary(dnsMessage))
  }
  const origSend = udpProto.send as (...args: unknown[]) => void
  udpProto.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    // send(msg, [offset, length,] port [, address] [, callback]); a connected socket omits port.
    const offsetForm = typeof args[1] === 'number' && typeof args[2] === 'number' && typeof args[3] === 'number'
    const address = offsetForm ? args[4] : args[2]
    const port = Number(offsetForm ? args[3] : args[1])
    if (typeof address === 'string') {
      const verdict = checkRemoteHost(address)
      if (!verdict.ok) refuse(`UDP send to ${endpoint(address, port)}: ${verdict.reason}`)
    }
    const result = origSend.apply(this, args)
    if (Number.isInteger(port) && port > 0) {
      const msg = offsetForm ? Buffer.from(args[0] as Uint8Array).subarray(Number(args[1]), Number(args[1]) + Number(args[2])) : args[0]
      recordOutgoing(this, msg, port, typeof address === 'string' ? address : '127.0.0.1')
    }
    return result
  } as typeof udpProto.send

  const origUdpConnect = udpProto.connect as (...args: unknown[]) => void
  udpProto.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
    const address = typeof args[1] === 'string' ? args[1] : 'localhost'
    const verdict = checkRemoteHost(address)
    if (!verdict.ok) refuse(`UDP connect to ${endpoint(address, Number(args[0]))}: ${verdict.reason}`)
    return origUdpConnect.apply(this, args)
  } as typeof udpProto.connect

  for (const name of ['setBroadcast', 'addMembership', 'addSourceSpecificMembership', 'setMulticastInterface']) {
    udpProto[name] = () => refuse(`dgram ${name}() reaches beyond loopback and is not allowed`)
  }

  const origUdpEmit = udpProto.emit as (...args: unknown[]) => boolean
  udpProto.emit = function tracedUdpEmit(this: dgram.Socket, event: string | symbol, ...rest: unknown[]) {
    if (event === 'message' && rest[0] instanceof Uint8Array) {
      const msg = rest[0]
      const rinfo = rest[1] as dgram.RemoteInfo
      const from = endpoint(rinfo.address, rinfo.port)
      const local = this.address()
      const to = endpoint(local.address, local.port)
      trace.add('udp-datagram', from, to, `${msg.byteLength} bytes ${preview(msg)}`.trim(), msg)
      const dnsMessage = tryParseDnsMessage(msg)
      if (dnsMessage) trace.add(dnsMessage.isResponse ? 'dns-answer' : 'dns-query', from, to, dnsSummary(dnsMessage))
    }
    return origUdpEmit.call(this, event, ...rest)
  } as typeof udpProto.emit

  // Sockets over inherited descriptors (the IPC channel is fd 3) are refused. Node's internals
  // read this export too (TLSSocket passes `handle`), so only `fd` is refused here.
  // process.stdout/stderr are created lazily through this very export with their fd: create
  // them now, while the export is still Node's own.
  void process.stdout
  void process.stderr
  const OrigSocket = net.Socket
  const GuardedSocket = function Socket(this: unknown, options?: net.SocketConstructorOpts) {
    if (options && typeof options === 'object' && options.fd !== undefined) {
      refuse('sockets over file descriptors are not allowed in drills')
    }
    // Subclasses written the old way (TLSSocket) call the export as a function on their `this`.
    if (!new.target && this instanceof OrigSocket) return Reflect.apply(OrigSocket, this, [options])
    return Reflect.construct(OrigSocket, [options], new.target ?? GuardedSocket)
  } as unknown as typeof net.Socket
  GuardedSocket.prototype = OrigSocket.prototype
  Object.setPrototypeOf(GuardedSocket, OrigSocket)
  Object.defineProperty(net, 'Socket', { value: GuardedSocket, writable: false, configurable: false })
  Object.defineProperty(net, 'Stream', { value: GuardedSocket, writable: false, configurable: false })

  installDnsGuard(guardedLookup, trace)

  // Freeze the patched entry points so drill code cannot put the originals back.
  for (const [target, names] of [
    [net.Socket.prototype, ['connect', 'push', 'emit', 'resetAndDestroy']],
    [net.Server.prototype, ['listen', 'emit']],
    [udpProto, ['bind', 'send', 'connect', 'emit', 'setBroadcast', 'addMembership']],
    [tls, ['connect']],
    [dns, ['lookup']]
  ] as const) {
    for (const name of names) Object.defineProperty(target, name, { writable: false, configurable: false })
  }
}

/** dns.lookup that answers only for 'localhost' and loopback literals, and checks the answers. */
function makeGuardedLookup(origLookup: typeof dns.lookup): typeof dns.lookup {
  return function guardedLookup(hostname: string, optionsOrCallback: unknown, maybeCallback?: unknown) {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as (...a: unknown[]) => void
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback
    const verdict = checkRemoteHost(hostname)
    if (!verdict.ok) refuse(`name lookup of '${hostname}': ${verdict.reason}`)
    origLookup(hostname, options as dns.LookupOptions, (err: unknown, address: unknown, family?: unknown) => {
      if (err) return callback(err)
      const list = Array.isArray(address) ? (address as dns.LookupAddress[]).map((a) => a.address) : [String(address)]
      if (list.some((a) => !isLoopbackAddress(a))) {
        return callback(Object.assign(new Error(`'${hostname}' resolved to a non-loopback address`), { code: 'EREFUSED' }))
      }
      callback(null, address, family)
    })
  } as typeof dns.lookup
}

function installDnsGuard(guardedLookup: typeof dns.lookup, trace: TraceRecorder): void {
  ;(dns as { lookup: unknown }).lookup = guardedLookup
  const promisesApi = dns.promises as unknown as Record<string, unknown>
  const origPromiseLookup = promisesApi.lookup as (h: string, o?: unknown) => Promise<unknown>
  promisesApi.lookup = (hostname: string, options?: unknown) => {
    const verdict = checkRemoteHost(hostname)
    if (!verdict.ok) refuse(`name lookup of '${hostname}': ${verdict.reason}`)
    return origPromiseLookup(hostname, options)
  }
  // Queries (resolve*, reverse) go to real DNS servers: allowed only once the code has pointed the
  // resolver at loopback servers (a drill's own DNS server), never at the system's resolvers.
  const LOOPBACK_SERVERS = Symbol('retransmit.loopbackServers')
  const checkServers = (servers: unknown) => {
    const list = Array.isArray(servers) ? servers.map(String) : []
    for (const s of list) {
      const host = s.startsWith('[') ? s.slice(1, s.indexOf(']')) : s.split(':').length === 2 ? s.split(':')[0] ?? '' : s
      if (!isLoopbackAddress(host)) refuse(`DNS server ${s}: drills may only query DNS servers on 127.0.0.0/8 or ::1`)
    }
  }
  const isQuery = (name: string) => /^(resolve|reverse)/.test(name)
  for (const api of [dns as unknown as Record<string, unknown>, promisesApi]) {
    const state = { loopback: false }
    const origSet = api.setServers as (s: unknown) => void
    api.setServers = (servers: unknown) => {
      checkServers(servers)
      origSet(servers)
      state.loopback = true
    }
    for (const name of Object.keys(api).filter(isQuery)) {
      const orig = api[name] as (...a: unknown[]) => unknown
      api[name] = (...args: unknown[]) => {
        if (!state.loopback) refuse(`dns.${name}() would ask the system's DNS servers: call setServers(['127.0.0.1:<port>']) first`)
        trace.add('dns-query', 'resolver', 'dns-server', `${name} ${String(args[0])}`)
        return orig(...args)
      }
    }
    const Resolver = api.Resolver as { prototype: Record<string | symbol, unknown> } | undefined
    if (!Resolver) continue
    const proto = Resolver.prototype
    const origResolverSet = proto.setServers as (this: object, s: unknown) => void
    proto.setServers = function (this: Record<symbol, unknown>, servers: unknown) {
      checkServers(servers)
      origResolverSet.call(this, servers)
      this[LOOPBACK_SERVERS] = true
    }
    for (const name of Object.getOwnPropertyNames(proto).filter(isQuery)) {
      const orig = proto[name] as (...a: unknown[]) => unknown
      proto[name] = function (this: Record<symbol, unknown>, ...args: unknown[]) {
        if (!this[LOOPBACK_SERVERS]) refuse(`resolver.${name}() would ask the system's DNS servers: call setServers(['127.0.0.1:<port>']) first`)
        trace.add('dns-query', 'resolver', 'dns-server', `${name} ${String(args[0])}`)
        return orig.apply(this, args)
      }
    }
  }
}

/**
 * A plain Duplex over a TCP socket. Node runs TLS over a non-net.Socket stream in JavaScript
 * (JSStreamSocket), which routes the encrypted bytes through the raw socket's push(), where the
 * probe sees them.
 */
function duplexOver(raw: net.Socket): Duplex {
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback)
    },
    final(callback) {
      raw.end(callback)
    },
    read() {
      raw.resume()
    },
    destroy(err, callback) {
      raw.destroy(err ?? undefined)
      callback(err)
    }
  })
  ;(duplex as unknown as Record<symbol, unknown>)[RAW] = raw
  raw.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) raw.pause()
  })
  raw.on('end', () => duplex.push(null))
  raw.on('error', (err) => duplex.destroy(err))
  raw.on('close', () => {
    if (!duplex.destroyed) duplex.destroy()
  })
  raw.on('connect', () => duplex.emit('connect'))
  return duplex
}

/** A TLS socket over a Duplex has no address of its own; show the raw socket's. */
function borrowAddresses(tlsSocket: AnySocket, raw: net.Socket | undefined): void {
  if (!raw) return
  const rawAny = raw as AnySocket
  tlsSocket._getpeername = () => rawAny._getpeername?.() ?? {}
  tlsSocket._getsockname = () => rawAny._getsockname?.() ?? {}
}

