// CSV cards: a header `front,back,tags` (tags optional), RFC 4180 quoting (commas and newlines
// inside quoted fields). A front with `{{c1::...}}` deletions becomes cloze cards.
import { parse } from 'csv-parse/sync'
import { clozeOrdinals } from '../../shared/cloze'
import { ContentError } from '../../shared/errors'
import { keyDeduper, normalizeKey, normalizeTagList, slugify, stableId } from './ids'
import type { ImportPlan } from './types'

export interface CsvContext {
  file: string
  deckName?: string
  fallbackName: string
  onProgress?: (fraction: number) => void
}

/** Report progress every this many records. */
const PROGRESS_RECORDS = 500

/** The header row's column names, lowercased, if the first line could be a CSV header. */
export function csvHeader(text: string): string[] {
  const first = text.split('\n').find((line) => line.trim().length > 0) ?? ''
  return first.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').trim().toLowerCase())
}

export function looksLikeCsv(text: string): boolean {
  const header = csvHeader(text)
  return header.includes('front') && header.includes('back')
}

interface CsvRecord {
  record: string[]
  info: { lines: number }
}

export function parseCsv(text: string, ctx: CsvContext): ImportPlan {
  const header = csvHeader(text)
  if (!header.includes('front') || !header.includes('back')) {
    throw new ContentError(ctx.file, 1, 'a CSV import needs a header line `front,back,tags` (tags optional)')
  }
  let records: CsvRecord[]
  // The parser reports where it gave up (for an unclosed quote, the end of the file); the
  // record that broke starts on the line after the last good one.
  let lastGoodLine = 0
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      bom: true,
      on_record: (record, context) => {
        lastGoodLine = context.lines
        return record
      }
    }) as unknown as CsvRecord[]
  } catch (error) {
    const err = error as { code?: string; message: string }
    throw new ContentError(ctx.file, lastGoodLine + 1, `malformed CSV: ${describeCsvError(err)}`)
  }
  const columns = (records[0]?.record ?? []).map((c) => c.trim().toLowerCase())
  const at = (name: string) => columns.indexOf(name)
  const [frontAt, backAt, tagsAt] = [at('front'), at('back'), at('tags')]

  const deckTitle = ctx.deckName?.trim() || ctx.fallbackName
  const deckId = slugify(deckTitle)
  const plan: ImportPlan = {
    format: 'csv',
    sourceFile: ctx.file,
    decks: [{ id: deckId, title: deckTitle, description: '' }],
    notes: [],
    cards: [],
    quizItems: [],
    warnings: []
  }
  const dedupe = keyDeduper()
  let previousEnd = records[0]?.info.lines ?? 1

  records.slice(1).forEach(({ record, info }, index) => {
    const line = previousEnd + 1
    previousEnd = info.lines
    if (ctx.onProgress && index % PROGRESS_RECORDS === 0) ctx.onProgress(index / records.length)
    const front = (record[frontAt] ?? '').replace(/\r\n?/g, '\n').trim()
    const back = (record[backAt] ?? '').replace(/\r\n?/g, '\n').trim()
    if (front.length === 0) {
      plan.warnings.push({ line, message: 'a row with an empty front; skipped' })
      return
    }
    const tags = tagsAt >= 0 ? normalizeTagList((record[tagsAt] ?? '').split(/[\s,]+/)) : []
    const base = stableId(deckId, 'card', dedupe(normalizeKey(front)))
    const ordinals = clozeOrdinals(front)
    if (ordinals.length > 0) {
      for (const ordinal of ordinals) {
        plan.cards.push({
          id: `${base}#c${ordinal}`,
          deckId,
          noteId: null,
          kind: 'cloze',
          clozeOrdinal: ordinal,
          front,
          back,
          tags,
          drills: [],
          line
        })
      }
      return
    }
    if (back.length === 0) {
      plan.warnings.push({ line, message: 'a row with an empty back; skipped (a card needs an answer)' })
      return
    }
    plan.cards.push({
      id: base,
      deckId,
      noteId: null,
      kind: 'basic',
      clozeOrdinal: null,
      front,
      back,
      tags,
      drills: [],
      line
    })
  })
  ctx.onProgress?.(1)
  return plan
}

function describeCsvError(err: { code?: string; message: string }): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (a `"` is missing)'
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return 'this row has a different number of fields than the header (quote fields that contain commas)'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote in the middle of a field (write `""` for a quote inside a quoted field)'
    default:
      return err.message
  }
}
