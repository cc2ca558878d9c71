// What the device side needs around a round without loading Automerge: checking a server
// address, the server's own refusals, and dropping the local cache. Kept apart from round.ts so
// that status and settings answer (and the app starts) before the sync libraries are loaded.
import { rmSync } from 'node:fs'
import { ValidationError } from '../../shared/errors'

/** A refusal or silence of the sync server (the local cache is not to blame). */
export class SyncError extends Error {
  override name = 'SyncError'
}

/** Whether two lists of Automerge heads name the same version (order does not matter). */
export const sameHeads = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join()

export function serverUrls(server: string, token: string): { http: string; ws: string } {
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(server) ? server : `http://${server}`)
  } catch {
    throw new ValidationError(`not a server address: ${server} (expected http://host:port)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError(`the sync server is reached over http or https, not ${url.protocol}`)
  const http = `${url.protocol}//${url.host}`
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/?token=${encodeURIComponent(token)}`
  return { http, ws }
}

/** Forgets the local Automerge cache (after it was found damaged); the next round rebuilds it from the server and SQLite. */
export function dropCache(cacheDir: string): void {
  rmSync(cacheDir, { recursive: true, force: true })
}
