// Card info: every answer a card was given, with the FSRS memory state it left (difficulty,
// stability, the interval) and the recall probability when it was given, plus the forgetting
// curve from the last review. The state after an answer is the state the next answer found
// (its log row keeps it), or the card's own state for the last answer.
import { NotFoundError } from '../../shared/errors'
import type { CardInfo, CardInfoReview, CardState, Rating } from '../../shared/study'
import { curveFor, recallProbability, type Curve } from '../scheduler/fsrs'
import type { CardInfoStore } from '../store/card-info'
import type { SettingsService } from './settings'

const DAY_MS = 86_400_000
/** Points on the forgetting-curve chart. */
const CURVE_POINTS = 41

export interface CardInfoService {
  info(id: string): CardInfo
}

/** Recall probability of a card in `state` at `now` (null for a new card). */
export function recallNow(
  curve: Curve,
  state: Pick<CardState, 'state' | 'stability' | 'lastReview'>,
  now: number
): number | null {
  if (state.state === 0 || state.lastReview === null || state.stability <= 0) return null
  return recallProbability(curve, (now - state.lastReview) / DAY_MS, state.stability)
}

export function createCardInfoService(deps: {
  store: CardInfoStore
  settings: SettingsService
  clock: () => number
}): CardInfoService {
  const { store } = deps
  return {
    info(id) {
      // A quiz item may name a cloze block: its first card then.
      const card = store.card(id) ?? store.card(`${id}#c1`)
      if (!card) throw new NotFoundError('card', id)
      const curve = curveFor(deps.settings.effective(card.deckId))
      const now = deps.clock()
      const logs = store.reviews(card.id).map((row) => ({ ...row, previous: JSON.parse(row.previous) as CardState }))
      const reviews: CardInfoReview[] = logs.map((row, i) => {
        const after: CardState = logs[i + 1]?.previous ?? card
        const before = row.previous
        const known = after.state !== 0
        return {
          at: row.reviewedAt,
          rating: row.rating as Rating | 0,
          source: row.source,
          intervalDays: after.scheduledDays,
          difficulty: known ? after.difficulty : null,
          stability: known ? after.stability : null,
          retrievability: recallNow(curve, before, row.reviewedAt)
        }
      })
      const studied = card.state !== 0 && card.lastReview !== null && card.stability > 0
      const dueAfterDays = studied ? (card.due - card.lastReview!) / DAY_MS : null
      const spanDays = Math.max(7, Math.ceil((dueAfterDays ?? 0) * 2))
      const points = studied
        ? Array.from({ length: CURVE_POINTS }, (_v, i) => {
            const days = (spanDays * i) / (CURVE_POINTS - 1)
            return { days, retrievability: recallProbability(curve, days, card.stability) }
          })
        : []
      return {
        id: card.id,
        deckId: card.deckId,
        front: card.front,
        state: card.state,
        due: card.due,
        lapses: card.lapses,
        reps: card.reps,
        flag: card.flag,
        leech: card.tags.split(' ').includes('leech'),
        difficulty: studied ? card.difficulty : null,
        stability: studied ? card.stability : null,
        retrievability: recallNow(curve, card, now),
        reviews,
        curve: points,
        dueAfterDays
      }
    }
  }
}
