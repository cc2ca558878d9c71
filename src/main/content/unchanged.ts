// Content sync's shortcut when nothing changed: the last full sync records a digest of every
// file under the content folder and the collection's content generation (a counter that
// triggers move whenever a row a sync compares could have changed: migration 014). When both
// are the same again (and the app version and schema too), parsing and comparing every file
// would write nothing, so the sync reports the same rows unchanged without parsing.
// A sync that found any problem records nothing: its warnings come from parsing, and an id
// taken by a user's row depends on rows the digest does not cover.
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Dirent } from 'node:fs'
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
  /** folderStamp when `folder` was taken (absent in marks of older versions). */
  stamp?: string
}

export const SYNC_MARK_KEY = 'content-sync'

/**
 * Hashes every entry under `dir` in name order, each as `visit` words it (relative path, the
 * entry, its full path), folders before their contents. Null when part of it cannot be read
 * (then no shortcut is taken).
 */
function hashTree(
  dir: string,
  visit: (path: string, entry: Dirent, full: string) => (string | Buffer)[]
): string | null {
  const hash = createHash('sha256')
  const walk = (relative: string) => {
    const entries: Dirent[] = readdirSync(join(dir, relative), { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name
      for (const part of visit(path, entry, join(dir, path))) hash.update(part)
      if (entry.isDirectory()) walk(path)
    }
  }
  try {
    walk('')
  } catch {
    return null
  }
  return hash.digest('hex')
}

/**
 * A digest of every entry under `dir`, in name order: each file's relative path, size and
 * bytes, each folder's path, each link's target (not followed).
 */
export function folderDigest(dir: string): string | null {
  return hashTree(dir, (path, entry, full) => {
    if (entry.isDirectory()) return [`d\0${path}\0`]
    if (entry.isSymbolicLink()) return [`l\0${path}\0${readlinkSync(full)}\0`]
    if (!entry.isFile()) return [`o\0${path}\0`]
    const bytes = readFileSync(full)
    return [`f\0${path}\0${bytes.length}\0`, bytes]
  })
}

/**
 * A digest of what the file system says about every entry under `dir`, without reading any
 * file: path, kind, inode, size, and modification and change times (ns). A write to a file
 * moves its change time, which no program can set back (utimes sets only the access and
 * modification times), so an equal stamp means the same bytes as when the stamp was taken,
 * as the collection's clean-close stamp reasons (store/db.ts). Reading and hashing the
 * shipped library cost every start ~80 ms; this costs a `stat` per entry.
 */
export function folderStamp(dir: string): string | null {
  return hashTree(dir, (path, entry, full) => {
    const s = lstatSync(full, { bigint: true })
    const kind = entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : entry.isFile() ? 'f' : 'o'
    return [`${kind}\0${path}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\0`]
  })
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
