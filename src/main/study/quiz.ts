// Quiz sessions (being written): pick items, check answers, feed the scheduler, keep results.
import { AppError } from '../../shared/errors'
import type { QuizAnswer, QuizFeedback, QuizSession, QuizSummary } from '../../shared/study'
import type { Db } from '../store/db'
import type { ReviewService } from './review'

export interface QuizDeps {
  db: Db
  review: ReviewService
  clock: () => number
}

export function createQuizService(_deps: QuizDeps) {
  const pending = () => new AppError('internal', 'quiz sessions are not available yet')
  return {
    start(_input: { deckIds: string[]; tags: string[]; count: number; timeLimitSec: number | null }): QuizSession {
      throw pending()
    },
    answer(_sessionId: number, _itemId: string, _answer: QuizAnswer): QuizFeedback {
      throw pending()
    },
    finish(_sessionId: number): QuizSummary {
      throw pending()
    }
  }
}
