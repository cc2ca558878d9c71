// Loopback is not harmless: the host's 127.0.0.1 has databases, other programs' debugging ports
// and this app's own server on it. A run may reach only ports it bound itself (its servers, its
// UDP sockets, the relays its tests start: all of them live in this process), including ones it
// has closed since, so "connection refused" can still be tested, and UDP ports that sent this run
// a datagram (an answer goes back to the asker: c-ares opens its sockets outside dgram). The kernel layer gives a run a
// loopback of its own as well; the rule applies everywhere, so a drill behaves the same with or
// without that layer.
import { refuse } from './refusal'

export type PortKind = 'tcp' | 'udp'

const bound: Record<PortKind, Set<number>> = { tcp: new Set(), udp: new Set() }
/** The same, with the address: a port number alone is not the run's (see ownEndpoint). */
const endpoints: Record<PortKind, Set<string>> = { tcp: new Set(), udp: new Set() }

/** '::ffff:127.0.0.1' is 127.0.0.1; IPv6 spellings of ::1 are '::1'. */
function canonicalAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped?.[1]) return mapped[1]
  return lower === '0:0:0:0:0:0:0:1' ? '::1' : lower
}

export function noteBoundPort(kind: PortKind, port: number, address?: string): void {
  if (!Number.isInteger(port) || port <= 0) return
  bound[kind].add(port)
  if (typeof address === 'string') endpoints[kind].add(`${canonicalAddress(address)} ${port}`)
}

/**
 * Whether address:port itself is one the run opened. The port-only check (checkOwnPort) runs
 * before a name is resolved; this one runs on Node's native handles with the resolved address,
 * because a run that bound 127.0.0.2:5432 or [::1]:5432 has not opened 127.0.0.1:5432, where
 * another program may listen.
 */
export function ownEndpoint(kinds: PortKind[], address: string, port: unknown): boolean {
  const key = `${canonicalAddress(String(address))} ${Number(port)}`
  return kinds.some((kind) => endpoints[kind].has(key))
}

/** Refuses before any socket exists unless this run bound `port` (of either kind, for DNS). */
export function checkOwnPort(kinds: PortKind[], port: unknown, what: string): void {
  const n = Number(port)
  if (kinds.some((kind) => bound[kind].has(n))) return
  refuse(
    `${what}: port ${String(port)} was not opened by this run. Drills may only reach servers and sockets they started themselves (and their tests' relays), not other programs on this machine`
  )
}
