// Drill attempts (each Run and Submit) and drill sessions between devices (README.md, "Drill
// attempts and sessions"): this device's go into its own drills documents, one per month; other
// devices' are taken into SQLite, one transaction per document that also records its version.
import * as A from '@automerge/automerge'
import type { DocHandle } from '@automerge/automerge-repo'
import { periodOf } from './answers'
import type { DrillsDoc } from './documents'
import { ATTEMPT, decodeAttempt, decodeSession, encodeAttempt, encodeSession, SESSION } from './drill-records'
import type { OwnDocuments } from './own-documents'
import type { RoundDeps } from './round'
import { keysSince } from './take-log'

/** The index key of one device's drills document for one month. */
export const drillsKey = (period: string, deviceId: string) => `drills:${period}:${deviceId}`

/** Notes read per batch: an attempt holds a whole program. */
const BATCH = 500

/**
 * Writes this device's noted sessions and attempts into its month documents; returns how many
 * records changed there and the last note written (to clear once the documents are on disk).
 */
export async function pushDrills(
  deps: RoundDeps,
  documents: OwnDocuments<DrillsDoc>,
  deviceId: string
): Promise<{ written: number; last: number | null }> {
  deps.db.transaction(() => deps.drills.assignUids(deviceId))()
  let written = 0
  let after = 0
  let last: number | null = null
  for (;;) {
    const batch = deps.drills.changes(after, BATCH)
    if (batch.last === null) break
    for (const change of batch.changes) {
      const [key, text] = change.session
        ? [`${SESSION}${change.session.uid}`, encodeSession(change.session)]
        : [`${ATTEMPT}${change.attempt.uid}`, encodeAttempt(change.attempt)]
      const handle = await documents.get(drillsKey(periodOf(change.filedAt), deviceId))
      // Sent before (a round cut short after writing): the same text is not written twice.
      if (String(handle.doc()[key]) === text) continue
      handle.change((d) => void (d[key] = new A.ImmutableString(text)))
      written++
    }
    after = last = batch.last
  }
  return { written, last }
}

/**
 * Takes in one other device's drills document if it changed since it was last taken in: its
 * sessions first (an attempt names its session), then its attempts. Records no Retransmit wrote
 * are left out and reported in `refused`. Returns how many sessions and attempts were new here.
 */
export function takeDrills(
  deps: RoundDeps,
  handle: DocHandle<DrillsDoc>,
  prefixes: { own: string; writer: string; device: string },
  refused: string[]
): number {
  const heads = handle.heads()
  const keys = keysSince(deps, handle)
  if (keys === null) return 0
  const doc = handle.doc()
  const sorted = [...keys.filter((key) => key.startsWith(SESSION)), ...keys.filter((key) => !key.startsWith(SESSION))]
  return deps.db.transaction(() => {
    let added = 0
    for (const key of sorted) {
      const value = doc[key]
      if (value === undefined) continue
      const kind = key.startsWith(SESSION) ? SESSION : key.startsWith(ATTEMPT) ? ATTEMPT : null
      const uid = kind ? key.slice(kind.length) : ''
      // This device's own records come from its own rows.
      if (uid.startsWith(prefixes.own)) continue
      try {
        if (kind === null) throw new Error(`${key} is not a drill record`)
        if (!uid.startsWith(prefixes.writer))
          throw new Error(`${key} is another device's, in ${prefixes.device}'s document`)
        if (kind === SESSION)
          added += deps.drills.putSession(decodeSession(uid, String(value)), prefixes.device) ? 1 : 0
        else added += deps.drills.insertAttempt(decodeAttempt(uid, String(value), prefixes.writer)) ? 1 : 0
      } catch (error) {
        refused.push(`${handle.url}: ${(error as Error).message}`)
      }
    }
    deps.store.setAppliedHeads(handle.url, heads)
    return added
  })()
}
