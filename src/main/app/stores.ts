// Every store of one open database, made once. Services receive the ones they use by name
// (a deps object); none builds its own.
import type { Db } from '../store/db'
import { createBrowseStore, type BrowseStore } from '../store/browse'
import { createCardEditStore, type CardEditStore } from '../store/card-edit'
import { createCardInfoStore, type CardInfoStore } from '../store/card-info'
import { createDeckStore, type DeckStore } from '../store/decks'
import { createDrillSessionStore, type DrillSessionStore } from '../store/drill-sessions'
import { createDrillStore, type DrillStore } from '../store/drills'
import { createInterviewStore, type InterviewStore } from '../store/interview'
import { createQuizStore, type QuizStore } from '../store/quiz'
import { createReviewLogStore, type ReviewLogStore } from '../store/review-log'
import { createSearchStore, type SearchStore } from '../store/search'
import { createSettingsStore, type SettingsStore } from '../store/settings'
import { createStatsStore, type StatsStore } from '../store/stats'
import { createStudyCardStore, type StudyCardStore } from '../store/study-cards'
import { createUndoStore, type UndoStore } from '../store/undo'

export interface Stores {
  browse: BrowseStore
  cardEdits: CardEditStore
  cardInfo: CardInfoStore
  cards: StudyCardStore
  decks: DeckStore
  drillSessions: DrillSessionStore
  drills: DrillStore
  interview: InterviewStore
  log: ReviewLogStore
  quiz: QuizStore
  search: SearchStore
  settings: SettingsStore
  stats: StatsStore
  undo: UndoStore
}

export function createStores(db: Db): Stores {
  return {
    browse: createBrowseStore(db),
    cardEdits: createCardEditStore(db),
    cardInfo: createCardInfoStore(db),
    cards: createStudyCardStore(db),
    decks: createDeckStore(db),
    drillSessions: createDrillSessionStore(db),
    drills: createDrillStore(db),
    interview: createInterviewStore(db),
    log: createReviewLogStore(db),
    quiz: createQuizStore(db),
    search: createSearchStore(db),
    settings: createSettingsStore(db),
    stats: createStatsStore(db),
    undo: createUndoStore(db)
  }
}
