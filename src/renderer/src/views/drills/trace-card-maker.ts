// Turns arrows of a run's trace into a trace card's markdown (shared/trace-card.ts): the
// learner picks an arrow; "next" hides it after the arrows before it, "fields" blanks its
// key=value fields (and a decrypted TLS message's), "order" shuffles the arrows up to it.
import type { TraceEvent } from '../../../../shared/drills'
import {
  TRACE_CARD_MAX_EVENTS,
  traceCardSchema,
  type TraceCard,
  type TraceCardEvent
} from '../../../../shared/trace-card'
import type { LaidOutEvent } from './lib'

export type TraceCardMode = TraceCard['mode']

/** Arrows before the chosen one that a card keeps (a card side stays readable). */
export const CONTEXT_ARROWS = 7

const PROMPTS: Record<TraceCardMode, string> = {
  next: 'What comes next in this exchange?',
  fields: 'Fill in the blank fields of the highlighted message.',
  order: 'Put these messages in the order they cross the wire.'
}

const LAYERS = new Set(['tcp', 'udp', 'tls', 'http', 'ws', 'dns'])

/** `key=value` pairs of a summary, then a decrypted TLS record's first message's fields. */
export function eventFields(event: TraceEvent): [string, string][] {
  const fields: [string, string][] = []
  for (const match of event.summary.matchAll(/([A-Za-z][\w-]{0,40})=("[^"]*"|\S+)/g)) {
    if (!fields.some(([name]) => name === match[1])) fields.push([match[1]!, match[2]!.slice(0, 200)])
  }
  const tls = event.tls?.ok ? event.tls.messages[0] : undefined
  for (const [name, value] of tls?.fields ?? []) {
    if (fields.length < 30 && !fields.some(([known]) => known === name))
      fields.push([name.slice(0, 60), value.slice(0, 200)])
  }
  return fields
}

export type MadeCard = { ok: true; front: string; back: string } | { ok: false; message: string }

/**
 * The card for arrow `chosen` (an index into `events`, the diagram's rows in order).
 * `laneName` names a lane index (client, server, relay).
 */
export function makeTraceCard(
  events: readonly LaidOutEvent[],
  chosen: number,
  mode: TraceCardMode,
  laneName: (lane: number) => string,
  seed: number
): MadeCard {
  const arrows = events.filter((e) => e.layer !== 'note')
  const at = arrows.findIndex((e) => e.row === events[chosen]?.row)
  if (at < 0) return { ok: false, message: 'Pick an arrow (a note cannot become a card).' }
  const start = Math.max(0, at - CONTEXT_ARROWS)
  // A "fields" card also shows the reply, so a first arrow still has a sequence around it.
  const end = Math.min(at + (mode === 'fields' ? 2 : 1), start + TRACE_CARD_MAX_EVENTS)
  const window = arrows.slice(start, end)
  if (window.length < 2) return { ok: false, message: 'A card needs two arrows or more; this trace has one.' }
  const snapshot: TraceCardEvent[] = window.map((item) => {
    const fields = eventFields(item.event)
    return {
      from: laneName(item.fromLane),
      to: laneName(item.toLane),
      ...(LAYERS.has(item.layer) ? { layer: item.layer as TraceCardEvent['layer'] } : {}),
      summary: item.event.summary.slice(0, 200) || item.event.kind,
      ...(fields.length ? { fields } : {})
    }
  })
  const index = at - start
  let card: unknown
  if (mode === 'next') {
    if (index === 0) return { ok: false, message: 'Pick a later arrow: "what comes next" needs arrows before it.' }
    card = { mode, events: snapshot, hide: index }
  } else if (mode === 'fields') {
    const fields = snapshot[index]!.fields ?? []
    if (fields.length === 0) return { ok: false, message: 'This arrow has no decoded fields to blank; pick another.' }
    card = { mode, events: snapshot, at: index, blanks: fields.map(([name]) => name) }
  } else {
    if (index < 1) return { ok: false, message: 'Pick a later arrow: ordering needs two arrows or more.' }
    card = { mode, events: snapshot, seed: seed >>> 0 }
  }
  // What the loader and the API would refuse is refused here first, with the same words.
  const checked = traceCardSchema.safeParse(card)
  if (!checked.success) return { ok: false, message: checked.error.issues[0]?.message ?? 'invalid trace card' }
  const json = JSON.stringify(checked.data, null, 1)
  const chosenEvent = window[index]!.event
  return {
    ok: true,
    front: `${PROMPTS[mode]}\n\n\`\`\`trace\n${json}\n\`\`\``,
    back: `The highlighted message: \`${chosenEvent.kind}\`, ${chosenEvent.from} → ${chosenEvent.to}.`
  }
}
