// Delimited text: CSV, TSV (Quizlet's export), and Anki's "Notes in Plain Text" export with its
// header lines (see table-format.ts). RFC 4180 quoting (separators and newlines inside quoted
// cells). Each column gets a role (front, back, tags, deck, ignore): from the preview's mapping
// step or `--columns`, else from the header's names, Anki's header, and position. A front with
// `{{c1::...}}` deletions becomes cloze cards; HTML cells become markdown as in an Anki package.
import { clozeOrdinals } from '../../shared/cloze'
import { ContentError, ValidationError } from '../../shared/errors'
import type { ColumnRole, TableOptions, TableShape } from '../../shared/imports'
import { lazyModule } from '../lazy-module'
import { htmlToMarkdown } from './html-to-markdown'
import { keyDeduper, normalizeKey, normalizeTagList, slugify, stableId } from './ids'
import {
  defaultRoles,
  detectSeparator,
  hasAnkiHeader,
  isHeaderRow,
  looksLikeHtml,
  readAnkiHeader,
  SEPARATOR_CHAR,
  type Separator
} from './table-format'
import { emptyPlan, type ImportPlan, type ImportWarning, type PlannedCard, type PlannedDeck } from './types'

export interface CsvContext {
  file: string
  deckName?: string
  fallbackName: string
  /** The file's extension, lowercase with the dot: `.tsv` prefers tabs, `.csv` commas. */
  extension?: string
  table?: TableOptions
  onProgress?: (fraction: number) => void
}

/** Report progress every this many records. */
const PROGRESS_RECORDS = 500
/** Rows the mapping step shows, and characters per cell. */
const SAMPLE_ROWS = 5
const SAMPLE_CELL_CHARS = 80

/** The first line's cells, lowercased, if it could be a comma-separated header. */
export function csvHeader(text: string): string[] {
  const first = text.split('\n').find((line) => line.trim().length > 0) ?? ''
  return first.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').trim().toLowerCase())
}

/** A comma-separated file with a `front,back` header (the format we wrote first). */
export function looksLikeCsv(text: string): boolean {
  const header = csvHeader(text)
  return header.includes('front') && header.includes('back')
}

/**
 * Delimited text without a `front,back` header: Anki's header lines, or (for .csv, .tsv and
 * .txt files) lines that split the same way on one separator.
 */
export function looksLikeTable(text: string, extension: string): boolean {
  if (extension === '.md' || extension === '.markdown') return false
  if (hasAnkiHeader(text)) return true
  if (!['.csv', '.tsv', '.txt', '.tab'].includes(extension)) return false
  const lines = text.slice(0, 16_384).split('\n')
  const sep = detectSeparator(lines, extension === '.csv' ? 'comma' : 'tab')
  if (!sep) return false
  return extension !== '.txt' || sep === 'tab'
}

interface CsvRecord {
  record: string[]
  info: { lines: number }
}

const csvParser = lazyModule<typeof import('csv-parse/sync')>('csv-parse/sync')

function readRecords(body: string, separator: Separator, file: string, lineOffset: number): CsvRecord[] {
  // The parser reports where it gave up (for an unclosed quote, the end of the file); the
  // record that broke starts on the line after the last good one.
  let lastGoodLine = 0
  try {
    return csvParser().parse(body, {
      delimiter: SEPARATOR_CHAR[separator],
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      on_record: (record, context) => {
        lastGoodLine = context.lines
        return record
      }
    }) as unknown as CsvRecord[]
  } catch (error) {
    const err = error as { code?: string; message: string }
    throw new ContentError(file, lineOffset + lastGoodLine + 1, `malformed CSV: ${describeCsvError(err)}`)
  }
}

/** The roles to use: the caller's mapping (checked), or the defaults. */
function rolesFor(width: number, given: ColumnRole[] | undefined, defaults: ColumnRole[]): ColumnRole[] {
  if (!given) return defaults
  if (given.length > width) {
    throw new ValidationError(`the column mapping names ${given.length} columns; the file has ${width}`)
  }
  const roles = Array.from({ length: width }, (_, i) => given[i] ?? 'ignore')
  if (!roles.includes('front')) throw new ValidationError('the column mapping needs a front column')
  return roles
}

const clip = (cell: string) => (cell.length > SAMPLE_CELL_CHARS ? `${cell.slice(0, SAMPLE_CELL_CHARS - 1)}…` : cell)

