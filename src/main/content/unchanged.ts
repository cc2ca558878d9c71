// Content sync's shortcut when nothing changed: the last full sync records a digest of every
// file under the content folder and the collection's content generation (a counter that
// triggers move whenever a row a sync compares could have changed: migration 014). When both
// are the same again (and the app version and schema too), parsing and comparing every file
// would write nothing, so the sync reports the same rows unchanged without parsing.
// A sync that found any problem records nothing: its warnings come from parsing, and an id
// taken by a user's row depends on rows the digest does not cover.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, readlinkSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import type { SyncReport } from '../../shared/domain'

/** What the last full sync left, stored in the collection (settings key `content-sync`). */
export interface SyncMark {
  version: string
  schema: number
  folder: string
  /** The content generation the full sync left (the counter after its own writes). */
  generation: number
  decks: number
  rowCount: number
}

export const SYNC_MARK_KEY = 'content-sync'

/**
 * A digest of every entry under `dir`, in name order: each file's relative path, size and
 * bytes, each folder's path, each link's target (not followed). Null when part of it cannot be
 * read (then no shortcut is taken).
 */
export function folderDigest(dir: string): string | null {
  const hash = createHash('sha256')
  const walk = (relative: string) => {
    const entries: Dirent[] = readdirSync(join(dir, relative), { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name
      const full = join(dir, path)
      if (entry.isDirectory()) {
        hash.update(`d\0${path}\0`)
        walk(path)
      } else if (entry.isSymbolicLink()) hash.update(`l\0${path}\0${readlinkSync(full)}\0`)
      else if (entry.isFile()) {
        const bytes = readFileSync(full)
        hash.update(`f\0${path}\0${bytes.length}\0`)
        hash.update(bytes)
      } else hash.update(`o\0${path}\0`)
    }
  }
  try {
    walk('')
  } catch {
    return null
  }
  return hash.digest('hex')
}

/** The report of a sync that found the files and rows as the last full one left them. */
export function unchangedReport(mark: SyncMark, durationMs: number): SyncReport {
  return {
    decks: mark.decks,
    created: 0,
    updated: 0,
    unchanged: mark.rowCount,
    retired: 0,
    restored: 0,
    problems: [],
    durationMs
  }
}
