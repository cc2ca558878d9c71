// The upsert statements for every entity table that content files and imports feed (decks,
// notes, cards, quiz items, drills): read what is stored, insert, update, park a newer shipped
// or imported version beside a user's edit, retire. One definition for content sync (origin
// 'content') and imports (origin 'import'), so the tables and the two paths cannot drift apart.
import Database from 'better-sqlite3'
import { PLACEMENT_COLUMNS } from '../content/row-hash'
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
  /** The stored placement columns (position, source_file, source_line) the table has. */
  placement: Record<string, unknown>
}

/** Who a row comes from: the shipped content, or an import (rows the user created are 'user'). */
export type RowOrigin = 'content' | 'import'

/** What an id holds now, whatever its origin. */
export interface StoredRowState {
  id: string
  origin: string
  hash: string | null
  retiredAt: number | null
  userEditedAt: number | null
}

/** A row as content sync writes it: snake_case column names to values. */
export type ContentRow = Record<string, string | number | null> & { id: string }

export interface ContentRowStatements {
  /** The rows of this origin; rows the user created, or of the other origin, are not read. */
  syncState(): StoredSyncState[]
  state(id: string): StoredRowState | undefined
  /** False (and nothing written) when the id is already taken by a row the user created or imported. */
  insert(row: ContentRow, hash: string, now: number): boolean
  update(row: ContentRow, hash: string, now: number): void
  /** Same content in a new place: writes placement and hash only (and un-retires). */
  place(row: ContentRow, hash: string, now: number): void
  /** Keeps the user's edited text and stores the new shipped (or imported) version beside it. */
  park(id: string, shipped: object, hash: string, now: number): void
  retire(id: string, now: number): void
}

const EDITABLE: Record<SyncedTable, boolean> = {
  decks: false,
  notes: true,
  cards: true,
  quiz_items: true,
  drills: false
}

/**
 * `columns` are what an insert writes; `updateColumns` what an update rewrites (an import
 * leaves a row's position in its deck as it was).
 */
export function contentRowStatements(
  db: Db,
  table: SyncedTable,
  columns: readonly string[],
  { origin = 'content', updateColumns = columns }: { origin?: RowOrigin; updateColumns?: readonly string[] } = {}
): ContentRowStatements {
  const editable = EDITABLE[table]
  const ours = `id = @id AND origin = '${origin}'`
  const deckColumn = table === 'decks' ? 'id' : 'deck_id'
  const placed = PLACEMENT_COLUMNS.filter((c) => columns.includes(c))
  const syncState = db.prepare<[], Omit<StoredSyncState, 'placement'> & Record<string, unknown>>(
    `SELECT id, content_hash AS hash, retired_at AS retiredAt,
            ${editable ? 'user_edited_at' : 'NULL'} AS userEditedAt,
            source_file AS sourceFile, ${deckColumn} AS deckId, origin
            ${placed.map((c) => `, ${c} AS placed_${c}`).join('')}
       FROM ${table} WHERE origin = '${origin}'`
  )
  const state = db.prepare<[string], StoredRowState>(
    `SELECT id, origin, content_hash AS hash, retired_at AS retiredAt,
            ${editable ? 'user_edited_at' : 'NULL'} AS userEditedAt
       FROM ${table} WHERE id = ?`
  )
  const place = db.prepare(
    `UPDATE ${table} SET ${[...placed.map((c) => `${c} = @${c}`), 'content_hash = @hash', 'retired_at = NULL', 'updated_at = @now'].join(', ')}
      WHERE ${ours}`
  )
  const insert = db.prepare(
    `INSERT INTO ${table} (id, ${columns.join(', ')}, origin, content_hash, created_at, updated_at)
     VALUES (@id, ${columns.map((c) => `@${c}`).join(', ')}, '${origin}', @hash, @now, @now)`
  )
  const update = db.prepare(
    `UPDATE ${table} SET ${updateColumns.map((c) => `${c} = @${c}`).join(', ')},
            content_hash = @hash, retired_at = NULL, updated_at = @now
      WHERE ${ours}`
  )
  const park = editable
    ? db.prepare(
        `UPDATE ${table} SET shipped_json = @shipped, content_hash = @hash, retired_at = NULL, updated_at = @now WHERE ${ours}`
      )
    : null
  const retire = db.prepare(`UPDATE ${table} SET retired_at = @now, updated_at = @now WHERE ${ours}`)
  return {
    syncState: () =>
      syncState.all().map((row) => {
        const placement: Record<string, unknown> = {}
        for (const c of placed) placement[c] = row[`placed_${c}`]
        return {
          id: row.id,
          hash: row.hash,
          retiredAt: row.retiredAt,
          userEditedAt: row.userEditedAt,
          sourceFile: row.sourceFile,
          deckId: row.deckId,
          origin: row.origin,
          placement
        }
      }),
    state: (id) => state.get(id),
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
    place: (row, hash, now) => {
      const values: Record<string, unknown> = { id: row.id, hash, now }
      for (const c of placed) values[c] = row[c]
      place.run(values)
    },
    park: (id, shipped, hash, now) => {
      if (!park) throw new Error(`${table} rows cannot be edited by users`)
      park.run({ id, shipped: JSON.stringify(shipped), hash, now })
    },
    retire: (id, now) => void retire.run({ id, now })
  }
}

/** Moves whenever a row content sync compares could have changed (migration 014's triggers). */
export function contentGeneration(db: Db): number {
  return (db.prepare('SELECT n FROM content_generation').pluck().get() as number | undefined) ?? 0
}
