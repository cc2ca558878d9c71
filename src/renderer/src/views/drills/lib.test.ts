import { describe, expect, it } from 'vitest'
import type { DrillSummary, TraceEvent } from '../../../../shared/drills'
import {
  attemptsText,
  chartScale,
  decodeBase64,
  describeEvent,
  drillDecks,
  drillSections,
  dueText,
  filterTrace,
  groupByDeck,
  hexDump,
  layerCounts,
  layerOf,
  layoutSequence,
  linePath,
  NO_FILTER,
  niceTicks,
  offsetOf,
  parseDiagnostics,
  seriesSummary
} from './lib'

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0)

function summary(over: Partial<DrillSummary>): DrillSummary {
  return {
    id: 'd',
    title: 'D',
    deck: 'deck',
    deckTitle: 'Deck',
    difficulty: 'core',
    lastSubmit: null,
    attempts: 0,
    due: null,
    ...over
  }
}

function ev(over: Partial<TraceEvent>): TraceEvent {
  return { tMs: 0, from: 'a:1', to: 'b:2', kind: 'tcp-data', summary: 's', ...over }
}

describe('groupByDeck', () => {
  it('groups by deck, decks by title, drills by difficulty then title', () => {
    const groups = groupByDeck([
      summary({ id: 'x', title: 'Zeta', deck: 'tcp', deckTitle: 'TCP' }),
      summary({ id: 'y', title: 'Alpha', deck: 'tcp', deckTitle: 'TCP', difficulty: 'stretch' }),
      summary({ id: 'z', title: 'Beta', deck: 'dns', deckTitle: 'DNS', difficulty: 'intro' }),
      summary({ id: 'w', title: 'Intro', deck: 'tcp', deckTitle: 'TCP', difficulty: 'intro' })
    ])
    expect(groups.map((g) => g.deckTitle)).toEqual(['DNS', 'TCP'])
    expect(groups[1]!.drills.map((d) => d.id)).toEqual(['w', 'x', 'y'])
  })
})

describe('drillSections and the list filters', () => {
  const drills = [
    summary({ id: 'echo', title: 'TCP echo', deck: 'tcp', deckTitle: 'TCP', difficulty: 'intro' }),
    summary({
      id: 'frames',
      title: 'Framing',
      deck: 'tcp',
      deckTitle: 'TCP',
      lastSubmit: 'pass',
      attempts: 1,
      due: NOW + 86_400_000
    }),
    summary({
      id: 'dns',
      title: 'DNS server',
      deck: 'dns',
      deckTitle: 'DNS',
      lastSubmit: 'fail',
      attempts: 2,
      due: NOW - 1
    }),
    summary({ id: 'resolver', title: 'Resolver', deck: 'dns', deckTitle: 'DNS', difficulty: 'stretch' }),
    summary({
      id: 'addr',
      title: 'Addresses',
      deck: 'ip',
      deckTitle: 'IP',
      difficulty: 'intro',
      lastSubmit: 'timeout',
      attempts: 1
    })
  ]
  const ids = (s: ReturnType<typeof drillSections>) => ({
    intro: s.intro.map((d) => d.id),
    decks: s.decks.map((g) => [g.deck, g.drills.map((d) => d.id)])
  })

  it('puts the intro drills first, by title, and the rest by deck', () => {
    expect(ids(drillSections(drills, NO_FILTER, NOW))).toEqual({
      intro: ['addr', 'echo'],
      decks: [
        ['dns', ['dns', 'resolver']],
        ['tcp', ['frames']]
      ]
    })
  })

  it('filters by deck, difficulty and status, together', () => {
    expect(ids(drillSections(drills, { ...NO_FILTER, deck: 'tcp' }, NOW))).toEqual({
      intro: ['echo'],
      decks: [['tcp', ['frames']]]
    })
    expect(ids(drillSections(drills, { ...NO_FILTER, difficulty: 'stretch' }, NOW))).toEqual({
      intro: [],
      decks: [['dns', ['resolver']]]
    })
    expect(ids(drillSections(drills, { ...NO_FILTER, status: 'todo' }, NOW))).toEqual({
      intro: ['echo'],
      decks: [['dns', ['resolver']]]
    })
    expect(ids(drillSections(drills, { ...NO_FILTER, status: 'failing' }, NOW))).toEqual({
      intro: ['addr'],
      decks: [['dns', ['dns']]]
    })
    expect(ids(drillSections(drills, { ...NO_FILTER, status: 'passed' }, NOW))).toEqual({
      intro: [],
      decks: [['tcp', ['frames']]]
    })
    expect(ids(drillSections(drills, { ...NO_FILTER, status: 'due' }, NOW))).toEqual({
      intro: [],
      decks: [['dns', ['dns']]]
    })
    expect(ids(drillSections(drills, { deck: 'ip', difficulty: 'core', status: '' }, NOW))).toEqual({
      intro: [],
      decks: []
    })
  })

  it('offers each deck that has drills once, by title', () => {
    expect(drillDecks(drills)).toEqual([
      { deck: 'dns', deckTitle: 'DNS' },
      { deck: 'ip', deckTitle: 'IP' },
      { deck: 'tcp', deckTitle: 'TCP' }
    ])
  })
})

