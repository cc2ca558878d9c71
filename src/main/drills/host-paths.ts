// Results must never show where the app, its temp files or the user's home live on this machine.

// An absolute POSIX path of two or more segments, not part of a URL (`http://host/a/b` keeps its
// slashes because the first one follows ':' and the second follows '/').
const POSIX_PATH = /(?:file:\/\/)?(?<![\w:/.])(?:\/[\w.@+~-]+)+\/([\w.@+~-]+)/g
const WINDOWS_PATH = /(?:file:\/\/\/)?\b[A-Za-z]:\\(?:[^\\\s:*?"<>|]+\\)*([^\\\s:*?"<>|]+)/g

/** Replace every absolute host path with its last segment (`/tmp/x/child.cjs:3` -> `child.cjs:3`). */
export function stripHostPaths(text: string): string {
  return text.replace(POSIX_PATH, '$1').replace(WINDOWS_PATH, '$1')
}
