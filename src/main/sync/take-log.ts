// Taking one device's log document into SQLite: only the entries added since the version taken
// in, answers through applyAnswers (one transaction that also records the version), tombstones of
// answers undone where they were given, and a report of every entry no Retransmit wrote.
import * as A from '@automerge/automerge'
import { decodeHeads, type DocHandle, type UrlHeads } from '@automerge/automerge-repo'
import { decodeAnswer, UNDONE } from './answers'
import { applyAnswers } from './apply'
import type { LogDoc } from './documents'
import type { RoundDeps } from './round'
import { sameHeads } from './round-basics'

/**
 * The keys of a document put since the version this collection last took in (every key the first
 * time), or null when it has not changed since.
 */
export function keysSince<T extends object>(deps: RoundDeps, handle: DocHandle<T>): string[] | null {
  const heads = handle.heads()
  const recorded = deps.store.appliedHeads(handle.url)
  if (recorded && sameHeads(recorded, heads)) return null
  // Heads this copy lacks (a cache cut short) cannot be diffed from: read every key then (uids dedupe).
  const applied = recorded && A.hasHeads(handle.doc(), decodeHeads(recorded as UrlHeads)) ? recorded : null
  return applied
    ? handle
        .diff(applied as UrlHeads, heads)
        .filter((patch) => patch.action === 'put' && patch.path.length === 1)
        .map((patch) => String(patch.path[0]))
    : Object.keys(handle.doc())
}

/** Takes in one log document if it changed since this collection last took it in. */
/** `prefixes.own`: this device's uids; `prefixes.writer`: the uids of the device whose document this is. */
export function takeLog(
  deps: RoundDeps,
  handle: DocHandle<LogDoc>,
  prefixes: { own: string; writer: string },
  refused: string[]
): number {
  const heads = handle.heads()
  const keys = keysSince(deps, handle)
  if (keys === null) return 0
  const doc = handle.doc()
  const answers = (function* () {
    for (const uid of keys) {
      // This device's own answers come from its own rows; one undone here is not brought back.
      if (uid.startsWith(prefixes.own)) continue
      const value = doc[uid]
      if (value === undefined) continue
      if (String(value) === UNDONE) {
        // Only the device that gave an answer can undo it.
        if (uid.startsWith(prefixes.writer)) yield { undone: uid }
        else refused.push(`${handle.url}: ${uid} is undone in another device's document`)
        continue
      }
      // An entry no Retransmit wrote is left out and reported; the rest of the document still counts.
      try {
        yield decodeAnswer(uid, String(value))
      } catch (error) {
        refused.push(`${handle.url}: ${(error as Error).message}`)
      }
    }
  })()
  return applyAnswers(deps, handle.url, heads, answers)
}
