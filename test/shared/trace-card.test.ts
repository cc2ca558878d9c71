import { describe, expect, it } from 'vitest'
import {
  findTraceFences,
  parseTraceCard,
  shuffledOrder,
  traceCardFields,
  traceCardRows,
  traceFenceProblems,
  type TraceCard
} from '../../src/shared/trace-card'
import { renderTraceFence } from '../../src/renderer/src/lib/trace-card-html'

const events = [
  {
    from: 'client',
    to: 'server',
    layer: 'tcp',
    summary: 'SYN seq=100',
    fields: [
      ['seq', '100'],
      ['flags', 'SYN']
    ]
  },
  {
    from: 'server',
    to: 'client',
    layer: 'tcp',
    summary: 'SYN-ACK seq=300 ack=101',
    fields: [
      ['seq', '300'],
      ['ack', '101']
    ]
  },
  { from: 'client', to: 'server', layer: 'tcp', summary: 'ACK seq=101 ack=301' }
]
const card = (extra: object): TraceCard => {
  const parsed = parseTraceCard(JSON.stringify({ events, ...extra }))
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.card
}

describe('parseTraceCard', () => {
  it('accepts each mode', () => {
    expect(card({ mode: 'next', hide: 2 }).mode).toBe('next')
    expect(card({ mode: 'fields', at: 1, blanks: ['ack'] }).mode).toBe('fields')
    expect(card({ mode: 'order', seed: 7 }).mode).toBe('order')
  })

  it('rejects what cannot be drawn, naming the field', () => {
    const bad = (value: object) => parseTraceCard(JSON.stringify({ events, ...value }))
    expect(bad({ mode: 'next', hide: 3 })).toMatchObject({ ok: false, message: expect.stringMatching(/hide.*below 3/) })
    expect(bad({ mode: 'fields', at: 1, blanks: ['window'] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('no field `window`')
    })
    expect(bad({ mode: 'shuffle', seed: 1 })).toMatchObject({ ok: false })
    expect(parseTraceCard(JSON.stringify({ mode: 'order', seed: 1, events: [events[0]] }))).toMatchObject({ ok: false })
    expect(bad({ mode: 'order', seed: 1, extra: true })).toMatchObject({ ok: false })
  })

  it('gives the line of a JSON syntax error', () => {
    const parsed = parseTraceCard('{\n  "mode": "order",\n  "seed": 1,,\n}')
    expect(parsed).toMatchObject({ ok: false, line: 3 })
  })
})

describe('findTraceFences and traceFenceProblems', () => {
  it('finds trace fences only, with the line of their JSON', () => {
    const text = 'Question?\n\n```json\n{}\n```\n\n```trace\n{"mode":"order"}\n```\n'
    expect(findTraceFences(text)).toEqual([{ json: '{"mode":"order"}', line: 7 }])
    expect(traceFenceProblems(text)).toEqual([{ line: 7, message: expect.stringContaining('trace block:') }])
  })
})

describe('masking', () => {
  it('"next" shows the events before the hidden one and masks it on the front only', () => {
    const c = card({ mode: 'next', hide: 1 })
    expect(traceCardRows(c, 'front').map((r) => r.kind)).toEqual(['event', 'masked'])
    const back = traceCardRows(c, 'back')
    expect(back.map((r) => r.kind)).toEqual(['event', 'event'])
    expect(back[1]).toMatchObject({ highlight: true, event: { summary: 'SYN-ACK seq=300 ack=101' } })
  })

  it('"fields" blanks the chosen fields on the front and fills them on the back', () => {
    const c = card({ mode: 'fields', at: 1, blanks: ['ack'] })
    expect(traceCardFields(c, 'front')).toEqual([
      { name: 'seq', value: '300', blank: false },
      { name: 'ack', value: null, blank: true }
    ])
    expect(traceCardFields(c, 'back')[1]).toEqual({ name: 'ack', value: '101', blank: true })
    const front = renderTraceFence(JSON.stringify(c), 'front')
    expect(front).not.toContain('ack=101')
    expect(front).toContain('SYN-ACK seq=300 ack=[…]')
    expect(renderTraceFence(JSON.stringify(c), 'back')).toContain('<mark>101</mark>')
  })

  it('the front of "next" does not contain the hidden message', () => {
    const json = JSON.stringify(card({ mode: 'next', hide: 2 }))
    expect(renderTraceFence(json, 'front')).not.toContain('ACK seq=101')
    expect(renderTraceFence(json, 'back')).toContain('ACK seq=101 ack=301')
  })

  it('escapes author text', () => {
    const json = JSON.stringify({
      mode: 'order',
      seed: 3,
      events: [events[0], { ...events[1], summary: '<img src=x onerror=alert(1)>' }]
    })
    for (const side of ['front', 'back'] as const) expect(renderTraceFence(json, side)).not.toContain('<img')
  })
})

describe('shuffledOrder', () => {
  it('repeats for a seed, is a permutation and never the identity', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const n of [2, 3, 5, 9]) {
        const order = shuffledOrder(n, seed)
        expect(shuffledOrder(n, seed)).toEqual(order)
        expect([...order].sort((a, b) => a - b)).toEqual([...Array(n).keys()])
        expect(order).not.toEqual([...Array(n).keys()])
      }
    }
    expect(shuffledOrder(9, 1)).not.toEqual(shuffledOrder(9, 2))
  })
})

describe('the XSS corpus', () => {
  it('has trace payloads that are valid blocks, so the drawing (not only the error path) meets them', async () => {
    const { PAYLOADS, payloadText } = await import('../fixtures/xss/payloads')
    const traces = PAYLOADS.filter((p) => p.category === 'trace')
    expect(traces.length).toBeGreaterThanOrEqual(3)
    for (const payload of traces) {
      const text = payloadText(payload, '127.0.0.1:65535')
      expect(findTraceFences(text)).toHaveLength(1)
      expect(traceFenceProblems(text), payload.name).toEqual([])
      for (const side of ['front', 'back'] as const) {
        const html = renderTraceFence(findTraceFences(text)[0]!.json, side)
        expect(html).not.toMatch(/<(img|svg|script|iframe|a)\b/)
      }
    }
  })
})
