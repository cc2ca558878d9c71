// Reading an Anki collection (SQLite) into plain records, whichever schema wrote it:
// schema 11 keeps note types and decks as JSON in `col.models` / `col.decks`; schema 15 and
// later (the anki21b packages) keep them in the `notetypes`, `fields`, `templates` and `decks`
// tables, with protobuf configs.
import Database from 'better-sqlite3'
import { ContentError } from '../../../shared/errors'
import { stringField, varintField } from './protobuf'

export interface AnkiTemplate {
  ord: number
  name: string
  /** Question and answer templates (`{{Front}}`, `{{FrontSide}}<hr id=answer>{{Back}}`). */
  qfmt: string
  afmt: string
}

export interface AnkiNoteType {
  id: number
  name: string
  cloze: boolean
  fields: string[]
  templates: AnkiTemplate[]
}

export interface AnkiNote {
  id: number
  guid: string
  mid: number
  tags: string[]
  fields: string[]
}

export interface AnkiCard {
  id: number
  nid: number
  /** The card's home deck (for a card in a filtered deck, the deck it came from). */
  did: number
  ord: number
  type: number
  queue: number
  /** For a card in a filtered deck, its original due. */
  due: number
  ivl: number
  factor: number
  reps: number
  lapses: number
  left: number
  /** The card's flag (0 none, 1 red … 7 purple), from the low 3 bits of `flags`. */
  flag: number
  /** JSON: `s`, `d` (FSRS memory state) and `lrt` (last review, seconds) when Anki used FSRS. */
  data: string
}

export interface AnkiReview {
  /** Milliseconds since the epoch (the revlog id). */
  id: number
  cid: number
  ease: number
  ivl: number
  lastIvl: number
  factor: number
  /** Milliseconds spent answering. */
  time: number
  type: number
}

export interface AnkiCollection {
  /** Collection creation (seconds since the epoch): review due dates count days from it. */
  crt: number
  noteTypes: Map<number, AnkiNoteType>
  /** Deck id -> path (`['Networking', 'TCP']`). */
  decks: Map<number, string[]>
  notes: AnkiNote[]
  cards: AnkiCard[]
  reviews: AnkiReview[]
}

/** SQLite columns hold any type whatever the schema says; Anki writes text, a crafted file may not. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return String(value)
}

const asNumber = (value: unknown): number => {
  const n = Number(value)
  return Number.isFinite(n) ? n : 0
}

const asBytes = (value: unknown): Uint8Array => (value instanceof Uint8Array ? value : new Uint8Array(0))

/**
 * Anki keeps its collection in WAL mode, and packages carry the file as it is: header bytes
 * 18 and 19 (the read and write format versions) are 2. SQLite cannot open an in-memory copy
 * in WAL mode ("unable to open database file"), so they are set to 1 (rollback journal),
 * which changes nothing else about the file.
 */
function withoutWal(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (copy[18] !== 2 && copy[19] !== 2) return copy
  const patched = Buffer.from(copy)
  patched[18] = 1
  patched[19] = 1
  return patched
}

/**
 * Schema 15 and later declare name columns `COLLATE unicase`, a collation Anki registers
 * and SQLite (and better-sqlite3, which cannot register one) does not have: any query on those
 * tables fails ("no such collation sequence", "no query solution"). In this private in-memory
 * copy the declarations are dropped from the schema text; the rows are untouched, and the
 * importer only scans these tables, so how their name indexes are ordered does not matter.
 */
function withoutUnicase(bytes: Buffer): Buffer {
  const db = new Database(bytes)
  try {
    const uses = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE sql LIKE '%COLLATE unicase%'").get() as {
      n: number
    }
    if (uses.n === 0) return bytes
    db.unsafeMode(true)
    db.pragma('writable_schema = ON')
    db.prepare(
      "UPDATE sqlite_master SET sql = replace(sql, 'COLLATE unicase', '') WHERE sql LIKE '%COLLATE unicase%'"
    ).run()
    db.pragma('writable_schema = OFF')
    return db.serialize()
  } finally {
    db.close()
  }
}

