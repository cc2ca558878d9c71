// What an import produces before it touches the store, and what it reports.
import type { QuizItemFields } from '../content/types'
import type { ImportedReview, ImportedSchedule } from './anki/schedule'

export type { ImportFormat, ImportPreviewItem, ImportSummary, ImportWarning } from '../../shared/imports'
import type { ImportFormat, ImportWarning, TableOptions, TableShape } from '../../shared/imports'

export interface ImportOptions {
  /** Deck name to import into (picked or created); its id is a plain-name slug of it. */
  deck?: string
  /** Milliseconds since the epoch. */
  now: number
  /** Where media files are stored (content-addressed); without it, media is counted but not written. */
  mediaDir?: string
  /** The hour a study day starts (imported review history is counted by study day); default 4. */
  dayStartHour?: number
  /** Called with a fraction 0..1 as a large file is read and written. */
  onProgress?: (fraction: number, message: string) => void
  /** How a CSV/TSV file's columns are read (the preview's mapping step, `--columns`). */
  table?: TableOptions
}

export interface PlannedDeck {
  id: string
  title: string
  description: string
}

export interface PlannedNote {
  id: string
  deckId: string
  title: string
  body: string
  tags: string[]
  /** The file inside an imported folder the row came from (else the plan's sourceFile). */
  file?: string
  line: number
  /** Last source line the note came from, when it spans several. */
  endLine?: number
  incomplete?: boolean
}

export interface PlannedCard {
  id: string
  deckId: string
  noteId: string | null
  kind: 'basic' | 'cloze'
  clozeOrdinal: number | null
  front: string
  back: string
  tags: string[]
  drills: string[]
  /** The file inside an imported folder the row came from (else the plan's sourceFile). */
  file?: string
  line: number
  /** Last source line the card came from, when it spans several. */
  endLine?: number
  incomplete?: boolean
  /** Scheduling state carried over from another app (an Anki package). */
  schedule?: ImportedSchedule
  /** Review history carried over, oldest first. */
  reviews?: ImportedReview[]
}

/** A media file to store content-addressed (`<sha256>.<ext>` in the data folder's media/). */
export interface PlannedMedia {
  sha256: string
  ext: string
  bytes: Uint8Array
}

export interface PlannedQuizItem extends QuizItemFields {
  /** The file inside an imported folder the row came from (else the plan's sourceFile). */
  file?: string
  line: number
}

/** Everything one file would put in the collection, in file order. */
/** A plan with nothing in it yet, for a parser to fill. */
export function emptyPlan(format: ImportFormat, sourceFile: string): ImportPlan {
  return { format, sourceFile, decks: [], notes: [], cards: [], quizItems: [], warnings: [] }
}

export interface ImportPlan {
  format: ImportFormat
  /** File name recorded as each row's source_file. */
  sourceFile: string
  decks: PlannedDeck[]
  notes: PlannedNote[]
  cards: PlannedCard[]
  quizItems: PlannedQuizItem[]
  warnings: ImportWarning[]
  media?: PlannedMedia[]
  /** For markdown: the layout recognised. */
  layout?: string
  /** For CSV/TSV: how the file was read. */
  table?: TableShape
  /** For markdown: lines that became the deck's title or description, a tag, or were left out by name. */
  structure?: { from: number; to: number; as: 'deck' | 'tag' | 'meta' }[]
}
