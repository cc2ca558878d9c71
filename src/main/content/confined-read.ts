// Reading a folder someone handed us without leaving it: entries are listed only when they
// resolve (through any links) to a place inside the folder, files are read only when they are
// regular files (not FIFOs, sockets or devices such as /dev/zero), and each file and the whole
// walk are capped in bytes. Anything skipped is reported, never dropped silently.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { sep } from 'node:path'

export interface ReadLimits {
  /** Largest single file read (bytes). */
  maxFileBytes: number
  /** Largest total read over the whole walk (bytes). */
  maxTotalBytes: number
}

/** Limits for a folder being imported: 50 MB a file (as a single-file import), 200 MB in all. */
export const IMPORT_READ_LIMITS: ReadLimits = { maxFileBytes: 50 * 1024 * 1024, maxTotalBytes: 200 * 1024 * 1024 }

export type EntryKind = 'directory' | 'file'

export interface ConfinedFolder {
  /** What `path` is, or a reason it is skipped (outside the folder, not a regular file, too big). */
  kind(path: string): { kind: EntryKind } | { skipped: string }
  /** The bytes of a regular file inside the folder, counted against the total. */
  read(path: string): { bytes: Buffer } | { skipped: string }
}

export function confinedFolder(root: string, limits: ReadLimits): ConfinedFolder {
  let realRoot: string
  try {
    realRoot = realpathSync(root)
  } catch {
    realRoot = root
  }
  const inside = (real: string) =>
    real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)
  let total = 0

  function kind(path: string): { kind: EntryKind; size: number } | { skipped: string } {
    let real: string
    try {
      real = realpathSync(path)
    } catch (error) {
      return { skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }
    }
    if (!inside(real)) return { skipped: 'is a link to a place outside the imported folder' }
    const stat = statSync(real)
    if (stat.isDirectory()) return { kind: 'directory', size: 0 }
    if (!stat.isFile()) return { skipped: 'is not a regular file (a pipe, socket or device)' }
    if (stat.size > limits.maxFileBytes)
      return {
        skipped: `is ${(stat.size / 1024 / 1024).toFixed(1)} MB; files over ${limits.maxFileBytes / 1024 / 1024} MB are not read`
      }
    return { kind: 'file', size: stat.size }
  }

  return {
    kind: (path) => {
      const found = kind(path)
      return 'skipped' in found ? found : { kind: found.kind }
    },
    read(path) {
      const found = kind(path)
      if ('skipped' in found) return found
      if (found.kind !== 'file') return { skipped: 'cannot read the file (it is a folder)' }
      if (total + found.size > limits.maxTotalBytes)
        return { skipped: `would take the folder past ${limits.maxTotalBytes / 1024 / 1024} MB read in all` }
      let bytes: Buffer
      try {
        bytes = readFileSync(realpathSync(path))
      } catch (error) {
        return { skipped: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }
      }
      // The file may have grown since it was measured.
      if (bytes.length > limits.maxFileBytes)
        return { skipped: `grew past ${limits.maxFileBytes / 1024 / 1024} MB while being read` }
      total += bytes.length
      return { bytes }
    }
  }
}

/** Names in a folder, sorted; empty when it cannot be listed. */
export function listNames(path: string): string[] {
  try {
    return readdirSync(path).sort()
  } catch {
    return []
  }
}
