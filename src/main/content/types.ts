// What the content parser produces: plain objects, before anything touches the store.
import type { ContentProblem, QuizData, QuizType } from '../../shared/domain'

export interface Located {
  /** Path relative to the content folder, with forward slashes. */
  file: string
  line: number
}

export interface ParsedDeck extends Located {
  id: string
  title: string
  description: string
  position: number
}

export interface ParsedNote extends Located {
  id: string
  deckId: string
  title: string
  body: string
  tags: string[]
}

export interface ParsedCard extends Located {
  id: string
  deckId: string
  noteId: string | null
  kind: 'basic' | 'cloze' | 'drill'
  clozeOrdinal: number | null
  front: string
  back: string
  tags: string[]
  drills: string[]
  position: number
}

/** A quiz item, wherever it was read from: a content folder, or an import (PlannedQuizItem). */
export interface QuizItemFields {
  id: string
  deckId: string
  cardId: string | null
  type: QuizType
  prompt: string
  data: QuizData
  explanation: string
  tags: string[]
  drills: string[]
}

export interface ParsedQuizItem extends QuizItemFields, Located {
  position: number
}

export interface ParsedDrill extends Located {
  id: string
  deckId: string
  title: string
  /** Everything else the runner needs is read from the folder when a drill runs. */
  meta: { difficulty: string; cards: string[]; timeLimitMs: number }
}

export interface ParsedTopic {
  note: ParsedNote | null
  cards: ParsedCard[]
  quizItems: ParsedQuizItem[]
  problems: ContentProblem[]
}

/** Everything read from a content folder. */
export interface ContentTree {
  decks: ParsedDeck[]
  notes: ParsedNote[]
  cards: ParsedCard[]
  quizItems: ParsedQuizItem[]
  drills: ParsedDrill[]
  problems: ContentProblem[]
  /** Files that had an error: what they stored before is neither changed nor retired. */
  failedFiles: Set<string>
  /** Decks whose deck.md failed: their stored contents are left alone. */
  failedDecks: Set<string>
}