export function parseCsv(source: string, ctx: CsvContext): ImportPlan {
  const text = source.replace(/^\uFEFF/, '')
  const lines = text.split('\n')
  const anki = readAnkiHeader(lines)
  const bodyLines = lines.slice(anki.lineCount)
  const preferred = ctx.extension === '.csv' ? 'comma' : ctx.extension ? 'tab' : undefined
  const separator = anki.separator ?? detectSeparator(bodyLines, preferred) ?? 'comma'
  const records = readRecords(bodyLines.join('\n'), separator, ctx.file, anki.lineCount)
  if (records.length === 0) throw new ContentError(ctx.file, anki.lineCount + 1, 'no rows after the header lines')

  const first = records[0]!.record
  const header = ctx.table?.header ?? (anki.columnNames ? false : isHeaderRow(first))
  const names = anki.columnNames ?? (header ? first.map((c) => c.trim()) : null)
  const width = Math.max(names?.length ?? 0, first.length)
  const roles = rolesFor(width, ctx.table?.columns, defaultRoles(width, names, anki))
  const data = header ? records.slice(1) : records
  const html = anki.html ?? looksLikeHtml(data.flatMap((r) => r.record.filter((_, i) => roles[i] !== 'ignore')))
  const label = (i: number) => names?.[i]?.trim() || `column ${i + 1}`

  const plan: ImportPlan = {
    ...emptyPlan('csv', ctx.file),
    table: tableShape(separator, header, roles, data, label, width)
  }
  const decks = new Map<string, PlannedDeck>()
  const deckFor = (name: string): string => {
    const title = name.trim() || ctx.fallbackName
    const id = slugify(title)
    if (!decks.has(id)) decks.set(id, { id, title, description: '' })
    return id
  }
  const fixedDeck = ctx.deckName?.trim() || (roles.includes('deck') ? null : anki.deck || ctx.fallbackName)
  const dedupe = keyDeduper()
  const ignoredText = new Map<number, number>()
  const cell = (value: string): string => {
    const plain = value.replace(/\r\n?/g, '\n')
    if (!html) return plain.trim()
    const converted = htmlToMarkdown(plain)
    droppedMedia += converted.droppedMedia
    return converted.markdown.trim()
  }
  let droppedMedia = 0
  let previousEnd = header ? records[0]!.info.lines : 0

  data.forEach(({ record, info }, index) => {
    const line = anki.lineCount + previousEnd + 1
    const endLine = anki.lineCount + info.lines
    previousEnd = info.lines
    if (ctx.onProgress && index % PROGRESS_RECORDS === 0) ctx.onProgress(index / data.length)
    const extra = record.slice(width).filter((c) => c.trim().length > 0)
    if (extra.length > 0) {
      throw new ContentError(
        ctx.file,
        line,
        `malformed CSV: this row has ${record.length} fields; the ${header || anki.columnNames ? 'header names' : 'first row has'} ${width} (quote cells that contain the separator)`
      )
    }
    const cells = (role: ColumnRole) =>
      roles.flatMap((r, i) => (r === role && (record[i] ?? '').trim() ? [{ i, text: cell(record[i]!) }] : []))
    roles.forEach((role, i) => {
      if (role === 'ignore' && i + 1 !== anki.guidColumn && i + 1 !== anki.notetypeColumn && record[i]?.trim())
        ignoredText.set(i, (ignoredText.get(i) ?? 0) + 1)
    })
    const front = cells('front')
      .map((c) => c.text)
      .join('\n')
    const backs = cells('back')
    const back =
      backs.length > 1 && names
        ? backs.map((c) => `**${label(c.i)}:** ${c.text}`).join('\n\n')
        : backs.map((c) => c.text).join('\n\n')
    const tags = normalizeTagList([...anki.globalTags, ...cells('tags').flatMap((c) => c.text.split(/[\s,]+/))])
    const deckId = deckFor(fixedDeck ?? cells('deck')[0]?.text ?? anki.deck ?? '')
    if (front.length === 0) {
      plan.warnings.push({ line, endLine, message: 'a row with an empty front; skipped' })
      return
    }
    const guid = anki.guidColumn ? (record[anki.guidColumn - 1] ?? '').trim() : ''
    const base = stableId(deckId, 'card', guid ? `guid:${guid}` : dedupe(normalizeKey(front)))
    const common = { deckId, noteId: null, front, back, tags, drills: [], line, endLine }
    const ordinals = clozeOrdinals(front)
    if (ordinals.length > 0) {
      for (const ordinal of ordinals)
        plan.cards.push({ ...common, id: `${base}#c${ordinal}`, kind: 'cloze', clozeOrdinal: ordinal })
      return
    }
    if (back.length === 0) {
      plan.warnings.push({ line, endLine, message: 'a row with an empty back; skipped (a card needs an answer)' })
      return
    }
    plan.cards.push({ ...common, id: base, kind: 'basic', clozeOrdinal: null } satisfies PlannedCard)
    // Anki's "Basic (and reversed card)" makes a second card, back to front (`#t2`, as from a package).
    const notetype = anki.notetypeColumn ? (record[anki.notetypeColumn - 1] ?? '') : (anki.notetype ?? '')
    if (/\band reversed\b/i.test(notetype)) {
      plan.cards.push({ ...common, id: `${base}#t2`, kind: 'basic', clozeOrdinal: null, front: back, back: front })
    }
  })
  plan.decks = [...decks.values()]
  plan.warnings.push(...columnWarnings(ignoredText, label, anki.lineCount + 1, droppedMedia))
  ctx.onProgress?.(1)
  return plan
}

function columnWarnings(
  ignored: Map<number, number>,
  label: (i: number) => string,
  line: number,
  droppedMedia: number
): ImportWarning[] {
  const warnings: ImportWarning[] = [...ignored].map(([i, rows]) => ({
    line,
    message: `column ${i + 1} ("${label(i)}") is ignored: its text in ${rows} row(s) is not imported (give it a role in the preview, or with --columns)`
  }))
  if (droppedMedia > 0)
    warnings.push({ line, message: `${droppedMedia} image(s), sound(s) or video(s) in cells are not imported` })
  return warnings
}

function tableShape(
  separator: Separator,
  header: boolean,
  columns: ColumnRole[],
  data: CsvRecord[],
  label: (i: number) => string,
  width: number
): TableShape {
  return {
    separator,
    header,
    names: Array.from({ length: width }, (_, i) => label(i)),
    columns,
    sample: data
      .slice(0, SAMPLE_ROWS)
      .map(({ record }) =>
        Array.from({ length: width }, (_, i) => clip((record[i] ?? '').replace(/\s+/g, ' ').trim()))
      ),
    rows: data.length
  }
}

function describeCsvError(err: { code?: string; message: string }): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (a `"` is missing)'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote in the middle of a field (write `""` for a quote inside a quoted field)'
    default:
      return err.message
  }
}
