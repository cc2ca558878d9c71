// Importing files into the collection and exporting it as content files. previewImport is the
// dry run (it never writes); runImport writes everything in one transaction or nothing.
import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import type { Db } from '../store/db'
import { recordUndoable } from '../study/undo'
import { parseApkg } from './apkg'
import { applyPlan, type ApplyResult } from './apply'
import { storeMedia } from './media-files'
import { parseContentFolder, parseTopicImport } from './content'
import { parseCsv } from './csv'
import { parseMarkdown } from './markdown'
import { parseMarkdownFolder } from './markdown-folder'
import { attachLocalImages } from './local-images'
import { readInput, type ImportInput } from './read-input'
import type { ImportOptions, ImportPlan, ImportPreviewItem, ImportSummary } from './types'

export { exportCollection, type ExportOptions, type ExportResult } from './export'
export { MAX_IMPORT_BYTES } from './read-input'
export type { ImportFormat, ImportOptions, ImportPreviewItem, ImportSummary, ImportWarning } from './types'

/** Parsing takes this share of the progress bar; comparing and writing take the rest. */
const PARSE_SHARE = 0.5

/** Lets a progress listener (an IPC send, a terminal redraw) run between phases. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

function planFor(input: ImportInput, options: ImportOptions): ImportPlan {
  const onProgress =
    options.onProgress && ((fraction: number) => options.onProgress!(fraction * PARSE_SHARE, `reading ${input.name}`))
  const deckName = options.deck
  const fallbackName = basename(input.name, extname(input.name))
  switch (input.kind) {
    case 'folder':
      // A folder like content/ (decks/<deck>/…) is content; any other, its markdown files.
      return existsSync(join(input.path, 'decks'))
        ? parseContentFolder(input.path, { file: input.name, deckName })
        : parseMarkdownFolder(input.path, { file: input.name, deckName, onProgress })
    case 'zip':
      return parseApkg(input.bytes, { file: input.name, deckName, fallbackName, onProgress })
    case 'text':
      switch (input.format) {
        case 'content':
          return parseTopicImport(input.path, input.text, { file: input.name, deckName })
        case 'csv':
          return parseCsv(input.text, {
            file: input.name,
            deckName,
            fallbackName,
            onProgress,
            extension: extname(input.name).toLowerCase(),
            ...(options.table ? { table: options.table } : {})
          })
        case 'markdown':
        case 'guide':
          return parseMarkdown(input.text, { file: input.name, deckName, fallbackName, onProgress })
      }
  }
}

async function readPlan(filePath: string, options: ImportOptions): Promise<ImportPlan> {
  options.onProgress?.(0, `reading ${basename(filePath)}`)
  await yieldToEventLoop()
  const input = readInput(filePath)
  const plan = planFor(input, options)
  // Images beside a markdown file come along (from its own folder only; see local-images.ts).
  if (input.kind === 'text' && input.format !== 'csv') attachLocalImages(plan, dirname(input.path))
  options.onProgress?.(PARSE_SHARE, `read ${plan.notes.length + plan.cards.length + plan.quizItems.length} items`)
  await yieldToEventLoop()
  return plan
}

/** C0 and C1 control characters other than tab and newline (ESC starts terminal escape sequences). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Warnings quote the file (a question's title, an Anki note type's name) and the CLI prints
 * them to a terminal: control characters are shown as \u{…} so a crafted file cannot send
 * escape sequences (retitle the window, write the clipboard with OSC 52, hide text).
 */
function printable(message: string): string {
  return message.replace(CONTROL, (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`)
}

function summaryOf(plan: ImportPlan, applied: ApplyResult): ImportSummary {
  return {
    deck: plan.decks.map((d) => d.id).join(', '),
    format: plan.format,
    ...(plan.layout ? { layout: plan.layout } : {}),
    ...(plan.table ? { table: plan.table } : {}),
    created: applied.created,
    updated: applied.updated,
    unchanged: applied.unchanged,
    ...(plan.format === 'apkg' ? { reviews: applied.reviews } : {}),
    ...(plan.format === 'apkg' || plan.media?.length ? { media: plan.media?.length ?? 0 } : {}),
    warnings: [...plan.warnings, ...applied.warnings]
      .sort((a, b) => a.line - b.line || (a.endLine ?? a.line) - (b.endLine ?? b.line))
      .map((w) => ({ ...w, message: printable(w.message) }))
  }
}

function applyOptions(options: ImportOptions) {
  return { now: options.now, ...(options.dayStartHour === undefined ? {} : { dayStartHour: options.dayStartHour }) }
}

function writeProgress(options: ImportOptions, verb: string) {
  return (
    options.onProgress && ((fraction: number) => options.onProgress!(PARSE_SHARE + fraction * (1 - PARSE_SHARE), verb))
  )
}

/** What an import would create, update or leave unchanged. Writes nothing. */
export async function previewImport(
  db: Db,
  filePath: string,
  options: ImportOptions
): Promise<ImportSummary & { items: ImportPreviewItem[] }> {
  const plan = await readPlan(filePath, options)
  const applied = applyPlan(db, plan, {
    ...applyOptions(options),
    write: false,
    onProgress: writeProgress(options, 'comparing')
  })
  options.onProgress?.(1, 'done')
  return { ...summaryOf(plan, applied), items: applied.items }
}

/** Imports a file or content folder in one transaction: everything is written, or nothing. */
export async function runImport(db: Db, filePath: string, options: ImportOptions): Promise<ImportSummary> {
  const plan = await readPlan(filePath, options)
  // Media first: content-addressed files are harmless if the transaction then fails, and
  // a card must never point at an image that is not there.
  if (plan.media?.length) {
    if (!options.mediaDir) throw new Error('runImport: a plan with media needs options.mediaDir')
    storeMedia(options.mediaDir, plan.media)
  }
  const applied = recordUndoable(db, `Import ${basename(filePath)}`, () =>
    applyPlan(db, plan, { ...applyOptions(options), write: true, onProgress: writeProgress(options, 'writing') })
  )
  options.onProgress?.(1, 'done')
  return summaryOf(plan, applied)
}
