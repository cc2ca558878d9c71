// How a delimited text file is laid out, before its rows are read: Anki's "Notes in Plain Text"
// header lines, the separator, whether cells are HTML, and what each column holds.
//
// Anki's header (rslib/src/import_export/text/csv/metadata.rs, checked against its source):
// the file may open with a legacy `tags:…` line, then lines starting with `#`; `#key:value`
// sets an option (key trimmed, any case), a `#` line without `:` is a comment. Keys:
// `separator` (comma, semicolon, tab, space, pipe, colon, or the character itself), `html`
// (true/false), `tags` (added to every note), `columns` (the column names, split with the
// separator), `deck` and `notetype` (one for the whole file), and `deck column`, `notetype
// column`, `tags column`, `guid column` (1-based). Its export writes `#separator:tab`,
// `#html:…`, then `#guid column:1`, `#notetype column:2`, `#deck column:3`, `#tags column:N`.
import type { ColumnRole } from '../../shared/imports'

export type Separator = 'tab' | 'comma' | 'semicolon' | 'pipe' | 'space' | 'colon'

export const SEPARATOR_CHAR: Record<Separator, string> = {
  tab: '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
  space: ' ',
  colon: ':'
}

/** Options read from Anki's header lines. */
export interface AnkiHeader {
  /** Lines the header takes (the data starts on the line after). */
  lineCount: number
  separator?: Separator
  html?: boolean
  globalTags: string[]
  columnNames?: string[]
  deck?: string
  /** 1-based columns. */
  deckColumn?: number
  notetypeColumn?: number
  tagsColumn?: number
  guidColumn?: number
  notetype?: string
  /** Whether any Anki header line was present. */
  present: boolean
}

function separatorOf(value: string): Separator | undefined {
  const name = value.trim().toLowerCase()
  for (const [sep, char] of Object.entries(SEPARATOR_CHAR) as [Separator, string][]) {
    if (name === sep || value === char) return sep
  }
  return undefined
}

const column = (value: string): number | undefined => {
  const n = Number(value.trim())
  return Number.isInteger(n) && n > 0 ? n : undefined
}

const KNOWN_KEYS = new Set([
  'separator',
  'html',
  'tags',
  'columns',
  'deck',
  'notetype',
  'deck column',
  'notetype column',
  'tags column',
  'guid column'
])

/** Reads the header lines at the top of `lines` (Anki ignores a bad value; so do we). */
export function readAnkiHeader(lines: string[]): AnkiHeader {
  const header: AnkiHeader = { lineCount: 0, globalTags: [], present: false }
  const values: [string, string][] = []
  let index = 0
  if (lines[0]?.startsWith('tags:')) {
    header.globalTags = lines[0].slice(5).split(/\s+/).filter(Boolean)
    header.present = true
    index = 1
  }
  for (; index < lines.length && lines[index]!.startsWith('#'); index++) {
    const line = lines[index]!.replace(/\r$/, '')
    const colon = line.indexOf(':')
    if (colon > 0) values.push([line.slice(1, colon).trim().toLowerCase(), line.slice(colon + 1)])
  }
  header.lineCount = index
  let columnsRaw: string | undefined
  for (const [key, value] of values) {
    if (KNOWN_KEYS.has(key)) header.present = true
    switch (key) {
      case 'separator':
        header.separator = separatorOf(value) ?? header.separator
        break
      case 'html':
        if (/^\s*(true|false)\s*$/i.test(value)) header.html = value.trim().toLowerCase() === 'true'
        break
      case 'tags':
        header.globalTags = value.split(/\s+/).filter(Boolean)
        break
      case 'columns':
        columnsRaw = value
        break
      case 'deck':
        header.deck = value.trim()
        break
      case 'notetype':
        header.notetype = value.trim()
        break
      case 'deck column':
        header.deckColumn = column(value)
        break
      case 'notetype column':
        header.notetypeColumn = column(value)
        break
      case 'tags column':
        header.tagsColumn = column(value)
        break
      case 'guid column':
        header.guidColumn = column(value)
        break
    }
  }
  // `columns` is split once the separator is known (it may come later in the header).
  if (columnsRaw !== undefined) {
    header.columnNames = columnsRaw.split(SEPARATOR_CHAR[header.separator ?? 'tab']).map((n) => n.trim())
  }
  return header
}

