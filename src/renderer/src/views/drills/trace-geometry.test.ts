// The trace diagram's geometry (trace-geometry.ts): lanes, labels and size, in px.
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../../../shared/drills'
import type { LaidOutEvent } from './lib'
import { CHAR, traceGeometry } from './trace-geometry'

const lanes = [
  { name: 'client', key: '127.0.0.1:50000' },
  { name: 'server', key: '127.0.0.1:8080' }
]

function item(row: number, fromLane: number, toLane: number, summary: string, note = false): LaidOutEvent {
  const event: TraceEvent = { tMs: row, from: 'a', to: 'b', kind: note ? 'note' : 'tcp-data', summary }
  return { index: row, event, layer: note ? 'note' : 'tcp', fromLane, toLane, row }
}

describe('traceGeometry', () => {
  it('gives each lane at least 170 px, and more for a long heading', () => {
    expect(traceGeometry(lanes, []).lane).toBe(170)
    const long = traceGeometry([{ name: 'a-very-long-lane-name-for-a-relay-in-the-middle', key: 'x' }], [])
    expect(long.lane).toBeGreaterThan(170)
    expect(long.lane).toBeGreaterThanOrEqual('a-very-long-lane-name-for-a-relay-in-the-middle'.length * CHAR)
  })

  it('widens the drawing to the end of its longest label instead of cutting it', () => {
    const summary = 'GET /a/really/long/path/that/goes/on/and/on?with=a&query=string HTTP/1.1'.repeat(2)
    const g = traceGeometry(lanes, [item(0, 0, 1, summary)])
    const label = g.labels[0]!
    expect(label.text).toBe(summary)
    expect(g.width).toBeGreaterThanOrEqual(label.x + summary.length * CHAR)
    expect(g.width).toBeGreaterThan(g.lanesRight)
  })

  it('puts an arrow label over its left end, a dot label beside the dot, and notes right of the lanes', () => {
    const g = traceGeometry(lanes, [item(0, 1, 0, 'reply'), item(1, 0, 0, 'listening'), item(2, -1, -1, 'hi', true)])
    const [arrow, dot, note] = g.labels
    expect(arrow!.x).toBeGreaterThan(g.laneX(0))
    expect(arrow!.x).toBeLessThan(g.laneX(1))
    expect(dot).toEqual({ text: 'tcp-data: listening', x: g.laneX(0) + 10 })
    expect(note!.x).toBeGreaterThan(g.lanesRight)
    expect(g.width).toBeGreaterThanOrEqual(g.lanesRight + 240)
  })

  it('stacks rows downwards: one row more is one row lower and a taller drawing', () => {
    const one = traceGeometry(lanes, [item(0, 0, 1, 'a')])
    const two = traceGeometry(lanes, [item(0, 0, 1, 'a'), item(1, 1, 0, 'b')])
    expect(two.rowY(1)).toBeGreaterThan(two.rowY(0))
    expect(two.height - one.height).toBe(two.rowY(1) - two.rowY(0))
  })
})
