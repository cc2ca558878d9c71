// Shapes of the learning loop: settings, the review queue, quizzes, browse and stats.
import type { CardKind, QuizType } from './domain'

export type Rating = 1 | 2 | 3 | 4 // Again, Hard, Good, Easy
export const RATING_NAMES = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' } as const

export interface SchedulingSettings {
  /** Probability of recall FSRS aims for at the due date (0.70-0.97). */
  desiredRetention: number
  maximumIntervalDays: number
  /** Learning steps as ts-fsrs step strings, e.g. ["1m", "10m"]. */
  learningSteps: string[]
  relearningSteps: string[]
  newPerDay: number
  reviewsPerDay: number
}

export interface GlobalSettings extends SchedulingSettings {
  /** Local hour (0-23) at which "today" rolls over. */
  dayStartHour: number
  /** Optimized FSRS parameters, or null for the defaults. */
  weights: number[] | null
}

export interface SettingsView {
  global: GlobalSettings
  /** The deck's own overrides (only the fields it sets), when a deck was asked for. */
  deck: Partial<SchedulingSettings> | null
  effective: GlobalSettings
}

/** A card's FSRS memory state, times in ms since the epoch. */
export interface CardState {
  state: 0 | 1 | 2 | 3
  due: number
  stability: number
  difficulty: number
  elapsedDays: number
  scheduledDays: number
  learningSteps: number
  reps: number
  lapses: number
  lastReview: number | null
}

export interface StudyCard {
  id: string
  deckId: string
  deckTitle: string
  kind: CardKind
  clozeOrdinal: number | null
  front: string
  back: string
  tags: string[]
  noteId: string | null
  state: CardState['state']
  /** The drill a `drill` card opens. */
  drillId: string | null
}

export interface QueueCounts {
  new: number
  learning: number
  review: number
}

export interface QueueState {
  counts: QueueCounts
  card: StudyCard | null
  /** What each grade would schedule for `card`, as short labels ("10m", "3d"). */
  intervals: Record<Rating, string> | null
  /** When the next card comes due (ms), if nothing is due now. */
  nextDue: number | null
}

export type QuizItemView =
  | { id: string; type: 'choice'; prompt: string; options: string[]; multiple: boolean }
  | { id: string; type: 'truefalse'; prompt: string }
  | { id: string; type: 'typein'; prompt: string }
  | { id: string; type: 'cloze'; prompt: string; blanks: number }
  | { id: string; type: 'order'; prompt: string; items: string[] }
  | { id: string; type: 'match'; prompt: string; left: string[]; right: string[] }

export type QuizAnswer =
  | { type: 'choice'; selected: number[] }
  | { type: 'truefalse'; value: boolean }
  | { type: 'typein'; text: string }
  | { type: 'cloze'; texts: string[] }
  | { type: 'order'; order: number[] }
  | { type: 'match'; pairs: number[] }

export interface QuizSession {
  id: number
  items: (QuizItemView & { deckId: string })[]
  timeLimitSec: number | null
  startedAt: number
}

export interface QuizFeedback {
  itemId: string
  correct: boolean
  /** The right answer, as text to show. */
  expected: string
  explanation: string
  cardId: string | null
}

export interface QuizSummary {
  sessionId: number
  score: number
  total: number
  durationMs: number
  missed: { itemId: string; prompt: string; cardId: string | null; deckId: string }[]
}

export interface QuizHistoryEntry {
  id: number
  startedAt: number
  finishedAt: number | null
  score: number
  total: number
  durationMs: number
  decks: string[]
}

export type BrowseSort = 'position' | 'due' | 'interval' | 'lapses' | 'created'

export interface BrowseRow {
  id: string
  deckId: string
  kind: CardKind
  front: string
  tags: string[]
  state: CardState['state']
  due: number
  intervalDays: number
  lapses: number
  reps: number
  suspended: boolean
  buried: boolean
  edited: boolean
}

export interface CardDetail extends BrowseRow {
  back: string
  noteId: string | null
  clozeOrdinal: number | null
  origin: 'content' | 'user' | 'import'
  /** The newer shipped text, kept beside the user's edit. */
  shipped: { front: string; back: string; tags: string[] } | null
  stability: number
  difficulty: number
}

export interface NoteDetail {
  id: string
  deckId: string
  title: string
  body: string
  tags: string[]
  origin: 'content' | 'user' | 'import'
  edited: boolean
  /** Cards made from this note. */
  cardIds: string[]
}

export interface NoteRow {
  id: string
  deckId: string
  title: string
  tags: string[]
  edited: boolean
  cards: number
}

export type BulkAction =
  | { action: 'suspend' }
  | { action: 'unsuspend' }
  | { action: 'reset' }
  | { action: 'addTag'; tag: string }
  | { action: 'removeTag'; tag: string }
  | { action: 'move'; deckId: string }

export interface DayCount {
  day: string // YYYY-MM-DD
  count: number
}

export interface StatsReport {
  days: number
  reviewsPerDay: (DayCount & { passed: number })[]
  studyDays: DayCount[]
  forecast: DayCount[]
  states: { new: number; learning: number; review: number; relearning: number; suspended: number }
  decks: { id: string; title: string; retention: number | null; reviewAnswers: number; mature: number; cards: number }[]
  quizHistory: QuizHistoryEntry[]
  totals: { answers: number; passed: number; studyDays: number; streak: number }
}

export { type QuizType }
