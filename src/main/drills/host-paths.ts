// Results must never show where the app, its temp files or the user's home live on this machine.
import { homedir, tmpdir } from 'node:os'

// Absolute paths are recognised by their first segment: the usual roots of a file system, plus
// wherever this machine keeps temp files, homes and the working folder. Anything else that starts
// with a slash is left alone, so the path in `GET /api/orders?limit=2` survives.
const ROOTS = new Set([
  'tmp',
  'var',
  'private',
  'home',
  'Users',
  'root',
  'usr',
  'opt',
  'work',
  'mnt',
  'srv',
  'snap',
  'nix',
  'proc',
  'etc',
  'run',
  'Applications',
  'Library',
  'Volumes'
])
for (const place of [tmpdir(), homedir(), process.cwd()]) {
  const first = /^\/([^/]+)/.exec(place)?.[1]
  if (first) ROOTS.add(first)
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const ROOT_ALTERNATION = [...ROOTS].map(escape).join('|')

/** An absolute POSIX path under a known root, not part of a URL; keeps the last segment. */
const POSIX_PATH = new RegExp(`(?<![\\w:/.])(?:file://)?/(?:${ROOT_ALTERNATION})(?:/[\\w.@+~-]+)*/([\\w.@+~-]+)`, 'g')
const WINDOWS_PATH = /(?:file:\/\/\/)?\b[A-Za-z]:\\(?:[^\\\s:*?"<>|]+\\)*([^\\\s:*?"<>|]+)/g

/** Replace every absolute host path with its last segment (`/tmp/x/child.cjs:3` -> `child.cjs:3`). */
export function stripHostPaths(text: string): string {
  return text.replace(POSIX_PATH, '$1').replace(WINDOWS_PATH, '$1')
}
