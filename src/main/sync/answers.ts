// How one answer is written into a log document: a single immutable string per answer, keyed by
// its uid, so an answer costs one Automerge operation and a uid can never hold two answers.
import { ValidationError } from '../../shared/errors'
import type { SyncedAnswer } from '../store/sync-state'

const SOURCES = new Set<SyncedAnswer['source']>(['review', 'quiz', 'drill'])

/** `cardId \t reviewedAt \t rating \t durationMs \t source` (card ids never hold a tab). */
export function encodeAnswer(answer: SyncedAnswer): string {
  return [answer.cardId, answer.reviewedAt, answer.rating, answer.durationMs, answer.source].join('\t')
}

/** The answer stored under `uid`; a value no Retransmit wrote is refused with the reason. */
export function decodeAnswer(uid: string, text: string): SyncedAnswer {
  const parts = text.split('\t')
  const [cardId, reviewedAt, rating, durationMs, source] = parts
  const answer = {
    uid,
    cardId: cardId ?? '',
    reviewedAt: Number(reviewedAt),
    rating: Number(rating) as SyncedAnswer['rating'],
    durationMs: Number(durationMs),
    source: source as SyncedAnswer['source']
  }
  const valid =
    parts.length === 5 &&
    answer.cardId !== '' &&
    Number.isSafeInteger(answer.reviewedAt) &&
    answer.reviewedAt > 0 &&
    [1, 2, 3, 4].includes(answer.rating) &&
    Number.isSafeInteger(answer.durationMs) &&
    answer.durationMs >= 0 &&
    SOURCES.has(answer.source)
  if (!valid) throw new ValidationError(`synced answer ${uid} is malformed: ${JSON.stringify(text.slice(0, 200))}`)
  return answer
}

/** What a log document holds under the uid of an answer undone where it was given (never an answer). */
export const UNDONE = 'undone'

/** The calendar month (UTC) an answer's log document covers: '2026-12'. */
export function periodOf(reviewedAtMs: number): string {
  return new Date(reviewedAtMs).toISOString().slice(0, 7)
}

/** The index key of one device's log document for one month. */
export const logKey = (period: string, deviceId: string) => `log:${period}:${deviceId}`
