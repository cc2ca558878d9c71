// Test-side helpers: replay a trace through the learner's replayStates, note every step in the
// run's trace (so the trace view teaches the transitions), and compare with the expected states.
import assert from 'node:assert/strict'
import { note } from 'retransmit:test'
import { replayStates, type TraceEvent } from './solution'

export function describe(e: TraceEvent): string {
  if ('app' in e) return `app ${e.app}`
  if ('timer' in e) return 'timer 2MSL'
  return `${e.dir === 'out' ? 'send' : 'recv'} ${e.flags.join('+')} seq=${e.seq}${e.ack !== undefined ? ` ack=${e.ack}` : ''}${e.len ? ` len=${e.len}` : ''}`
}

export function check(title: string, events: TraceEvent[], expected: string[], why: string): void {
  const got = replayStates(events)
  events.forEach((e, i) =>
    note(
      `${title} #${i + 1}: ${describe(e)} -> ${got[i] ?? '?'}${got[i] !== expected[i] ? ` (expected ${expected[i]})` : ''}`
    )
  )
  assert.deepEqual(
    got,
    expected,
    `${title}: ${why}\n  events: ${events.map(describe).join(' | ')}\n  got:    ${got.join(' ')}\n  wanted: ${expected.join(' ')}`
  )
}
