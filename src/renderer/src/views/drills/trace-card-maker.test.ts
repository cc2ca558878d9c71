import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../../../shared/drills'
import { findTraceFences, parseTraceCard, traceFenceProblems } from '../../../../shared/trace-card'
import type { LaidOutEvent } from './lib'
import { eventFields, makeTraceCard } from './trace-card-maker'

const event = (summary: string, from = 'a', to = 'b'): TraceEvent => ({
  tMs: 0,
  from,
  to,
  kind: 'tcp-data',
  summary
})
const laid = (summaries: string[]): LaidOutEvent[] =>
  summaries.map((s, row) => ({
    index: row,
    row,
    event: event(s),
    layer: s.startsWith('note') ? 'note' : 'tcp',
    fromLane: row % 2,
    toLane: (row + 1) % 2
  }))
const lane = (i: number) => ['client', 'server'][i]!

describe('eventFields', () => {
  it('reads key=value pairs from a summary, once each', () => {
    expect(eventFields(event('SYN seq=100 ack=0 seq=5 win=65535'))).toEqual([
      ['seq', '100'],
      ['ack', '0'],
      ['win', '65535']
    ])
  })
})

describe('makeTraceCard', () => {
  const events = laid(['connect', 'data len=5', 'note: test started', 'echo len=5', 'FIN seq=9'])

  it('"next" hides the chosen arrow after the ones before it; notes left out', () => {
    const made = makeTraceCard(events, 3, 'next', lane, 1)
    expect(made.ok).toBe(true)
    if (!made.ok) return
    expect(traceFenceProblems(made.front)).toEqual([])
    const card = parseTraceCard(findTraceFences(made.front)[0]!.json)
    expect(card).toMatchObject({ ok: true, card: { mode: 'next', hide: 2 } })
    if (card.ok) expect(card.card.events.map((e) => e.summary)).toEqual(['connect', 'data len=5', 'echo len=5'])
  })

  it('"fields" blanks the chosen arrow\'s fields and keeps the reply after it', () => {
    const made = makeTraceCard(events, 1, 'fields', lane, 1)
    if (!made.ok) throw new Error(made.message)
    const card = parseTraceCard(findTraceFences(made.front)[0]!.json)
    expect(card).toMatchObject({ ok: true, card: { mode: 'fields', at: 1, blanks: ['len'] } })
  })

  it('refuses what would make no card', () => {
    expect(makeTraceCard(events, 0, 'next', lane, 1)).toMatchObject({ ok: false })
    expect(makeTraceCard(events, 0, 'fields', lane, 1)).toMatchObject({ ok: false, message: /no decoded fields/ })
    expect(makeTraceCard(events, 2, 'order', lane, 1)).toMatchObject({ ok: false, message: /note/ })
  })

  it('"order" keeps its seed', () => {
    const made = makeTraceCard(events, 4, 'order', lane, 42)
    if (!made.ok) throw new Error(made.message)
    expect(parseTraceCard(findTraceFences(made.front)[0]!.json)).toMatchObject({ ok: true, card: { seed: 42 } })
  })
})
