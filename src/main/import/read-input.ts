// Reading what the user pointed at, within limits, and telling the formats apart by their
// content (the extension is only a tie-breaker): a zip is an Anki package, frontmatter with an
// `id:` is a topic file, Anki's `#separator:` header lines or a `front,back` header is CSV (so
// are .csv/.tsv files, and .txt files split by tabs), and markdown is read for its layout.
import { readFileSync, statSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { ContentError, ValidationError } from '../../shared/errors'
import { readUtf8 } from '../content/load'
import { isZip } from './apkg'
import { looksLikeTopic } from './content'
import { looksLikeCsv, looksLikeTable } from './csv'
import { detectLayout } from './markdown/detect'
import type { ImportFormat } from './types'

/** Largest file an import accepts (bytes). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

export type ImportInput =
  | { kind: 'folder'; path: string; name: string; format: 'content' }
  | { kind: 'zip'; path: string; name: string; format: 'apkg'; bytes: Uint8Array }
  | { kind: 'text'; path: string; name: string; format: Exclude<ImportFormat, 'apkg'>; text: string }

const SQLITE_MAGIC = 'SQLite format 3\0'

export function readInput(path: string): ImportInput {
  const name = basename(path)
  let size: number
  let isDirectory: boolean
  let isFile: boolean
  try {
    const stats = statSync(path)
    size = stats.size
    isDirectory = stats.isDirectory()
    isFile = stats.isFile()
  } catch (error) {
    throw new ValidationError(`cannot open ${name} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (isDirectory) return { kind: 'folder', path, name, format: 'content' }
  if (!isFile)
    throw new ValidationError(`${name} is not a regular file (a pipe, socket or device); import a file or a folder`)
  if (size > MAX_IMPORT_BYTES) {
    throw new ValidationError(
      `${name} is ${(size / 1024 / 1024).toFixed(1)} MB; imports are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB`
    )
  }
  if (size === 0) throw new ValidationError(`${name} is empty`)
  const bytes = readFileSync(path)
  if (isZip(bytes)) return { kind: 'zip', path, name, format: 'apkg', bytes }
  const extension = extname(name).toLowerCase()
  if (extension === '.apkg')
    throw new ContentError(name, 1, 'not an Anki package: an .apkg file is a zip archive, and this one is not')
  if (bytes.subarray(0, SQLITE_MAGIC.length).toString('latin1') === SQLITE_MAGIC) {
    throw new ValidationError(`${name} is a bare SQLite database; import the .apkg package Anki exports instead`)
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new ValidationError(
      `${name} holds binary data; import a markdown guide, a topic .md file, a CSV file or an .apkg package`
    )
  }
  const read = readUtf8(path, name)
  if ('problem' in read) throw new ContentError(read.problem.file, read.problem.line, read.problem.message)
  const text = read.text
  if (looksLikeTopic(text)) return { kind: 'text', path, name, format: 'content', text }
  if (looksLikeCsv(text) || looksLikeTable(text, extension)) return { kind: 'text', path, name, format: 'csv', text }
  if (extension === '.csv' || extension === '.tsv')
    throw new ContentError(name, 1, 'no separator found: a CSV or TSV file needs a comma or tab between its columns')
  const layout = detectLayout(text)
  if (layout) return { kind: 'text', path, name, format: layout.kind === 'guide' ? 'guide' : 'markdown', text }
  throw new ValidationError(
    `cannot tell what ${name} is: expected markdown questions (numbered or \`###\` headings, \`<details>\` Q&A, numbered list items, Obsidian \`::\` cards), a topic file with frontmatter, a CSV/TSV file, Anki's plain-text export, or an Anki .apkg package`
  )
}
