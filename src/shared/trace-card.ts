// Trace cards: an ordinary card whose markdown holds a ```trace fence with a JSON snapshot of a
// message sequence and what to hide. The content loader and the add-card API validate it here;
// the renderer draws it (lib/trace-card-html.ts) with the hidden part masked on the front.
import { z } from 'zod'
import { stepFence } from './markdown-code'
import { seededRandom } from './seeded-random'

export const TRACE_FENCE_INFO = 'trace'
/** Lanes a card may draw: more would not fit a card side. */
export const TRACE_CARD_MAX_LANES = 6
export const TRACE_CARD_MAX_EVENTS = 40

const name = z.string().trim().min(1).max(60)

const traceCardEvent = z
  .object({
    from: name,
    to: name,
    /** The layer colours the arrow, as in the drill page's trace. */
    layer: z.enum(['tcp', 'udp', 'tls', 'http', 'ws', 'dns']).optional(),
    summary: z.string().trim().min(1).max(200),
    /** A decoded header, in wire order: [field name, value]. */
    fields: z
      .array(z.tuple([name, z.string().max(200)]))
      .max(30)
      .optional()
  })
  .strict()

const events = z.array(traceCardEvent).min(2).max(TRACE_CARD_MAX_EVENTS)

export const traceCardSchema = z
  .discriminatedUnion('mode', [
    /** "What comes next?": events before `hide` shown, event `hide` masked on the front. */
    z.object({ mode: z.literal('next'), events, hide: z.number().int().min(1) }).strict(),
    /** "Fill in the fields": event `at`'s fields named in `blanks` masked on the front. */
    z
      .object({
        mode: z.literal('fields'),
        events,
        at: z.number().int().min(0),
        blanks: z.array(name).min(1).max(30)
      })
      .strict(),
    /** "Put these in order": the events shuffled by `seed` on the front, in order on the back. */
    z.object({ mode: z.literal('order'), events, seed: z.number().int().min(0).max(0xffffffff) }).strict()
  ])
  .superRefine((card, ctx) => {
    const lanes = traceLanes(card.events)
    if (lanes.length > TRACE_CARD_MAX_LANES)
      ctx.addIssue({ code: 'custom', message: `at most ${TRACE_CARD_MAX_LANES} lanes (this has ${lanes.length})` })
    if (card.mode === 'next' && card.hide >= card.events.length)
      ctx.addIssue({ code: 'custom', path: ['hide'], message: `must be below ${card.events.length} (the event count)` })
    if (card.mode === 'fields') {
      const target = card.events[card.at]
      if (!target) {
        ctx.addIssue({ code: 'custom', path: ['at'], message: `must be below ${card.events.length} (the event count)` })
        return
      }
      const names = new Set((target.fields ?? []).map(([field]) => field))
      for (const blank of card.blanks) {
        if (!names.has(blank))
          ctx.addIssue({ code: 'custom', path: ['blanks'], message: `event ${card.at} has no field \`${blank}\`` })
      }
    }
  })

export type TraceCard = z.infer<typeof traceCardSchema>
export type TraceCardEvent = z.infer<typeof traceCardEvent>

/** The lanes in the order their endpoints first appear. */
export function traceLanes(list: readonly { from: string; to: string }[]): string[] {
  const lanes: string[] = []
  for (const e of list) {
    if (!lanes.includes(e.from)) lanes.push(e.from)
    if (!lanes.includes(e.to)) lanes.push(e.to)
  }
  return lanes
}

export type ParsedTraceCard = { ok: true; card: TraceCard } | { ok: false; message: string; line: number }

/** Reads one fence's JSON; `line` of an error is 1-based within the JSON text. */
export function parseTraceCard(json: string): ParsedTraceCard {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, message: `not JSON: ${message}`, line: jsonErrorLine(json, message) }
  }
  const result = traceCardSchema.safeParse(value)
  if (result.success) return { ok: true, card: result.data }
  const issue = result.error.issues[0]!
  const path = issue.path.length ? `\`${issue.path.join('.')}\`: ` : ''
  return { ok: false, message: `${path}${issue.message}`, line: 1 }
}

