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
  /** Answering a card buries its siblings (same note or cloze, or linked to the same drill) that are new, in review or in learning, until the next study day. */
  buryNew: boolean
  buryReview: boolean
  buryLearning: boolean
  /** Lapses that make a card a leech (then again every half of it). */
  leechThreshold: number
  /** What happens to a leech besides the `leech` tag. */
  leechAction: 'suspend' | 'tag'
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
  /** Anki's flag number, 0 for none (FLAG_NAMES). */
  flag: number
  /** The drill a `drill` card opens. */
  drillId: string | null
}

export interface QueueCounts {
  new: number
  learning: number
  review: number
}

/** What Z and Ctrl+Shift+Z would undo and redo (labels such as "Bury"), or null. */
export interface UndoStatus {
  undo: string | null
  redo: string | null
}

export interface UndoResult {
  /** What was undone or redone; null when there was nothing to. */
  label: string | null
  /** The cards it changed (Review shows the first one again). */
  cardIds: string[]
  history: UndoStatus
}

/** A card that has just become a leech. */
export interface LeechEvent {
  cardId: string
  lapses: number
  suspended: boolean
}

/**
 * A chosen set of cards studied now whatever their due dates (quiz results' "study these cards").
 * Each card is shown until it is answered Hard or better at or after `since` (ms); Again brings it
 * back after the others. Answers schedule the cards as in any review.
 */
export interface StudySet {
  cardIds: string[]
  since: number
}

export interface QueueState {
  counts: QueueCounts
  history: UndoStatus
  card: StudyCard | null
  /** What each grade would schedule for `card`, as short labels ("10m", "3d"). */
  intervals: Record<Rating, string> | null
  /** When the next card comes due (ms), if nothing is due now. */
  nextDue: number | null
  /** Cards due today that the daily limits hold back (Review stops before them): a lower bound, non-zero when any are. */
  heldBack: { new: number; review: number }
}

export interface AnswerResult extends QueueState {
  /** Set when this answer made the card a leech. */
  leech: LeechEvent | null
  /** Sibling cards this answer buried until tomorrow. */
  buriedSiblings: number
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
  /** `cardId`: the card to open; `cardIds`: every card the item links to (each card of a cloze block). */
  missed: { itemId: string; prompt: string; cardId: string | null; cardIds: string[]; deckId: string }[]
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

export type BrowseSort =
  'position' | 'due' | 'interval' | 'lapses' | 'created' | 'difficulty' | 'stability' | 'retrievability'

/** Anki's flag colours, by number (0: no flag). */
export const FLAG_NAMES = ['', 'Red', 'Orange', 'Green', 'Blue', 'Pink', 'Turquoise', 'Purple'] as const

/** One answer in a card's history, with the FSRS memory state it left. */
export interface CardInfoReview {
  at: number
  rating: Rating | 0
  source: 'review' | 'quiz' | 'drill' | 'manual'
  /** Interval it gave (days; 0 for a learning step). */
  intervalDays: number
  /** FSRS difficulty (1-10) and stability (days) after the answer; null when not known. */
  difficulty: number | null
  stability: number | null
  /** Probability of recall when the answer was given (0-1); null for a new card. */
  retrievability: number | null
}

export interface CardInfo {
  id: string
  deckId: string
  front: string
  state: CardState['state']
  due: number
  lapses: number
  reps: number
  flag: number
  leech: boolean
  difficulty: number | null
  stability: number | null
  /** Probability of recall now (0-1); null for a new card. */
  retrievability: number | null
  reviews: CardInfoReview[]
  /** The forgetting curve from the last review: recall probability after `days`. */
  curve: { days: number; retrievability: number }[]
  /** Where the card is due on that curve (days after the last review). */
  dueAfterDays: number | null
}

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
  flag: number
  /** FSRS difficulty (1-10), stability (days) and recall probability now (0-1); null for new cards. */
  difficulty: number | null
  stability: number | null
  retrievability: number | null
}

export interface CardDetail extends BrowseRow {
  back: string
  noteId: string | null
  clozeOrdinal: number | null
  origin: 'content' | 'user' | 'import'
  /** The newer shipped text, kept beside the user's edit. */
  shipped: { front: string; back: string; tags: string[] } | null
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
  /** Cards tagged `leech`, most lapses first (at most 100). */
  leeches: { id: string; deckId: string; front: string; lapses: number; suspended: boolean }[]
  totals: { answers: number; passed: number; studyDays: number; streak: number }
}

export { type QuizType }

/** An interview to plan for: its date (local, YYYY-MM-DD), the decks that matter (none: all) and the recall wanted on the day. */
export interface InterviewPlan {
  date: string
  deckIds: string[]
  target: number
}

export interface InterviewForecastDay {
  /** The study day (YYYY-MM-DD). */
  date: string
  answers: number
  reviews: number
  newCards: number
}

/** What following the plan takes (see scheduler/interview-plan.ts), for a learner who recalls every card. */
export interface InterviewForecast {
  daysLeft: number
  cards: number
  days: InterviewForecastDay[]
  predictedRecall: number
  recallIfIdle: number
  peakAnswers: number
  peakReviews: number
  warnings: string[]
}

export interface InterviewView {
  plan: InterviewPlan | null
  /** Null without a plan, or once the interview day has begun (normal scheduling again). */
  forecast: InterviewForecast | null
}
