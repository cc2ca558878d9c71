// Pure helpers for the review screen: what a key does, and the session summary.
import type { Rating } from '../../../../shared/study'

export type ReviewAction =
  | { kind: 'reveal' }
  | { kind: 'grade'; rating: Rating }
  | { kind: 'undo' }
  | { kind: 'edit' }
  | { kind: 'bury' }
  | { kind: 'suspend' }
  | { kind: 'leave' }

export interface KeyInput {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

/** Anki's keys: Space/Enter reveal (and then mean Good), 1-4 grade, Z undo, E, B, S, Escape. */
export function keyAction(event: KeyInput, revealed: boolean): ReviewAction | null {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  if ((event.ctrlKey || event.metaKey) && key === 'z') return { kind: 'undo' }
  if (event.ctrlKey || event.metaKey || event.altKey) return null
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

export interface SessionSummary {
  cards: number
  again: number
  /** Share of answers that were not Again, 0..1, or null with no answers. */
  accuracy: number | null
}

export function summarize(ratings: Rating[]): SessionSummary {
  const again = ratings.filter((r) => r === 1).length
  return { cards: ratings.length, again, accuracy: ratings.length ? (ratings.length - again) / ratings.length : null }
}

/** When something is next due, in words relative to now. */
export function dueIn(now: number, due: number | null): string {
  if (due === null) return 'Nothing is scheduled.'
  const minutes = Math.round((due - now) / 60_000)
  if (minutes < 1) return 'More cards are due now.'
  if (minutes < 60) return `Next card due in ${minutes} minute${minutes === 1 ? '' : 's'}.`
  const hours = Math.round(minutes / 60)
  if (hours < 36) return `Next card due in ${hours} hour${hours === 1 ? '' : 's'}.`
  const days = Math.round(hours / 24)
  return `Next card due in ${days} days.`
}

/** Time spent on one card counts at most this long (ms), as Anki caps it at 60 s. */
export const MAX_ANSWER_MS = 60_000