/** True when the text opens with an Anki header line that sets a known option. */
export function hasAnkiHeader(text: string): boolean {
  const lines = text.slice(0, 4096).split('\n')
  return readAnkiHeader(lines).present
}

/**
 * The separator of data lines: the candidate found on every one of the first lines the same
 * number of times (outside quotes), tab first; `preferred` (from the file extension) breaks ties.
 */
export function detectSeparator(lines: string[], preferred?: Separator): Separator | null {
  const sample = lines.filter((l) => l.trim().length > 0).slice(0, 20)
  if (sample.length === 0) return null
  const order: Separator[] = ['tab', 'comma', 'semicolon', 'pipe']
  if (preferred) order.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0))
  const consistent = order.filter((sep) => {
    const counts = sample.map((line) => countOutsideQuotes(line, SEPARATOR_CHAR[sep]))
    return counts[0]! > 0 && counts.filter((c) => c === counts[0]).length >= Math.ceil(sample.length * 0.8)
  })
  if (consistent.length > 0) return consistent[0]!
  // Multi-line quoted cells break the per-line count; fall back to any candidate present.
  return order.find((sep) => sample.some((line) => line.includes(SEPARATOR_CHAR[sep]))) ?? null
}

function countOutsideQuotes(line: string, char: string): number {
  let count = 0
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === char && !quoted) count++
  }
  return count
}

/** Tags Anki's editor writes; a cell holding one is HTML (a bare `<` in code is not). */
const HTML_TAG =
  /<\/?(?:br|div|p|b|i|u|em|strong|span|img|ul|ol|li|a|code|pre|table|tr|td|th|sup|sub|hr|h[1-6]|font)\b[^>]*>|&(?:nbsp|amp|lt|gt|quot);/i

export function looksLikeHtml(cells: string[]): boolean {
  return cells.some((cell) => HTML_TAG.test(cell))
}

/** Column names a header row uses for each role (lowercase). */
const ROLE_NAMES: Record<Exclude<ColumnRole, 'ignore'>, string[]> = {
  front: ['front', 'question', 'term', 'q', 'prompt', 'text'],
  back: ['back', 'answer', 'definition', 'a', 'back extra', 'extra'],
  tags: ['tags', 'tag'],
  deck: ['deck']
}

/** The role a header names, or null for a name we do not know. */
export function roleByName(name: string): ColumnRole | null {
  const key = name.trim().toLowerCase()
  for (const [role, names] of Object.entries(ROLE_NAMES) as [ColumnRole, string[]][]) {
    if (names.includes(key)) return role
  }
  if (key === 'guid' || key === 'notetype' || key === 'note type') return 'ignore'
  return null
}

/** Longest cell a header row may hold (characters): names, not sentences. */
const HEADER_CELL_MAX = 40

/** Whether a first row reads as column names: it names a front or back, and every cell is short. */
export function isHeaderRow(cells: string[]): boolean {
  return (
    cells.some((c) => ['front', 'back'].includes(roleByName(c) ?? '')) &&
    cells.every((c) => c.trim().length <= HEADER_CELL_MAX && !/[?.!]\s*$/.test(c.trim()))
  )
}

/**
 * Roles for every column: header names first, then Anki's header (deck, tags, guid and note
 * type columns), then position: the first free column is the front, every other one the back
 * (so the extra fields of a custom note type are kept, labelled, rather than lost).
 */
export function defaultRoles(width: number, names: string[] | null, anki: AnkiHeader): ColumnRole[] {
  const roles: (ColumnRole | null)[] = Array.from({ length: width }, (_, i) =>
    names ? roleByName(names[i] ?? '') : null
  )
  const set = (col: number | undefined, role: ColumnRole) => {
    if (col !== undefined && col <= width) roles[col - 1] = role
  }
  set(anki.deckColumn, 'deck')
  set(anki.tagsColumn, 'tags')
  set(anki.guidColumn, 'ignore')
  set(anki.notetypeColumn, 'ignore')
  let hasFront = roles.includes('front')
  return roles.map((role) => {
    if (role) return role
    if (!hasFront) {
      hasFront = true
      return 'front'
    }
    return 'back'
  })
}
