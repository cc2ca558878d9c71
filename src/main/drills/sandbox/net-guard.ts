// Network policy and tracing, installed on Node's own net/dgram/tls/http/dns objects inside the
// disposable child (it serves one run and exits, so patching shared prototypes is safe).
// Policy checks run before the original call, so a refused connect/bind/send never opens a socket.
import net from 'node:net'
import tls from 'node:tls'
import http from 'node:http'
import dns from 'node:dns'
import { Readable } from 'node:stream'
import { checkBindHost, checkRemoteHost } from '../policy'
import { refuse } from './refusal'
import { checkOwnPort, noteBoundPort } from './bound-ports'
import { endpoint, preview, type TraceRecorder } from './trace-recorder'
import { StreamAnalyzer } from './stream-analyzer'
import { installUdpGuard } from './udp-guard'
import { installDnsGuard, makeGuardedLookup } from './dns-guard'
import { RAW, borrowAddresses, duplexOver, type AddressedSocket } from './tls-duplex'

const PROBE = Symbol('retransmit.probe')

interface Probe {
  analyzer: StreamAnalyzer
  closed: boolean
  /** Endpoints remembered while the socket is open: after close Node no longer knows them. */
  local?: string
  remote?: string
  /** The run's number for this connection, shared with the other end (connection-ids.ts). */
  conn?: number
}

type AnySocket = AddressedSocket & { [PROBE]?: Probe }

export function installNetworkGuard(trace: TraceRecorder): void {
  const origLookup = dns.lookup
  const guardedLookup = makeGuardedLookup(origLookup)
  const ends = (s: AnySocket) => {
    const probe = s[PROBE]
    if (probe?.local && probe.remote) return { local: probe.local, remote: probe.remote }
    const found = { local: endpoint(s.localAddress, s.localPort), remote: endpoint(s.remoteAddress, s.remotePort) }
    if (probe && s.remotePort !== undefined) {
      Object.assign(probe, found)
      probe.conn ??= trace.connectionId(found.local, found.remote)
    }
    return found
  }
  const connOf = (s: AnySocket): number | undefined => s[PROBE]?.conn

  function attachProbe(socket: AnySocket): void {
    if (socket[PROBE] || socket instanceof tls.TLSSocket) return
    socket[PROBE] = { analyzer: new StreamAnalyzer(), closed: false }
  }

  // Every TLS socket's secrets go to the trace (NSS key log lines), so the host can open its
  // TLS 1.3 records. A server emits 'keylog' only if it had a listener when the socket began.
  const keyedServers = new WeakSet<tls.Server>()
  function logKeys(server: tls.Server): void {
    if (keyedServers.has(server)) return
    keyedServers.add(server)
    server.on('keylog', (line: Buffer) => trace.keyLog(line.toString('latin1')))
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
    checkOwnPort(['tcp'], options.port, `connect to ${endpoint(host, options.port)}`)
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
        trace.add('tcp-connect', e.local, e.remote, 'connected (SYN, SYN-ACK, ACK done)', undefined, connOf(this))
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
      if (chunk === null) trace.add('tcp-fin', e.remote, e.local, 'FIN (peer finished sending)', undefined, probe.conn)
      else if (chunk instanceof Uint8Array && chunk.byteLength > 0) {
        trace.add(
          'tcp-data',
          e.remote,
          e.local,
          `${chunk.byteLength} bytes ${preview(chunk)}`.trim(),
          chunk,
          probe.conn
        )
        for (const label of probe.analyzer.push(chunk))
          trace.add(label.kind, e.remote, e.local, label.summary, undefined, probe.conn)
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
        trace.add('tcp-rst', e.remote, e.local, 'RST (connection reset by peer)', undefined, probe.conn)
      } else if (event === 'close') {
        const e = ends(this)
        probe.closed = true
        trace.add('tcp-close', e.local, e.remote, 'socket closed', undefined, probe.conn)
      }
    }
    return (origSocketEmit as (e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest)
  } as typeof net.Socket.prototype.emit
  const origReset = net.Socket.prototype.resetAndDestroy
  net.Socket.prototype.resetAndDestroy = function tracedReset(this: AnySocket) {
    if (this[PROBE]) {
      const e = ends(this)
      trace.add('tcp-rst', e.local, e.remote, 'RST (resetAndDestroy)', undefined, connOf(this))
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
      if (a && typeof a === 'object') {
        noteBoundPort('tcp', a.port, a.address)
        trace.add('tcp-listen', endpoint(a.address, a.port), endpoint(a.address, a.port), 'listening')
      }
    })
    return callback ? origListen.call(this, options, callback) : origListen.call(this, options)
  } as typeof net.Server.prototype.listen

  const origServerEmit = net.Server.prototype.emit
  net.Server.prototype.emit = function tracedServerEmit(this: net.Server, event: string | symbol, ...rest: unknown[]) {
    if (event === 'connection' && rest[0] instanceof net.Socket && !(rest[0] instanceof tls.TLSSocket)) {
      const socket = rest[0] as AnySocket
      attachProbe(socket)
      const e = ends(socket)
      trace.add('tcp-accept', e.remote, e.local, 'accepted', undefined, connOf(socket))
      // TLS over a plain Duplex makes Node move the encrypted bytes through JavaScript, where the
      // probe on the raw socket can see and parse them (over a raw handle they stay in C++).
      if (this instanceof tls.Server) {
        rest[0] = duplexOver(socket)
        logKeys(this)
      }
      // http.Server would hand the socket's handle to its C++ parser ("consume"), and the request
      // bytes would never pass through push(). Marking it consumed keeps http on its JS path.
      const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle
      if (this instanceof http.Server && handle) handle._consumed = true
    } else if (event === 'secureConnection' && rest[0] instanceof tls.TLSSocket) {
      borrowAddresses(
        rest[0] as AnySocket,
        ((rest[0] as unknown as { _parent?: { [RAW]?: net.Socket } })._parent ?? {})[RAW]
      )
    }
    return (origServerEmit as (e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest)
  } as typeof net.Server.prototype.emit

  // ---- TLS client ---------------------------------------------------------------------------
  const origTlsConnect = tls.connect as (...args: unknown[]) => tls.TLSSocket
  ;(tls as { connect: unknown }).connect = function guardedTlsConnect(...args: unknown[]) {
    const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined
    let options: tls.ConnectionOptions & { localAddress?: string } = {}
    for (const a of args) {
      if (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a) && options.port === undefined))
        options.port = Number(a)
      else if (typeof a === 'string') options.host = a
      else if (a !== null && typeof a === 'object') options = { ...a, ...options }
    }
    if ((options as { path?: unknown }).path) refuse('TLS over a local socket path is not allowed')
    let raw: net.Socket | undefined
    if (options.socket instanceof net.Socket) raw = options.socket
    else if (options.socket == null) {
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
    tlsSocket.on('keylog', (line: Buffer) => trace.keyLog(line.toString('latin1')))
    if (raw) borrowAddresses(tlsSocket as AnySocket, raw)
    return tlsSocket
  }

  installUdpGuard(trace)

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
    [tls, ['connect']],
    [dns, ['lookup']]
  ] as const) {
    for (const name of names) Object.defineProperty(target, name, { writable: false, configurable: false })
  }
}
