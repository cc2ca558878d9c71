// A trace card's ```trace fence as HTML: a sequence diagram drawn as a table (a column per
// lane, each arrow a cell spanning the lanes it joins), since the sanitizer admits no SVG.
// The output still goes through DOMPurify with the rest of the card (lib/markdown.ts).
import {
  parseTraceCard,
  shuffledOrder,
  traceCardFields,
  traceCardLabel,
  traceCardRows,
  traceLanes,
  type TraceCard,
  type TraceCardEvent
} from '../../../shared/trace-card'

export type TraceSide = 'front' | 'back'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

export function renderTraceFence(json: string, side: TraceSide): string {
  const parsed = parseTraceCard(json)
  if (!parsed.ok)
    return `<p class="trace-card-error" role="note">This trace block cannot be drawn: ${escape(parsed.message)} (line ${parsed.line} of the block)</p>`
  const card = parsed.card
  if (card.mode === 'order' && side === 'front') return orderList(card)
  return diagram(card, side) + fieldsTable(card, side)
}

const PROMPT: Record<TraceCard['mode'], string> = {
  next: 'What comes next?',
  fields: 'Fill in the blank fields.',
  order: 'Put these messages in order.'
}

function arrowText(e: TraceCardEvent): string {
  return `${e.from} → ${e.to}: ${e.summary}`
}

function diagram(card: TraceCard, side: TraceSide): string {
  const lanes = traceLanes(card.events)
  const rows = traceCardRows(card, side)
  const head = lanes.map((lane) => `<th scope="col">${escape(lane)}</th>`).join('')
  const body = rows
    .map((row) => {
      const number = `<th scope="row" class="tc-n">${row.index + 1}</th>`
      if (row.kind === 'masked')
        return `<tr class="tc-masked">${number}<td colspan="${lanes.length}"><span class="tc-mask">? hidden message</span></td></tr>`
      const e = row.event
      const a = lanes.indexOf(e.from)
      const b = lanes.indexOf(e.to)
      const left = Math.min(a, b)
      const span = Math.abs(a - b) + 1
      const direction = a === b ? 'self' : a < b ? 'right' : 'left'
      const cells = [
        left > 0 ? `<td colspan="${left}"></td>` : '',
        `<td colspan="${span}" class="tc-arrow tc-${direction} layer-${e.layer ?? 'none'}"><span class="tc-dir">${escape(`${e.from} → ${e.to}: `)}</span><span class="tc-label">${escape(traceCardLabel(card, row.index, side))}</span></td>`,
        lanes.length - left - span > 0 ? `<td colspan="${lanes.length - left - span}"></td>` : ''
      ].join('')
      return `<tr class="tc-event${row.highlight ? ' tc-highlight' : ''}">${number}${cells}</tr>`
    })
    .join('')
  const caption = side === 'front' ? PROMPT[card.mode] : 'Answer: the sequence in order.'
  return `<table class="trace-card tc-${card.mode} tc-side-${side}"><caption>${escape(caption)}</caption><thead><tr><th scope="col" class="tc-n">#</th>${head}</tr></thead><tbody>${body}</tbody></table>`
}

function fieldsTable(card: TraceCard, side: TraceSide): string {
  if (card.mode !== 'fields') return ''
  const rows = traceCardFields(card, side)
    .map(({ name, value, blank }) => {
      const cell =
        value === null
          ? '<span class="tc-mask">[…]</span>'
          : blank
            ? `<mark>${escape(value)}</mark>`
            : `<code>${escape(value)}</code>`
      return `<tr><th scope="row">${escape(name)}</th><td>${cell}</td></tr>`
    })
    .join('')
  return `<table class="trace-card-fields"><caption>Fields of message ${card.at + 1}: ${escape(traceCardLabel(card, card.at, side))}</caption><tbody>${rows}</tbody></table>`
}

function orderList(card: TraceCard & { mode: 'order' }): string {
  const items = shuffledOrder(card.events.length, card.seed)
    .map((i) => `<li>${escape(arrowText(card.events[i]!))}</li>`)
    .join('')
  return `<div class="trace-card-order"><p>${PROMPT.order}</p><ul>${items}</ul></div>`
}
