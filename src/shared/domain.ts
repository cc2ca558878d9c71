// Domain shapes shared by the services and the renderer. No Node, no Electron.
import type { RecoveryInfo } from './backups'

export type CardKind = 'basic' | 'cloze' | 'drill'
export type QuizType = 'choice' | 'truefalse' | 'typein' | 'cloze' | 'order' | 'match'
export type Origin = 'content' | 'user' | 'import'

export interface DeckSummary {
  id: string
  title: string
  description: string
  notes: number
  cards: number
  quizItems: number
  drills: number
  /**
   * What the deck's Study shows now, capped by the deck's daily limits less what was studied in
   * it today: new cards, learning cards (due within 20 minutes), reviews due today, and
   * `due` = learning + review.
   */
  due: number
  new: number
  learning: number
  review: number
}

export type QuizData =
  | { type: 'choice'; options: { text: string; correct: boolean }[]; multiple: boolean }
  | { type: 'truefalse'; answer: boolean }
  /** `generator` names a kind of generated practice: the numbers are drawn per quiz and `answers` is empty. */
  | { type: 'typein'; answers: string[]; generator?: string }
  | { type: 'cloze'; text: string; blanks: { ordinal: number; answer: string }[] }
  | { type: 'order'; items: string[] }
  | { type: 'match'; pairs: { left: string; right: string }[] }

export interface SearchResult {
  id: string
  deck: string
  kind: 'card' | 'note'
  title: string
  /** Plain text with matches wrapped in [[ and ]] (the renderer turns them into <mark>). */
  snippet: string
}

export interface ContentProblem {
  file: string
  line: number
  message: string
  severity: 'error' | 'warning'
}

/** One deck of a content folder as `checkContent` counts it (drill cards are not counted as cards). */
export interface DeckContentCounts {
  id: string
  notes: number
  cards: number
  clozeCards: number
  quizItems: number
  /** Quiz items per type, e.g. { choice: 3, cloze: 1 }. */
  quizTypes: Partial<Record<QuizType, number>>
  drills: string[]
}

/** A content folder checked without writing anything. */
export interface ContentCheckReport {
  decks: DeckContentCounts[]
  problems: ContentProblem[]
}

export interface SyncReport {
  decks: number
  created: number
  updated: number
  unchanged: number
  retired: number
  restored: number
  problems: ContentProblem[]
  durationMs: number
}

export interface AppInfo {
  version: string
  door: 'electron' | 'http' | 'cli'
  dataFile: string
  schemaVersion: number
  lastSync: SyncReport | null
  /** Set when the collection file was damaged at start: only appInfo, listBackups and restoreBackup work. */
  recovery?: RecoveryInfo | null
}
