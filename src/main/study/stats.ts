// The Stats page's figures (being written).
import { AppError } from '../../shared/errors'
import type { StatsReport } from '../../shared/study'
import type { Db } from '../store/db'
import type { ReviewService } from './review'

export interface StatsDeps {
  db: Db
  review: ReviewService
  clock: () => number
}

export function createStatsService(_deps: StatsDeps) {
  return {
    report(_days: 30 | 90 | 365, _deckId: string | null): StatsReport {
      throw new AppError('internal', 'stats are not available yet')
    }
  }
}
