// What an import reports, for the UI and the CLI (the importers live in src/main/import).

/**
 * guide: markdown with numbered (or `###`) question headings; markdown: the other interview
 * layouts (`<details>` Q&A, numbered list items, Obsidian Spaced Repetition); csv: CSV, TSV and
 * Anki's "Notes in Plain Text" export.
 */
export type ImportFormat = 'guide' | 'markdown' | 'content' | 'csv' | 'apkg'

/** What a column of a CSV/TSV file becomes. */
export type ColumnRole = 'front' | 'back' | 'tags' | 'deck' | 'ignore'
export const COLUMN_ROLES: readonly ColumnRole[] = ['front', 'back', 'tags', 'deck', 'ignore']

/** How a CSV/TSV file is read: chosen in the preview's mapping step or with `--columns`. */
export interface TableOptions {
  /** One role per column, in column order; missing columns are ignored. */
  columns?: ColumnRole[]
  /** Whether the first row names the columns (default: detected). */
  header?: boolean
}

/** What the preview shows for the mapping step of a CSV/TSV file. */
export interface TableShape {
  /** `tab`, `comma`, `semicolon`, `pipe`, `space` or `colon`. */
  separator: string
  /** Whether the first row was read as column names. */
  header: boolean
  /** The header's names, or `column 1`, `column 2`, … */
  names: string[]
  /** The roles used, one per column. */
  columns: ColumnRole[]
  /** The first rows as read (cells cut to 80 characters), for the mapping step. */
  sample: string[][]
  /** Data rows in the file. */
  rows: number
}

export interface ImportWarning {
  /** 1-based line in the imported file (1 when the problem has no line, e.g. in an .apkg). */
  line: number
  /** Last line of the range the warning covers, when it covers more than one line. */
  endLine?: number
  message: string
}

export interface ImportSummary {
  /** The deck id the rows went to (several ids joined by `, ` for a content folder). */
  deck: string
  format: ImportFormat
  /** For markdown: the layout recognised (e.g. `<details> Q&A`). */
  layout?: string
  created: number
  updated: number
  unchanged: number
  /** Answers carried over into the review log (from an Anki package). */
  reviews?: number
  /** Media files stored (images from an Anki package, or beside an imported markdown file). */
  media?: number
  /** For CSV/TSV: how the file was read (the preview's mapping step). */
  table?: TableShape
  warnings: ImportWarning[]
}

export interface ImportPreviewItem {
  kind: 'note' | 'card' | 'quiz'
  id: string
  title: string
  action: 'create' | 'update' | 'unchanged'
  /** The source lines the item came from (1-based, inclusive), when the format has lines. */
  lines?: { from: number; to: number }
  incomplete?: boolean
}

/** What `exportDecks` wrote. */
export interface ExportResult {
  decks: number
  files: number
}
