// A folder of markdown files that is not laid out like content/ (an interview-question
// repository as cloned): every markdown file in it, at any depth, read as a single file would be
// (markdown/index.ts picks each file's layout), each into its own deck titled with its path:
// `Repository::Part I::1.Networking Terminology`; files that each hold one question share their
// folder's deck (`Repository::questions::networking`). The walk stays inside the folder and within the
// import limits (content/confined-read.ts); hidden folders (.git) and node_modules are not walked.
// What is not imported is named: files skipped by the limits, and other files by extension.
import { basename, dirname, extname, join } from 'node:path'
import { ContentError } from '../../shared/errors'
import { confinedFolder, IMPORT_READ_LIMITS, listNames } from '../content/confined-read'
import { attachLocalImages } from './local-images'
import { parseMarkdown } from './markdown'
import { detectLayout } from './markdown/detect'
import { emptyPlan, type ImportPlan, type ImportWarning } from './types'

const MARKDOWN = new Set(['.md', '.markdown'])
/** Folders a repository keeps that hold no questions. */
const NOT_WALKED = (name: string) => name.startsWith('.') || name === 'node_modules'
/** Most markdown files one folder import reads. */
export const MAX_FOLDER_FILES = 2000

export interface MarkdownFolderContext {
  /** The folder's name, as shown. */
  file: string
  /** The top of every deck's title (the folder's name without it). */
  deckName?: string
  onProgress?: (fraction: number) => void
}

export function parseMarkdownFolder(dir: string, ctx: MarkdownFolderContext): ImportPlan {
  const folder = confinedFolder(dir, IMPORT_READ_LIMITS)
  const plan = emptyPlan('markdown', ctx.file)
  const files: string[] = []
  const others = new Map<string, number>()
  const walk = (rel: string) => {
    for (const name of listNames(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name
      const found = folder.kind(join(dir, path))
      if ('skipped' in found) {
        if (MARKDOWN.has(extname(name).toLowerCase()))
          plan.warnings.push({ line: 1, message: `${path} ${found.skipped}; not imported` })
        continue
      }
      if (found.kind === 'directory') {
        if (!NOT_WALKED(name)) walk(path)
      } else if (MARKDOWN.has(extname(name).toLowerCase())) files.push(path)
      else others.set(extname(name).toLowerCase() || name, (others.get(extname(name).toLowerCase() || name) ?? 0) + 1)
    }
  }
  walk('')
  if (files.length === 0)
    throw new ContentError(
      ctx.file,
      1,
      'the folder holds no markdown files, and is not laid out like content/ (a `decks/` folder with one folder per deck)'
    )
  if (files.length > MAX_FOLDER_FILES)
    throw new ContentError(
      ctx.file,
      1,
      `the folder holds ${files.length} markdown files; import at most ${MAX_FOLDER_FILES} at a time`
    )

  const top = ctx.deckName?.trim() || ctx.file
  const layouts = new Map<string, number>()
  const mediaSeen = new Set<string>()
  files.forEach((path, index) => {
    ctx.onProgress?.(index / files.length)
    const read = folder.read(join(dir, path))
    if ('skipped' in read) {
      plan.warnings.push({ line: 1, message: `${path} ${read.skipped}; not imported` })
      return
    }
    const text = read.bytes.toString('utf8')
    // A file of questions is a deck of its own; one-question files share their folder's deck.
    const folders = dirname(path)
      .split('/')
      .filter((p) => p !== '.')
    const name = basename(path, extname(path))
    const deckName = [top, ...folders, ...(detectLayout(text)?.kind === 'file' ? [] : [name])].join('::')
    let part: ImportPlan
    try {
      part = parseMarkdown(text, {
        file: path,
        deckName,
        fallbackName: basename(path, extname(path))
      })
    } catch (error) {
      if (!(error instanceof ContentError)) throw error
      plan.warnings.push({ line: error.line, message: `${error.message}; not imported` })
      return
    }
    plan.warnings.push(...part.warnings.map((w) => ({ ...w, message: `${path}: ${w.message}` })))
    // A file with nothing to import (a README of links) makes no deck; its warning says why.
    if (part.cards.length + part.notes.length + part.quizItems.length === 0) return
    const warned = part.warnings.length
    attachLocalImages(part, join(dir, dirname(path)))
    if (part.layout) layouts.set(part.layout, (layouts.get(part.layout) ?? 0) + 1)
    for (const deck of part.decks) if (!plan.decks.some((d) => d.id === deck.id)) plan.decks.push(deck)
    plan.notes.push(...part.notes.map((n) => ({ ...n, file: path })))
    plan.cards.push(...part.cards.map((c) => ({ ...c, file: path })))
    plan.quizItems.push(...part.quizItems.map((q) => ({ ...q, file: path })))
    plan.warnings.push(...part.warnings.slice(warned).map((w) => ({ ...w, message: `${path}: ${w.message}` })))
    for (const media of part.media ?? []) {
      if (mediaSeen.has(`${media.sha256}.${media.ext}`)) continue
      mediaSeen.add(`${media.sha256}.${media.ext}`)
      ;(plan.media ??= []).push(media)
    }
  })
  plan.warnings = groupRepeats(plan.warnings)
  if (others.size > 0) {
    const list = [...others].map(([ext, n]) => `${n} ${ext}`).join(', ')
    plan.warnings.push({
      line: 1,
      message: `files that are not markdown were not imported (${list}); images a card shows come along`
    })
  }
  const kinds = [...layouts].map(([layout, n]) => `${layout} ×${n}`).join(', ')
  plan.layout = `folder of ${files.length} markdown file${files.length === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''}`
  ctx.onProgress?.(1)
  return plan
}

/** The same warning from more files than this is said once, with the count and the first files. */
const REPEATS_GROUPED = 3

/**
 * Warnings said the same way about many files (a question bank whose every file has the same
 * frontmatter) become one each: "in 1,100 files: …", naming the first three files.
 */
function groupRepeats(warnings: ImportWarning[]): ImportWarning[] {
  const byMessage = new Map<string, { paths: string[]; first: ImportWarning }>()
  for (const warning of warnings) {
    const at = warning.message.indexOf(': ')
    const rest = at > 0 ? warning.message.slice(at + 2) : warning.message
    const group = byMessage.get(rest)
    if (group) group.paths.push(warning.message.slice(0, at))
    else byMessage.set(rest, { paths: [warning.message.slice(0, Math.max(at, 0))], first: warning })
  }
  const out: ImportWarning[] = []
  for (const warning of warnings) {
    const at = warning.message.indexOf(': ')
    const group = byMessage.get(at > 0 ? warning.message.slice(at + 2) : warning.message)!
    if (group.paths.length <= REPEATS_GROUPED) out.push(warning)
    else if (group.first === warning) {
      const named = group.paths.slice(0, 3).join(', ')
      const message = at > 0 ? warning.message.slice(at + 2) : warning.message
      out.push({ line: 1, message: `in ${group.paths.length} files (${named}, …): ${message}` })
    }
  }
  return out
}
