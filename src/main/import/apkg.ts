// Anki packages exported with "Support older Anki versions": a zip holding a SQLite collection
// (`collection.anki21`, or `collection.anki2` from older Anki). Notes' fields are HTML separated
// by \x1f; each note type in `col.models` says whether it is Basic-like (type 0) or Cloze (1).
import Database from 'better-sqlite3'
import { unzipSync } from 'fflate'
import { clozeOrdinals } from '../../shared/cloze'
import { ContentError } from '../../shared/errors'
import { htmlToMarkdown } from './html-to-markdown'
import { normalizeTagList, slugify, stableId } from './ids'
import type { ImportPlan } from './types'

export interface ApkgContext {
  file: string
  deckName?: string
  fallbackName: string
  onProgress?: (fraction: number) => void
}

interface AnkiModel {
  name: string
  /** 0 standard (Basic and friends), 1 cloze. */
  type: number
}

interface AnkiNote {
  id: number
  guid: string
  mid: number
  tags: string
  flds: string
}

const COLLECTIONS = ['collection.anki21', 'collection.anki2'] as const
/** Largest collection we unpack (bytes): a text-only collection this big is far beyond any deck; a zip bomb is not. */
const MAX_COLLECTION_BYTES = 512 * 1024 * 1024
/** Report progress every this many notes. */
const PROGRESS_NOTES = 500

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06)
}

function unzipCollection(bytes: Uint8Array, file: string): Uint8Array {
  let entries: Record<string, Uint8Array>
  let oversized = false
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        if (!entry.name.startsWith('collection.anki')) return false
        if (entry.originalSize > MAX_COLLECTION_BYTES) oversized = true
        return !oversized
      }
    })
  } catch (error) {
    throw new ContentError(file, 1, `the package is damaged or truncated: it cannot be read as a zip (${(error as Error).message})`)
  }
  if (oversized) throw new ContentError(file, 1, `the collection inside the package unpacks to more than ${MAX_COLLECTION_BYTES / 1024 / 1024} MB`)
  for (const name of COLLECTIONS) {
    const entry = entries[name]
    if (entry) return entry
  }
  if (entries['collection.anki21b']) {
    throw new ContentError(file, 1, 'this package uses the newest Anki format; export it again with "Support older Anki versions" ticked')
  }
  throw new ContentError(file, 1, 'not an Anki package: the zip holds no collection.anki2 or collection.anki21')
}

function openCollection(bytes: Uint8Array, file: string): Database.Database {
  try {
    const db = new Database(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    db.prepare('SELECT count(*) FROM notes').get()
    return db
  } catch (error) {
    throw new ContentError(file, 1, `the collection inside the package is not a readable Anki database (${(error as Error).message})`)
  }
}

/** A JSON object keyed by id; anything else (null, a list, a number) is refused as damage. */
function readJson<T>(text: unknown, file: string, what: string): Record<string, T | undefined> {
  let value: unknown
  try {
    value = JSON.parse(typeof text === 'string' && text ? text : '{}')
  } catch {
    throw new ContentError(file, 1, `the package's ${what} are not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ContentError(file, 1, `the package's ${what} are not a JSON object`)
  }
  return value as Record<string, T | undefined>
}

/** SQLite columns hold any type whatever the schema says; Anki writes text, a crafted file may not. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  return String(value)
}

export function parseApkg(bytes: Uint8Array, ctx: ApkgContext): ImportPlan {
  const anki = openCollection(unzipCollection(bytes, ctx.file), ctx.file)
  try {
    return readCollection(anki, ctx)
  } catch (error) {
    // A collection missing tables or columns Anki always writes; anything else is our bug.
    if (!(error instanceof Database.SqliteError)) throw error
    throw new ContentError(ctx.file, 1, `the collection inside the package could not be read (${(error as Error).message})`)
  } finally {
    anki.close()
  }
}

function readCollection(anki: Database.Database, ctx: ApkgContext): ImportPlan {
  const col = anki.prepare('SELECT models, decks FROM col').get() as { models: unknown; decks: unknown } | undefined
  const models = readJson<Partial<AnkiModel> | null>(col?.models, ctx.file, 'note types')
  const ankiDecks = readJson<{ name?: unknown } | null>(col?.decks, ctx.file, 'decks')
  const notes = (anki.prepare('SELECT id, guid, mid, tags, flds FROM notes ORDER BY id').all() as Record<keyof AnkiNote, unknown>[]).map(
    (row): AnkiNote => ({ id: Number(row.id), guid: asText(row.guid), mid: Number(row.mid), tags: asText(row.tags), flds: asText(row.flds) })
  )
  const deckCounts = anki.prepare('SELECT did, count(*) AS n FROM cards GROUP BY did ORDER BY n DESC, did').all() as { did: unknown; n: number }[]

  const usedDeck = deckCounts
    .map((d) => ankiDecks[String(d.did)]?.name)
    .find((name): name is string => typeof name === 'string' && name.length > 0 && name !== 'Default')
  const deckTitle = ctx.deckName?.trim() || usedDeck?.replace(/\x1f/g, '::') || ctx.fallbackName
  const deckId = slugify(deckTitle)
  const plan: ImportPlan = { format: 'apkg', sourceFile: ctx.file, decks: [{ id: deckId, title: deckTitle, description: '' }], notes: [], cards: [], quizItems: [], warnings: [] }
  let droppedMedia = 0

  notes.forEach((note, index) => {
    // An .apkg has no lines; warnings count notes instead (1-based, in creation order).
    const line = index + 1
    if (ctx.onProgress && index % PROGRESS_NOTES === 0) ctx.onProgress(index / notes.length)
    const found = models[String(note.mid)]
    const model = typeof found === 'object' && found !== null ? { name: asText(found.name), type: found.type } : null
    if (!model) {
      plan.warnings.push({ line, message: `note ${line} uses a note type missing from the package; skipped` })
      return
    }
    const fields = note.flds.split('\x1f').map((html) => {
      const converted = htmlToMarkdown(html)
      droppedMedia += converted.droppedMedia
      return converted.markdown
    })
    const tags = normalizeTagList(note.tags.split(/\s+/))
    const base = stableId(deckId, 'anki', note.guid)
    const front = fields[0] ?? ''
    if (front.length === 0) {
      plan.warnings.push({ line, message: `note ${line} (${model.name}) has an empty first field; skipped` })
      return
    }
    if (model.type === 1) {
      const ordinals = clozeOrdinals(front)
      if (ordinals.length === 0) {
        plan.warnings.push({ line, message: `note ${line} is a cloze note without any {{c1::...}} deletion; skipped` })
        return
      }
      const back = fields[1] ?? ''
      for (const ordinal of ordinals) {
        plan.cards.push({ id: `${base}#c${ordinal}`, deckId, noteId: null, kind: 'cloze', clozeOrdinal: ordinal, front, back, tags, drills: [], line })
      }
      return
    }
    const back = fields.slice(1).filter((f) => f.length > 0).join('\n\n')
    if (back.length === 0) {
      plan.warnings.push({ line, message: `note ${line} (${model.name}) has no answer in its other fields; skipped` })
      return
    }
    plan.cards.push({ id: base, deckId, noteId: null, kind: 'basic', clozeOrdinal: null, front, back, tags, drills: [], line })
  })
  if (droppedMedia > 0) {
    plan.warnings.push({ line: 1, message: `${droppedMedia} media reference${droppedMedia === 1 ? '' : 's'} (images, sounds) skipped: Retransmit cards are text only` })
  }
  ctx.onProgress?.(1)
  return plan
}
