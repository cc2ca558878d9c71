// Who is who in a trace: each endpoint (`host:port`) gets a role (client, server, relay) so the
// sequence diagram can name its lanes by role instead of by port, and a run's trace can be shown
// one test at a time. Pure functions of the events.
import type { DrillTestResult, TraceEvent } from '../../../../shared/drills'

export type RoleKind = 'client' | 'relay' | 'server'

export interface Role {
  kind: RoleKind
  /** The endpoint whose lane this one shares: a relay's outgoing sockets draw on the relay's lane. */
  lane: string
}

/** The harness's note when a test starts a relay: `relay: 127.0.0.1:4000 forwards to 127.0.0.1:5000`. */
const RELAY_NOTE = /^relay: (\S+) forwards to (\S+)/

/**
 * Roles over a whole run (a server started in one test keeps its role in the next):
 * - relay: the address in a relay note, and the TCP connections it opens to its target (a
 *   connect to the target that follows an accept on the relay);
 * - server: an endpoint that listened (TCP), or that received a datagram before sending one (UDP);
 * - client: everything else.
 */
export function endpointRoles(events: readonly TraceEvent[]): Map<string, Role> {
  const ordered = [...events].sort((a, b) => a.tMs - b.tMs)
  const roles = new Map<string, Role>()
  const relays = new Map<string, { target: string; pending: number }>()
  for (const e of ordered) {
    const relay = e.kind === 'note' ? RELAY_NOTE.exec(e.summary) : null
    if (relay) {
      relays.set(relay[1]!, { target: relay[2]!, pending: 0 })
      roles.set(relay[1]!, { kind: 'relay', lane: relay[1]! })
    }
  }
  const sent = new Set<string>()
  for (const e of ordered) {
    if (e.kind === 'tcp-listen' && !roles.has(e.from)) roles.set(e.from, { kind: 'server', lane: e.from })
    else if (e.kind === 'tcp-accept') {
      const relay = relays.get(e.to)
      if (relay) relay.pending += 1
    } else if (e.kind === 'tcp-connect' && !roles.has(e.from)) {
      const via = [...relays].find(([, r]) => r.target === e.to && r.pending > 0)
      if (via) {
        via[1].pending -= 1
        roles.set(e.from, { kind: 'relay', lane: via[0] })
      }
    } else if (e.kind === 'udp-datagram') {
      if (!sent.has(e.to) && !roles.has(e.to)) roles.set(e.to, { kind: 'server', lane: e.to })
      sent.add(e.from)
    }
  }
  for (const e of ordered) {
    if (e.kind === 'note') continue
    for (const endpoint of [e.from, e.to])
      if (!roles.has(endpoint)) roles.set(endpoint, { kind: 'client', lane: endpoint })
  }
  return roles
}

export interface Lane {
  /** The endpoint the lane stands for (a relay's own address for its lane). */
  key: string
  kind: RoleKind
  /** `client`, or `client 2` when a test has several. */
  name: string
  /** Every endpoint drawn on this lane, in order of appearance. */
  endpoints: string[]
}

const KIND_ORDER: Record<RoleKind, number> = { client: 0, relay: 1, server: 2 }

/**
 * The lanes for the events shown: clients on the left, then relays, then servers (requests flow
 * left to right), each kind numbered in order of first appearance when there are several.
 */
export function roleLanes(events: readonly TraceEvent[], roles: ReadonlyMap<string, Role>): Lane[] {
  const lanes = new Map<string, Lane>()
  for (const e of [...events].sort((a, b) => a.tMs - b.tMs)) {
    if (e.kind === 'note') continue
    for (const endpoint of [e.to, e.from]) {
      const role = roles.get(endpoint) ?? { kind: 'client' as const, lane: endpoint }
      let lane = lanes.get(role.lane)
      if (!lane) lanes.set(role.lane, (lane = { key: role.lane, kind: role.kind, name: role.kind, endpoints: [] }))
      if (!lane.endpoints.includes(endpoint)) lane.endpoints.push(endpoint)
    }
  }
  const sorted = [...lanes.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind])
  for (const kind of ['client', 'relay', 'server'] as const) {
    const same = sorted.filter((l) => l.kind === kind)
    if (same.length > 1) same.forEach((lane, i) => (lane.name = `${kind} ${i + 1}`))
  }
  return sorted
}

/** The lane key each endpoint draws on. */
export function laneKeyOf(roles: ReadonlyMap<string, Role>): (endpoint: string) => string {
  return (endpoint) => roles.get(endpoint)?.lane ?? endpoint
}

export interface TestTraffic {
  /** Index of the test in the results (file order). */
  index: number
  name: string
  status: DrillTestResult['status']
  events: number
}

/** Each test with how many events it recorded (events carry the index of the test running then). */
export function trafficByTest(events: readonly TraceEvent[], tests: readonly DrillTestResult[]): TestTraffic[] {
  const counts = new Map<number, number>()
  for (const e of events) if (e.test !== undefined) counts.set(e.test, (counts.get(e.test) ?? 0) + 1)
  return tests.map((t, index) => ({ index, name: t.name, status: t.status, events: counts.get(index) ?? 0 }))
}

/** The test to show first: the first failing test that recorded traffic, else the first with traffic. */
export function firstTestToShow(traffic: readonly TestTraffic[]): number | 'all' {
  const withTraffic = traffic.filter((t) => t.events > 0)
  return (withTraffic.find((t) => t.status !== 'pass' && t.status !== 'skip') ?? withTraffic[0])?.index ?? 'all'
}

/** The events of one test (or all of them). */
export function eventsOfTest(events: readonly TraceEvent[], test: number | 'all'): TraceEvent[] {
  return test === 'all' ? [...events] : events.filter((e) => e.test === test)
}
