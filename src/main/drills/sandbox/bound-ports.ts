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

export function noteBoundPort(kind: PortKind, port: number): void {
  if (Number.isInteger(port) && port > 0) bound[kind].add(port)
}

/** Refuses before any socket exists unless this run bound `port` (of either kind, for DNS). */
export function checkOwnPort(kinds: PortKind[], port: unknown, what: string): void {
  const n = Number(port)
  if (kinds.some((kind) => bound[kind].has(n))) return
  refuse(
    `${what}: port ${String(port)} was not opened by this run. Drills may only reach servers and sockets they started themselves (and their tests' relays), not other programs on this machine`
  )
}