describe('attemptsText', () => {
  it('counts attempts for the row and its accessible name, nothing for none', () => {
    expect([attemptsText(0), attemptsText(1), attemptsText(3)]).toEqual(['', ' · 1 attempt', ' · 3 attempts'])
  })
})

describe('dueText', () => {
  it('says when a drill is due, relative to now', () => {
    expect(dueText(null, NOW)).toBe('not scheduled')
    expect(dueText(NOW - 1, NOW)).toBe('due now')
    expect(dueText(NOW + 10 * 60_000, NOW)).toBe('due in 10 min')
    expect(dueText(NOW + 5 * 3_600_000, NOW)).toBe('due in 5 h')
    expect(dueText(NOW + 3 * 86_400_000, NOW)).toBe('due in 3 d')
    expect(dueText(NOW + 120 * 86_400_000, NOW)).toBe('due in 4 mo')
  })
})

describe('parseDiagnostics', () => {
  // Messages as the runner really prints them (src/main/drills, run on tcp-length-prefix-echo).
  it('reads a compile error with its own message', () => {
    const message = 'Your code could not be compiled:\nsolution.ts:4:1: Unexpected "}"\n  4 | }\n      ^'
    expect(parseDiagnostics(message)).toEqual([{ line: 4, column: 1, message: 'Unexpected "}"', severity: 'error' }])
  })

  it('reads a refused module', () => {
    const message =
      'Your code could not be compiled:\nsolution.ts:1:16: module \'node:fs\' is not allowed in drills (allowed: node:net)\n  1 | import fs from "node:fs"\n                     ^'
    const [d] = parseDiagnostics(message)
    expect(d).toMatchObject({ line: 1, column: 16 })
    expect(d!.message).toContain("module 'node:fs' is not allowed")
  })

  it('takes the headline for a stack frame in a load error', () => {
    const message =
      'the code could not load (while loading visible.test.ts): ReferenceError: undefinedThing is not defined\n    at solution.ts:4:1\n    at visible.test.ts:4:1\n    at entry.js:1:45'
    expect(parseDiagnostics(message)).toEqual([
      {
        line: 4,
        column: 1,
        message:
          'the code could not load (while loading visible.test.ts): ReferenceError: undefinedThing is not defined',
        severity: 'error'
      }
    ])
  })

  it('reads parenthesised frames and tsc-style positions, once per position, with a prefix', () => {
    const message =
      'TypeError: nope\n    at startEchoServer (solution.ts:3:49)\n    at solution.ts:3:49\n    at other (solution.ts(7,2))'
    expect(parseDiagnostics(message, 'warning', 'Test "t": ')).toEqual([
      { line: 3, column: 49, message: 'Test "t": TypeError: nope', severity: 'warning' },
      { line: 7, column: 2, message: 'Test "t": TypeError: nope', severity: 'warning' }
    ])
  })

  it('ignores other files and messages without positions', () => {
    expect(parseDiagnostics('the second chunk completes the frame\n    at visible.test.ts:18:10')).toEqual([])
    expect(parseDiagnostics('Time limit of 5000 ms reached')).toEqual([])
  })
})

describe('offsetOf', () => {
  const text = 'ab\ncdef\n\nxyz'
  it('maps 1-based line and column to an offset', () => {
    expect(offsetOf(text, 1, 1)).toBe(0)
    expect(offsetOf(text, 2, 3)).toBe(5)
    expect(offsetOf(text, 4, 2)).toBe(10)
  })
  it('clamps past the end of a line or the text', () => {
    expect(offsetOf(text, 1, 99)).toBe(2)
    expect(offsetOf(text, 3, 5)).toBe(8)
    expect(offsetOf(text, 40, 1)).toBe(text.length)
  })
})

describe('trace filtering', () => {
  const trace = [
    ev({ kind: 'tcp-connect' }),
    ev({ kind: 'tls-record' }),
    ev({ kind: 'note', from: 'test', to: 'test' }),
    ev({ kind: 'dns-query' }),
    ev({ kind: 'tcp-data' })
  ]
  it('knows each kind’s layer', () => {
    expect(
      ['tcp-fin', 'udp-datagram', 'tls-record', 'http-request', 'ws-frame', 'dns-answer', 'note'].map(layerOf)
    ).toEqual(['tcp', 'udp', 'tls', 'http', 'ws', 'dns', 'note'])
  })
  it('keeps shown layers and always the notes', () => {
    expect(filterTrace(trace, new Set(['tcp'])).map((e) => e.kind)).toEqual(['tcp-connect', 'note', 'tcp-data'])
  })
  it('counts layers in a fixed order', () => {
    expect([...layerCounts(trace)]).toEqual([
      ['tcp', 2],
      ['tls', 1],
      ['dns', 1]
    ])
  })
})

