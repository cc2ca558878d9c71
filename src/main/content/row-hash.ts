// What a content row says, as a hash, for content sync and imports alike: both decide
// "unchanged, update, or park beside the user's edit" by comparing it with the stored hash.
// Where a row sits (its file, line and position) is placement, not content: moving a card,
// or adding one above it, must not count as a change or park a copy of the same text.
import { hash as digestOf } from 'node:crypto'

export const PLACEMENT_COLUMNS = ['position', 'source_file', 'source_line'] as const

type Row = Record<string, unknown>

export function contentHash(row: Row): string {
  const content: Row = {}
  for (const [key, value] of Object.entries(row))
    if (!(PLACEMENT_COLUMNS as readonly string[]).includes(key)) content[key] = value
  // crypto.hash: the same digest as createHash, without a Hash object per row (10,000 rows a sync).
  return digestOf('sha256', JSON.stringify(content), 'base64url').slice(0, 22)
}

/** The hash content sync stored before placement was left out (placement included). */
export function placedHash(row: Row): string {
  return digestOf('sha256', JSON.stringify(row), 'base64url').slice(0, 22)
}

export type UpsertAction = 'unchanged' | 'restore' | 'update' | 'park'

export interface StoredHashState {
  hash: string | null
  retiredAt: number | null
  userEditedAt: number | null
}

/**
 * The one decision both paths make for a row that exists. Same content (the hash matches, or
 * `sameContent` says the stored hash is an older formula's hash of the same content): unchanged,
 * or restore when it was retired; the caller refreshes placement only. Other content: update,
 * or park beside the user's text when they edited it.
 */
export function decideUpsert(before: StoredHashState, hash: string, sameContent = false): UpsertAction {
  if (before.hash === hash || sameContent) return before.retiredAt === null ? 'unchanged' : 'restore'
  return before.userEditedAt !== null ? 'park' : 'update'
}
