// What an import reports, for the UI and the CLI (the importers live in src/main/import).

export type ImportFormat = 'guide' | 'content' | 'csv' | 'apkg'

export interface ImportWarning {
  /** 1-based line in the imported file (1 when the problem has no line, e.g. in an .apkg). */
  line: number
  message: string
}

export interface ImportSummary {
  /** The deck id the rows went to (several ids joined by `, ` for a content folder). */
  deck: string
  format: ImportFormat
  created: number
  updated: number
  unchanged: number
  /** Answers carried over into the review log (from an Anki package). */
  reviews?: number
  /** Media files stored (images from an Anki package). */
  media?: number
  warnings: ImportWarning[]
}

export interface ImportPreviewItem {
  kind: 'note' | 'card' | 'quiz'
  id: string
  title: string
  action: 'create' | 'update' | 'unchanged'
  incomplete?: boolean
}

/** What `exportDecks` wrote. */
export interface ExportResult {
  decks: number
  files: number
}
