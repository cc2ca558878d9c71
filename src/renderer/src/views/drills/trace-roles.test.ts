// Lanes by role and the per-test trace (issue 15): traces shaped like the sandbox records them.
import { describe, expect, it } from 'vitest'
import type { DrillTestResult, TraceEvent } from '../../../../shared/drills'
import { layoutSequence } from './lib'
import { endpointRoles, eventsOfTest, firstTestToShow, laneKeyOf, roleLanes, trafficByTest } from './trace-roles'

function ev(over: Partial<TraceEvent>): TraceEvent {
  return { tMs: 0, from: 'a:1', to: 'b:2', kind: 'tcp-data', summary: 's', ...over }
}

function result(name: string, status: DrillTestResult['status'] = 'pass'): DrillTestResult {
  return { name, status, message: '', durationMs: 1 }
}

// Test 0: a client talks straight to the server. Test 1: the same client side through a relay.
const SERVER = '127.0.0.1:5000'
const RELAY = '127.0.0.1:6000'
const trace: TraceEvent[] = [
  ev({ tMs: 1, kind: 'tcp-listen', from: SERVER, to: SERVER, test: 0 }),
  ev({ tMs: 2, kind: 'tcp-accept', from: '127.0.0.1:40001', to: SERVER, test: 0 }),
  ev({ tMs: 3, kind: 'tcp-connect', from: '127.0.0.1:40001', to: SERVER, test: 0 }),
  ev({ tMs: 4, kind: 'tcp-data', from: '127.0.0.1:40001', to: SERVER, summary: '"hi"', test: 0 }),
  ev({ tMs: 10, kind: 'tcp-listen', from: RELAY, to: RELAY, test: 1 }),
  ev({ tMs: 11, kind: 'note', from: RELAY, to: SERVER, summary: `relay: ${RELAY} forwards to ${SERVER}`, test: 1 }),
  ev({ tMs: 12, kind: 'tcp-accept', from: '127.0.0.1:40002', to: RELAY, test: 1 }),
  ev({ tMs: 13, kind: 'tcp-connect', from: '127.0.0.1:40002', to: RELAY, test: 1 }),
  ev({ tMs: 14, kind: 'tcp-accept', from: '127.0.0.1:40003', to: SERVER, test: 1 }),
  ev({ tMs: 15, kind: 'tcp-connect', from: '127.0.0.1:40003', to: SERVER, test: 1 }),
  ev({ tMs: 16, kind: 'tcp-data', from: '127.0.0.1:40002', to: RELAY, test: 1 }),
  ev({ tMs: 17, kind: 'tcp-data', from: '127.0.0.1:40003', to: SERVER, test: 1 })
]

describe('endpointRoles', () => {
  it('finds the server by its listen, the relay by its note and its connection onward, and the clients', () => {
    const roles = endpointRoles(trace)
    expect(roles.get(SERVER)).toEqual({ kind: 'server', lane: SERVER })
    expect(roles.get(RELAY)).toEqual({ kind: 'relay', lane: RELAY })
    // The relay's own connection to the server draws on the relay's lane.
    expect(roles.get('127.0.0.1:40003')).toEqual({ kind: 'relay', lane: RELAY })
    expect(roles.get('127.0.0.1:40001')).toEqual({ kind: 'client', lane: '127.0.0.1:40001' })
    expect(roles.get('127.0.0.1:40002')).toEqual({ kind: 'client', lane: '127.0.0.1:40002' })
  })

  it('makes a UDP endpoint that received before it sent a server', () => {
    const roles = endpointRoles([
      ev({ tMs: 1, kind: 'udp-bind', from: 's:53', to: 's:53' }),
      ev({ tMs: 2, kind: 'udp-datagram', from: 'c:999', to: 's:53' }),
      ev({ tMs: 3, kind: 'udp-datagram', from: 's:53', to: 'c:999' })
    ])
    expect(roles.get('s:53')?.kind).toBe('server')
    expect(roles.get('c:999')?.kind).toBe('client')
  })
})

describe('roleLanes', () => {
  it('orders lanes client, relay, server and numbers a kind only when there are several', () => {
    const roles = endpointRoles(trace)
    const one = roleLanes(eventsOfTest(trace, 1), roles)
    expect(one.map((l) => [l.name, l.key])).toEqual([
      ['client', '127.0.0.1:40002'],
      ['relay', RELAY],
      ['server', SERVER]
    ])
    expect(one[1]!.endpoints).toEqual([RELAY, '127.0.0.1:40003'])
    const all = roleLanes(trace, roles)
    expect(all.map((l) => l.name)).toEqual(['client 1', 'client 2', 'relay', 'server'])
  })

  it('lays the events out on those lanes: the relay forwards to the server from its own lane', () => {
    const roles = endpointRoles(trace)
    const shown = eventsOfTest(trace, 1)
    const lanes = roleLanes(shown, roles)
    const layout = layoutSequence(shown, 500, { lanes: lanes.map((l) => l.key), laneOf: laneKeyOf(roles) })
    expect(layout.lanes).toEqual(['127.0.0.1:40002', RELAY, SERVER])
    const onward = layout.events.find((e) => e.event.tMs === 17)!
    expect([onward.fromLane, onward.toLane]).toEqual([1, 2])
  })
})

describe('the test picker', () => {
  it("counts each test's events and opens on the first failing test with traffic", () => {
    const tests = [result('direct'), result('through a relay', 'fail'), result('no traffic', 'fail')]
    const traffic = trafficByTest(trace, tests)
    expect(traffic.map((t) => t.events)).toEqual([4, 8, 0])
    expect(firstTestToShow(traffic)).toBe(1)
    expect(firstTestToShow(trafficByTest(trace, [result('a'), result('b')]))).toBe(0)
    // No stamps at all (an older result): everything at once.
    expect(
      firstTestToShow(
        trafficByTest(
          trace.map(({ test: _t, ...e }) => e),
          tests
        )
      )
    ).toBe('all')
    expect(eventsOfTest(trace, 0)).toHaveLength(4)
    expect(eventsOfTest(trace, 'all')).toHaveLength(trace.length)
  })
})