describe('layoutSequence', () => {
  it('gives each endpoint a lane, listener first, and each event a row in time order', () => {
    const layout = layoutSequence([
      ev({ tMs: 1, kind: 'tcp-listen', from: 's:80', to: 's:80' }),
      ev({ tMs: 3, kind: 'tcp-data', from: 'c:5000', to: 's:80' }),
      ev({ tMs: 2, kind: 'tcp-connect', from: 'c:5000', to: 's:80' }),
      ev({ tMs: 4, kind: 'note', from: 'test', to: 'test' }),
      ev({ tMs: 5, kind: 'tcp-data', from: 's:80', to: 'c:5000' })
    ])
    expect(layout.lanes).toEqual(['s:80', 'c:5000'])
    expect(layout.events.map((e) => [e.event.kind, e.fromLane, e.toLane, e.row, e.index])).toEqual([
      ['tcp-listen', 0, 0, 0, 0],
      ['tcp-connect', 1, 0, 1, 2],
      ['tcp-data', 1, 0, 2, 1],
      ['note', -1, -1, 3, 3],
      ['tcp-data', 0, 1, 4, 4]
    ])
    expect(layout.omitted).toBe(0)
  })

  it('caps the drawing and says how many were left out', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ev({ tMs: i }))
    const layout = layoutSequence(many)
    expect(layout.events).toHaveLength(500)
    expect(layout.omitted).toBe(700)
    expect(layout.events.at(-1)!.event.tMs).toBe(499)
  })
})

describe('describeEvent', () => {
  it('reads as one line', () => {
    expect(
      describeEvent(ev({ tMs: 3.763, from: '127.0.0.1:55080', to: '127.0.0.1:36471', summary: '8 bytes', bytes: 8 }))
    ).toBe('3.76 ms tcp-data 127.0.0.1:55080 → 127.0.0.1:36471: 8 bytes, 8 bytes')
    expect(describeEvent(ev({ tMs: 12.5, kind: 'tcp-listen', from: 's:1', to: 's:1', summary: 'listening' }))).toBe(
      '12.5 ms tcp-listen s:1: listening'
    )
  })
})

describe('hexDump', () => {
  it('decodes base64 and dumps offset, hex 8+8 and ASCII', () => {
    const bytes = decodeBase64('AAAABHBpbmc=')
    expect([...bytes]).toEqual([0, 0, 0, 4, 0x70, 0x69, 0x6e, 0x67])
    expect(hexDump(bytes)).toEqual(['0000  00 00 00 04 70 69 6e 67                           |....ping|'])
  })
  it('wraps at 16 bytes and shows non-printables as dots', () => {
    const bytes = Uint8Array.from({ length: 18 }, (_, i) => 0x41 + i).map((b, i) => (i === 1 ? 0x7f : b))
    const lines = hexDump(bytes)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe('0000  41 7f 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |A.CDEFGHIJKLMNOP|')
    expect(lines[1]!.startsWith('0010  51 52 ')).toBe(true)
    expect(lines[1]!.endsWith('|QR|')).toBe(true)
  })
  it('survives bad base64', () => {
    expect(decodeBase64('%%%')).toHaveLength(0)
    expect(hexDump(new Uint8Array(0))).toEqual([])
  })
})

describe('series charts', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 25, 50, 75, 100])
    expect(niceTicks(0, 7, 5)).toEqual([0, 2, 4, 6])
    expect(niceTicks(3, 3)).toEqual([3])
  })
  it('scales from zero and draws a path in the box', () => {
    const points: [number, number][] = [
      [0, 10],
      [1, 20],
      [2, 15]
    ]
    const scale = chartScale(points)
    expect(scale).toEqual({ xMin: 0, xMax: 2, yMin: 0, yMax: 20 })
    expect(linePath(points, scale, 200, 100)).toBe('M0.0,50.0 L100.0,0.0 L200.0,25.0')
  })
  it('summarises a series in words', () => {
    expect(
      seriesSummary(
        'cwnd (Reno)',
        [
          [0, 1],
          [1, 2],
          [2, 4],
          [3, 2]
        ],
        'event',
        'segments'
      )
    ).toBe('cwnd (Reno): 4 points, event from 0 to 3; segments starts at 1, ends at 2, ranges 1–4 (peak at event 2).')
    expect(seriesSummary('empty', [])).toBe('empty: no points.')
  })
})
