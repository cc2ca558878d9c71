// Pure helpers for the review screen: what a key does, and the session summary.
import type { Rating } from '../../../../shared/study'
import { plural } from '../../lib/plural'

export type ReviewAction =
  | { kind: 'reveal' }
  | { kind: 'grade'; rating: Rating }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'flag'; flag: number }
  | { kind: 'info' }
  | { kind: 'edit' }
  | { kind: 'bury' }
  | { kind: 'suspend' }
  | { kind: 'leave' }

export interface KeyInput {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey?: boolean
}

/**
 * Anki's keys: Space/Enter reveal (and then mean Good), 1-4 grade, Z or Ctrl+Z undo,
 * Ctrl+Shift+Z (or Ctrl+Y) redo, Ctrl+1..7 flag (the same flag again clears it), I card info,
 * E edit, B bury, S suspend, Escape leave.
 */
export function keyAction(event: KeyInput, revealed: boolean): ReviewAction | null {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  if (event.ctrlKey || event.metaKey) {
    if (key === 'z') return event.shiftKey ? { kind: 'redo' } : { kind: 'undo' }
    if (key === 'y') return { kind: 'redo' }
    if (/^[1-7]$/.test(key) && !event.altKey) return { kind: 'flag', flag: Number(key) }
    return null
  }
  if (event.altKey) return null
  switch (key) {
    case ' ':
    case 'Enter':
      return revealed ? { kind: 'grade', rating: 3 } : { kind: 'reveal' }
    case '1':
    case '2':
    case '3':
    case '4':
      return revealed ? { kind: 'grade', rating: Number(key) as Rating } : null
    case 'z':
      return { kind: 'undo' }
    case 'e':
      return { kind: 'edit' }
    case 'i':
      return { kind: 'info' }
    case 'b':
      return { kind: 'bury' }
    case 's':
      return { kind: 'suspend' }
    case 'Escape':
      return { kind: 'leave' }
    default:
      return null
  }
}

/** "4:07" or "1:02:09". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`
}

/** One thing done in a session, as the summary counts it (undo removes the last one). */
export type SessionEvent =
  { kind: 'answer'; cardId: string; rating: Rating } | { kind: 'bury' | 'suspend'; cardId: string }

export interface SessionSummary {
  /** Answers given, and the distinct cards they were given to. */
  answers: number
  cards: number
  again: number
  buried: number
  suspended: number
  /** Share of answers that were not Again, 0..1, or null with no answers. */
  accuracy: number | null
}

export function summarize(events: SessionEvent[]): SessionSummary {
  const answers = events.filter((e): e is Extract<SessionEvent, { kind: 'answer' }> => e.kind === 'answer')
  const again = answers.filter((e) => e.rating === 1).length
  return {
    answers: answers.length,
    cards: new Set(answers.map((e) => e.cardId)).size,
    again,
    buried: events.filter((e) => e.kind === 'bury').length,
    suspended: events.filter((e) => e.kind === 'suspend').length,
    accuracy: answers.length ? (answers.length - again) / answers.length : null
  }
}

export { plural }

/**
 * When the next card comes, in words. Review reloads the queue when that time arrives, so a
 * time already past means a reload is under way, never "due now" over an empty screen.
 */
export function dueIn(
  now: number,
  due: number | null,
  heldBack: { new: number; review: number } = { new: 0, review: 0 }
): string {
  const what = [heldBack.review > 0 ? 'reviews' : '', heldBack.new > 0 ? 'new cards' : ''].filter(Boolean).join(' and ')
  const held = what ? ` The daily limits hold back more ${what}; Settings can raise them.` : ''
  if (due === null) return `Nothing else is scheduled today.${held}`
  const minutes = Math.max(1, Math.ceil((due - now) / 60_000))
  if (minutes < 60) return `Next card due in ${plural(minutes, 'minute')}.${held}`
  const hours = Math.round(minutes / 60)
  if (hours < 36) return `Next card due in ${plural(hours, 'hour')}.${held}`
  return `Next card due in ${plural(Math.round(hours / 24), 'day')}.${held}`
}

/** Time spent on one card counts at most this long (ms), as Anki caps it at 60 s. */
export const MAX_ANSWER_MS = 60_000