export function readAnkiCollection(bytes: Uint8Array, file: string): AnkiCollection {
  let db: Database.Database
  try {
    db = new Database(withoutUnicase(withoutWal(bytes)), { readonly: true })
    db.prepare('SELECT count(*) FROM notes').get()
  } catch (error) {
    throw new ContentError(
      file,
      1,
      `the collection inside the package is not a readable Anki database (${(error as Error).message})`
    )
  }
  try {
    return readTables(db, file)
  } catch (error) {
    if (!(error instanceof Database.SqliteError)) throw error
    throw new ContentError(file, 1, `the collection inside the package could not be read (${error.message})`)
  } finally {
    db.close()
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}

function readTables(db: Database.Database, file: string): AnkiCollection {
  const col = db.prepare('SELECT * FROM col').get() as Record<string, unknown> | undefined
  const modern = hasTable(db, 'notetypes')
  const noteTypes = modern ? readNoteTypeTables(db) : readNoteTypeJson(col?.models, file)
  const decks = modern && hasTable(db, 'decks') ? readDeckTable(db) : readDeckJson(col?.decks, file)
  const notes = (db.prepare('SELECT id, guid, mid, tags, flds FROM notes ORDER BY id').raw().all() as unknown[][]).map(
    ([id, guid, mid, tags, flds]): AnkiNote => ({
      id: asNumber(id),
      guid: asText(guid),
      mid: asNumber(mid),
      tags: asText(tags).split(/\s+/).filter(Boolean),
      fields: asText(flds).split('\x1f')
    })
  )
  const cards = (
    db
      .prepare(
        'SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data FROM cards ORDER BY nid, ord'
      )
      .raw()
      .all() as unknown[][]
  ).map(([id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data]): AnkiCard => {
    const inFiltered = asNumber(odid) !== 0
    return {
      id: asNumber(id),
      nid: asNumber(nid),
      did: inFiltered ? asNumber(odid) : asNumber(did),
      ord: asNumber(ord),
      type: asNumber(type),
      queue: asNumber(queue),
      due: inFiltered && asNumber(odue) !== 0 ? asNumber(odue) : asNumber(due),
      ivl: asNumber(ivl),
      factor: asNumber(factor),
      reps: asNumber(reps),
      lapses: asNumber(lapses),
      left: asNumber(left),
      flag: asNumber(flags) & 7,
      data: asText(data)
    }
  })
  const reviews = hasTable(db, 'revlog')
    ? (
        db
          .prepare('SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY cid, id')
          .raw()
          .all() as unknown[][]
      ).map(([id, cid, ease, ivl, lastIvl, factor, time, type]): AnkiReview => ({
        id: asNumber(id),
        cid: asNumber(cid),
        ease: asNumber(ease),
        ivl: asNumber(ivl),
        lastIvl: asNumber(lastIvl),
        factor: asNumber(factor),
        time: asNumber(time),
        type: asNumber(type)
      }))
    : []
  return { crt: asNumber(col?.crt), noteTypes, decks, notes, cards, reviews }
}

/** A JSON object keyed by id; anything else (null, a list, a number) is refused as damage. */
function readJsonObject(text: unknown, file: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(typeof text === 'string' && text ? text : '{}')
  } catch {
    throw new ContentError(file, 1, `the package's ${what} are not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ContentError(file, 1, `the package's ${what} are not a JSON object`)
  return value as Record<string, unknown>
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function readNoteTypeJson(models: unknown, file: string): Map<number, AnkiNoteType> {
  const out = new Map<number, AnkiNoteType>()
  for (const [key, model] of Object.entries(readJsonObject(models, file, 'note types'))) {
    if (!isRecord(model)) continue
    const byOrd = <T>(list: unknown, map: (item: Record<string, unknown>) => T): T[] =>
      (Array.isArray(list) ? list.filter(isRecord) : []).sort((a, b) => asNumber(a.ord) - asNumber(b.ord)).map(map)
    out.set(Number(key), {
      id: Number(key),
      name: asText(model.name),
      cloze: model.type === 1,
      fields: byOrd(model.flds, (f) => asText(f.name)),
      templates: byOrd(model.tmpls, (t) => ({
        ord: asNumber(t.ord),
        name: asText(t.name),
        qfmt: asText(t.qfmt),
        afmt: asText(t.afmt)
      }))
    })
  }
  return out
}

function readNoteTypeTables(db: Database.Database): Map<number, AnkiNoteType> {
  const out = new Map<number, AnkiNoteType>()
  // Notetype.Config { Kind kind = 1 }: 1 is KIND_CLOZE.
  for (const [id, name, config] of db.prepare('SELECT id, name, config FROM notetypes').raw().all() as unknown[][]) {
    out.set(asNumber(id), {
      id: asNumber(id),
      name: asText(name),
      cloze: varintField(asBytes(config), 1) === 1,
      fields: [],
      templates: []
    })
  }
  for (const [ntid, name] of db
    .prepare('SELECT ntid, name FROM fields ORDER BY ntid, ord')
    .raw()
    .all() as unknown[][]) {
    out.get(asNumber(ntid))?.fields.push(asText(name))
  }
  // Template.Config { string q_format = 1; string a_format = 2 }.
  for (const [ntid, ord, name, config] of db
    .prepare('SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord')
    .raw()
    .all() as unknown[][]) {
    const bytes = asBytes(config)
    out.get(asNumber(ntid))?.templates.push({
      ord: asNumber(ord),
      name: asText(name),
      qfmt: stringField(bytes, 1),
      afmt: stringField(bytes, 2)
    })
  }
  return out
}

function readDeckJson(decks: unknown, file: string): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const [key, deck] of Object.entries(readJsonObject(decks, file, 'decks'))) {
    if (isRecord(deck) && typeof deck.name === 'string') out.set(Number(key), splitDeckName(deck.name, '::'))
  }
  return out
}

function readDeckTable(db: Database.Database): Map<number, string[]> {
  const out = new Map<number, string[]>()
  // Schema 18 separates a deck path's parts with \x1f instead of `::`.
  for (const [id, name] of db.prepare('SELECT id, name FROM decks').raw().all() as unknown[][])
    out.set(asNumber(id), splitDeckName(asText(name), '\x1f'))
  return out
}

function splitDeckName(name: string, separator: string): string[] {
  return name
    .split(separator)
    .map((part) => part.trim())
    .filter(Boolean)
}
