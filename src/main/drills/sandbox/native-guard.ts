// The last JavaScript layer before libuv and c-ares: the methods of Node's native handle classes
// (TCP, UDP, the DNS channel). Drill code can reach these classes from any socket it owns
// (`socket._handle.constructor`) and call them directly, skipping net/dgram/dns and their guards:
// a raw `bind('0.0.0.0')` would put a server on the network, a raw `connect` or `send` would reach
// another program's loopback port, a raw channel `setServers` would send DNS queries to the
// system's resolver. So the same rules are checked here, on the prototypes every handle shares,
// which are frozen right after (freeze-realm.ts). Node's own calls pass through these checks too;
// they have already passed the module-level guards, so they pass again.
import { isLoopbackAddress } from '../policy'
import { getSystemErrorMap } from 'node:util'
import { checkOwnPort, ownEndpoint, type PortKind } from './bound-ports'
import { refuse } from './refusal'

/** libuv's code for "connection refused" on this platform (negative errno on Unix). */
const UV_ECONNREFUSED = [...getSystemErrorMap()].find(([, [name]]) => name === 'ECONNREFUSED')?.[0] ?? -111

type Method = (this: object, ...args: unknown[]) => unknown

/** Native prototypes taken from live handles (child-main.ts makes one of each at start-up). */
export interface NativePrototypes {
  tcp?: object
  udp?: object
  dnsChannel?: object
}

/** A check returns this to make the call fail as the kernel would, with "connection refused". */
const REFUSED_QUIETLY = Symbol('refused quietly')

function wrap(
  proto: object,
  name: string,
  check: (args: unknown[], self: object) => void | typeof REFUSED_QUIETLY,
  after?: (args: unknown[], self: object) => void
): void {
  const original = Reflect.get(proto, name) as Method | undefined
  if (typeof original !== 'function') return
  Reflect.defineProperty(proto, name, {
    value: function guarded(this: object, ...args: unknown[]) {
      if (check(args, this) === REFUSED_QUIETLY) return UV_ECONNREFUSED
      const result = original.apply(this, args)
      after?.(args, this)
      return result
    },
    writable: true,
    enumerable: false,
    configurable: true
  })
}

const loopbackOnly = (what: string, address: unknown) => {
  if (!isLoopbackAddress(String(address))) refuse(`${what} ${String(address)}: drills may only use 127.0.0.0/8 and ::1`)
}

/**
 * A port the run never opened is refused outright. A port it opened on another loopback address
 * (it bound [::1]:P or 127.0.0.2:P; another program may hold 127.0.0.1:P) fails as "connection
 * refused", which is what the run would see if it were alone on its loopback: Node's happy
 * eyeballs then tries the next address of 'localhost', as it would anyway.
 */
const ownPort = (kinds: PortKind[], what: string, address: unknown, port: unknown): void | typeof REFUSED_QUIETLY => {
  loopbackOnly(what, address)
  checkOwnPort(kinds, port, `${what} ${String(address)}:${String(port)}`)
  if (!ownEndpoint(kinds, String(address), port)) return REFUSED_QUIETLY
}

export function guardNativeHandles(protos: NativePrototypes): void {
  const { tcp, udp, dnsChannel } = protos
  for (const [proto, kind] of [
    [tcp, 'tcp'],
    [udp, 'udp']
  ] as const) {
    if (!proto) continue
    for (const name of ['bind', 'bind6']) wrap(proto, name, ([address]) => loopbackOnly(`raw ${kind} bind to`, address))
    // Adopting a descriptor (the host channel is fd 3) is never a drill's business.
    wrap(proto, 'open', () => refuse(`opening a ${kind} handle over a file descriptor is not allowed in drills`))
  }
  if (tcp)
    for (const name of ['connect', 'connect6'])
      wrap(tcp, name, ([, address, port]) => ownPort(['tcp'], 'raw TCP connect to', address, port))
  if (udp) {
    for (const name of ['connect', 'connect6'])
      wrap(udp, name, ([address, port]) => ownPort(['udp'], 'raw UDP connect to', address, port))
    // send(req, list, count, port, address, hasCallback); a connected socket omits port and address.
    for (const name of ['send', 'send6']) {
      wrap(udp, name, (args) => {
        if (args.length >= 6 || typeof args[4] === 'string')
          return ownPort(['udp'], 'raw UDP send to', args[4], args[3])
      })
    }
  }
  if (dnsChannel) guardDnsChannel(dnsChannel)
}

/**
 * A channel starts with the system's resolvers: its queries are refused until setServers has
 * pointed it at this run's own DNS servers. setServers takes [family, address, port] triples.
 */
function guardDnsChannel(proto: object): void {
  const approved = new WeakSet<object>()
  wrap(
    proto,
    'setServers',
    ([servers]) => {
      if (!Array.isArray(servers)) return
      for (const server of servers as unknown[]) {
        const [, address, port] = Array.isArray(server) ? (server as unknown[]) : []
        if (ownPort(['udp', 'tcp'], 'DNS server', address, Number(port) || 53) === REFUSED_QUIETLY) {
          refuse(
            `DNS server ${String(address)}:${String(Number(port) || 53)}: this run opened that port on another address only`
          )
        }
      }
    },
    (_args, self) => approved.add(self)
  )
  const queries = Reflect.ownKeys(proto).filter(
    (k): k is string => typeof k === 'string' && (k.startsWith('query') || k === 'getHostByAddr')
  )
  for (const name of queries) {
    wrap(proto, name, (_args, self) => {
      if (!approved.has(self))
        refuse(
          `a DNS query on a channel still pointed at the system's resolvers: call setServers(['127.0.0.1:<port>']) first`
        )
    })
  }
}
