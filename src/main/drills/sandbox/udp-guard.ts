// UDP policy and tracing on dgram.Socket (see net-guard.ts for why patching is safe here).
import dgram from 'node:dgram'
import { checkBindHost, checkRemoteHost } from '../policy'
import { refuse } from './refusal'
import { checkOwnPort, noteBoundPort } from './bound-ports'
import { endpoint, preview, type TraceRecorder } from './trace-recorder'
import { dnsSummary, tryParseDnsMessage } from '../parsers/dns-message'

export function installUdpGuard(trace: TraceRecorder): void {
  const udpProto = dgram.Socket.prototype as dgram.Socket & Record<string, unknown>
  const origBind = udpProto.bind as (...args: unknown[]) => dgram.Socket
  udpProto.bind = function guardedBind(this: dgram.Socket & { type?: string }, ...args: unknown[]) {
    const first = args[0]
    const callback = args.find((a) => typeof a === 'function')
    let options: dgram.BindOptions & { fd?: number }
    if (first !== null && typeof first === 'object') options = { ...(first as dgram.BindOptions) }
    else
      options = {
        port: typeof first === 'number' ? first : 0,
        ...(typeof args[1] === 'string' ? { address: args[1] } : {})
      }
    if (options.fd !== undefined) refuse('binding a UDP socket to an inherited file descriptor is not allowed')
    const family = (this as unknown as { type: string }).type
    options.address ??= family === 'udp6' ? '::1' : '127.0.0.1'
    const verdict = checkBindHost(options.address)
    if (!verdict.ok) refuse(`UDP bind to ${endpoint(options.address, options.port)}: ${verdict.reason}`)
    this.once('listening', () => {
      const a = this.address()
      udpPorts.add(a.port)
      noteBoundPort('udp', a.port, a.address)
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
    const payload = Buffer.concat(
      parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p as Uint8Array)))
    )
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
    if (Number.isInteger(port) && port > 0)
      checkOwnPort(['udp'], port, `UDP send to ${endpoint(typeof address === 'string' ? address : '127.0.0.1', port)}`)
    const result = origSend.apply(this, args)
    if (Number.isInteger(port) && port > 0) {
      const msg = offsetForm
        ? Buffer.from(args[0] as Uint8Array).subarray(Number(args[1]), Number(args[1]) + Number(args[2]))
        : args[0]
      recordOutgoing(this, msg, port, typeof address === 'string' ? address : '127.0.0.1')
    }
    return result
  } as typeof udpProto.send

  const origUdpConnect = udpProto.connect as (...args: unknown[]) => void
  udpProto.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
    const address = typeof args[1] === 'string' ? args[1] : 'localhost'
    const verdict = checkRemoteHost(address)
    if (!verdict.ok) refuse(`UDP connect to ${endpoint(address, Number(args[0]))}: ${verdict.reason}`)
    checkOwnPort(['udp'], args[0], `UDP connect to ${endpoint(address, Number(args[0]))}`)
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
      // A datagram may be answered: the sender (a resolver's own socket, say) reached us first.
      noteBoundPort('udp', rinfo.port, rinfo.address)
      const from = endpoint(rinfo.address, rinfo.port)
      const local = this.address()
      const to = endpoint(local.address, local.port)
      trace.add('udp-datagram', from, to, `${msg.byteLength} bytes ${preview(msg)}`.trim(), msg)
      const dnsMessage = tryParseDnsMessage(msg)
      if (dnsMessage) trace.add(dnsMessage.isResponse ? 'dns-answer' : 'dns-query', from, to, dnsSummary(dnsMessage))
    }
    return origUdpEmit.call(this, event, ...rest)
  } as typeof udpProto.emit

  for (const name of ['bind', 'send', 'connect', 'emit', 'setBroadcast', 'addMembership']) {
    Object.defineProperty(udpProto, name, { writable: false, configurable: false })
  }
}