/** V8 names a position ("at position 42" or "line 3 column 5"); turn it into a line. */
function jsonErrorLine(json: string, message: string): number {
  const lineCol = /line (\d+) column/.exec(message)
  if (lineCol) return Number(lineCol[1])
  const at = /position (\d+)/.exec(message)
  if (!at) return 1
  return json.slice(0, Number(at[1])).split('\n').length
}

export interface TraceFence {
  json: string
  /** 0-based line of the fence's first JSON line within the text. */
  line: number
}

/** The ```trace fences of a markdown text (a longer fence or ~~~ works too). */
export function findTraceFences(text: string): TraceFence[] {
  const found: TraceFence[] = []
  const lines = text.split('\n')
  let fence: ReturnType<typeof stepFence> = null
  let open: { line: number; body: string[] } | null = null
  lines.forEach((line, index) => {
    const before = fence
    fence = stepFence(line, fence)
    if (before === null && fence !== null) {
      const info = line
        .trim()
        .replace(/^(`{3,}|~{3,})/, '')
        .trim()
      if (info === TRACE_FENCE_INFO) open = { line: index + 1, body: [] }
    } else if (before !== null && fence === null) {
      if (open) found.push({ json: open.body.join('\n'), line: open.line })
      open = null
    } else if (open) open.body.push(line)
  })
  // An unclosed fence runs to the end of the text (CommonMark 4.5).
  const last = open as { line: number; body: string[] } | null
  if (last) found.push({ json: last.body.join('\n'), line: last.line })
  return found
}

/** Every problem of the trace fences in a text, with 0-based lines within the text. */
export function traceFenceProblems(text: string): { line: number; message: string }[] {
  return findTraceFences(text).flatMap((fence) => {
    const parsed = parseTraceCard(fence.json)
    return parsed.ok ? [] : [{ line: fence.line + parsed.line - 1, message: `trace block: ${parsed.message}` }]
  })
}

/** A shuffle of 0..n-1 that repeats for the same seed and never leaves the events in order. */
export function shuffledOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i)
  const random = seededRandom(seed)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  // An unshuffled order would give the answer away: rotate by one instead.
  if (n > 1 && order.every((v, i) => v === i)) order.push(order.shift()!)
  return order
}

/** One row of a trace card's diagram as a side shows it. */
export type TraceCardRow =
  { kind: 'event'; index: number; event: TraceCardEvent; highlight: boolean } | { kind: 'masked'; index: number }

/** The diagram's rows on a side: "next" cuts at the hidden event and masks it on the front. */
export function traceCardRows(card: TraceCard, side: 'front' | 'back'): TraceCardRow[] {
  const rows = card.events.map((event, index): TraceCardRow => ({
    kind: 'event',
    index,
    event,
    highlight: (card.mode === 'next' && index === card.hide) || (card.mode === 'fields' && index === card.at)
  }))
  if (card.mode !== 'next') return rows
  if (side === 'back') return rows.slice(0, card.hide + 1)
  return [...rows.slice(0, card.hide), { kind: 'masked', index: card.hide }]
}

/** An event's label on a side: a "fields" card's front blanks the hidden values in it too. */
export function traceCardLabel(card: TraceCard, index: number, side: 'front' | 'back'): string {
  const summary = card.events[index]?.summary ?? ''
  if (card.mode !== 'fields' || side === 'back' || index !== card.at) return summary
  const hidden = new Set(card.blanks)
  const values = (card.events[index]?.fields ?? []).filter(([field, value]) => hidden.has(field) && value !== '')
  return values.reduce((label, [, value]) => label.split(value).join('[…]'), summary)
}

/** The fields table of a "fields" card: blanks are null on the front. */
export function traceCardFields(
  card: TraceCard,
  side: 'front' | 'back'
): { name: string; value: string | null; blank: boolean }[] {
  if (card.mode !== 'fields') return []
  const blanks = new Set(card.blanks)
  return (card.events[card.at]?.fields ?? []).map(([field, value]) => ({
    name: field,
    value: side === 'front' && blanks.has(field) ? null : value,
    blank: blanks.has(field)
  }))
}
