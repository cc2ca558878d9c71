// Per-device records of stamped values in the edits document, for what merges as "the latest
// change wins": card marks (marks.ts) and settings (settings-sync.ts). Each device writes only its
// own record per subject, `<prefix><subject>:<device id>`, an immutable JSON string
// `{"<field>": [<value>, <ms>]}`, so no two devices ever write one key and Automerge never has to
// pick; every device picks, per subject and field, the value with the latest time (equal times:
// the larger device id), so all of them end with the same values.
import * as A from '@automerge/automerge'
import type { DocHandle } from '@automerge/automerge-repo'
import type { EditsDoc } from './documents'

/** One change made here: the subject (a card id, a settings key), the field, its value now and when (ms). */
export interface Stamp {
  subject: string
  field: string
  value: unknown
  at: number
}

export interface Winner {
  value: unknown
  at: number
  device: string
}

type StampedRecord = Record<string, [unknown, number]>

/** Whether `value` may be taken in as `field` of `subject`. */
export type Check = (subject: string, field: string, value: unknown) => boolean

/** A record as some device wrote it; throws with the reason when no Retransmit wrote it. */
function parseRecord(key: string, text: string, subject: string, check: Check): StampedRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`${key} is not JSON`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${key} is not a record`)
  const record: StampedRecord = {}
  for (const [field, entry] of Object.entries(parsed)) {
    const [value, at] = Array.isArray(entry) && entry.length === 2 ? entry : [undefined, undefined]
    if (!Number.isSafeInteger(at) || (at as number) <= 0 || !check(subject, field, value))
      throw new Error(`${key}: ${field} is malformed: ${JSON.stringify(entry).slice(0, 100)}`)
    record[field] = [value, at as number]
  }
  return record
}

/** Writes the changes made here into this device's records; returns how many subjects. */
export function pushStamps(
  handle: DocHandle<EditsDoc>,
  prefix: string,
  deviceId: string,
  changes: readonly Stamp[]
): number {
  if (changes.length === 0) return 0
  const bySubject = new Map<string, Stamp[]>()
  for (const change of changes) bySubject.set(change.subject, [...(bySubject.get(change.subject) ?? []), change])
  const doc = handle.doc()
  const records = [...bySubject].map(([subject, list]) => {
    const key = `${prefix}${subject}:${deviceId}`
    const known = doc[key]
    // Its own earlier record: written by this device, so it parses (else it starts afresh).
    let record: StampedRecord = {}
    try {
      if (known !== undefined) record = parseRecord(key, String(known), subject, () => true)
    } catch {
      record = {}
    }
    for (const change of list) record[change.field] = [change.value, change.at]
    return [key, JSON.stringify(record)] as const
  })
  handle.change((d) => {
    for (const [key, text] of records) d[key] = new A.ImmutableString(text)
  })
  return records.length
}

/** Every subject's winning value per field; records that fail `check` are left out and reported in `refused`. */
export function latest(
  doc: EditsDoc,
  prefix: string,
  check: Check,
  refused: string[]
): Map<string, Map<string, Winner>> {
  const winners = new Map<string, Map<string, Winner>>()
  for (const [key, text] of Object.entries(doc)) {
    if (!key.startsWith(prefix)) continue
    const split = key.lastIndexOf(':')
    const subject = key.slice(prefix.length, split)
    const device = key.slice(split + 1)
    let record: StampedRecord
    try {
      if (!subject || !device || split < prefix.length) throw new Error(`${key} is malformed`)
      record = parseRecord(key, String(text), subject, check)
    } catch (error) {
      refused.push((error as Error).message)
      continue
    }
    const fields = winners.get(subject) ?? new Map<string, Winner>()
    winners.set(subject, fields)
    for (const [field, [value, at]] of Object.entries(record)) {
      const best = fields.get(field)
      if (!best || at > best.at || (at === best.at && device > best.device)) fields.set(field, { value, at, device })
    }
  }
  return winners
}
