// The statements content sync needs for every entity table that content files feed
// (decks, notes, cards, quiz items, drills): read what is stored, insert, update, park a newer
// shipped version beside a user's edit, retire. One definition, so the four tables
// cannot drift apart.
import Database from 'better-sqlite3'
import type { Db } from './db'

export type SyncedTable = 'decks' | 'notes' | 'cards' | 'quiz_items' | 'drills'

export interface StoredSyncState {
  id: string
  hash: string | null
  retiredAt: number | null
  userEditedAt: number | null
  sourceFile: string | null
  deckId: string
  origin: string
}

/** A row as content sync writes it: snake_case column names to values. */
export type ContentRow = Record<string, string | number | null> & { id: string }

export interface ContentRowStatements {
  /** The shipped rows (origin 'content'); rows the user created or imported are not read. */
  syncState(): StoredSyncState[]
  /** False (and nothing written) when the id is already taken by a row the user created or imported. */
  insert(row: ContentRow, hash: string, now: number): boolean
  update(row: ContentRow, hash: string, now: number): void
  /** Keeps the user's edited text and stores the new shipped version beside it. */
  park(id: string, shipped: ContentRow, hash: string, now: number): void
  retire(id: string, now: number): void
}

const EDITABLE: Record<SyncedTable, boolean> = { decks: false, notes: true, cards: true, quiz_items: true, drills: false }

export function contentRowStatements(db: Db, table: SyncedTable, columns: readonly string[]): ContentRowStatements {
  const editable = EDITABLE[table]
  const deckColumn = table === 'decks' ? 'id' : 'deck_id'
  const syncState = db.prepare<[], StoredSyncState>(
    `SELECT id, content_hash AS hash, retired_at AS retiredAt,
            ${editable ? 'user_edited_at' : 'NULL'} AS userEditedAt,
            source_file AS sourceFile, ${deckColumn} AS deckId, origin
       FROM ${table} WHERE origin = 'content'`
  )
  const insert = db.prepare(
    `INSERT INTO ${table} (id, ${columns.join(', ')}, origin, content_hash, created_at, updated_at)
     VALUES (@id, ${columns.map((c) => `@${c}`).join(', ')}, 'content', @hash, @now, @now)`
  )
  const update = db.prepare(
    `UPDATE ${table} SET ${columns.map((c) => `${c} = @${c}`).join(', ')},
            content_hash = @hash, retired_at = NULL, updated_at = @now
      WHERE id = @id`
  )
  const park = editable
    ? db.prepare(
        `UPDATE ${table} SET shipped_json = @shipped, content_hash = @hash, retired_at = NULL, updated_at = @now WHERE id = @id`
      )
    : null
  const retire = db.prepare(`UPDATE ${table} SET retired_at = @now, updated_at = @now WHERE id = @id`)
  return {
    syncState: () => syncState.all(),
    insert: (row, hash, now) => {
      try {
        insert.run({ ...row, hash, now })
        return true
      } catch (error) {
        // The id's UNIQUE index: a row of another origin has it (the statement alone is undone).
        if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return false
        throw error
      }
    },
    update: (row, hash, now) => void update.run({ ...row, hash, now }),
    park: (id, shipped, hash, now) => {
      if (!park) throw new Error(`${table} rows cannot be edited by users`)
      park.run({ id, shipped: JSON.stringify(shipped), hash, now })
    },
    retire: (id, now) => void retire.run({ id, now })
  }
}
