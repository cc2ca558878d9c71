// A card's marks (suspended, flag, tags, buried) in the edits document (README.md, "Marks").
// Each device writes only its own record per card, `mark:<card id>:<device id>`, holding for
// each field it changed the value and when (ms). No two devices write one key, so Automerge
// never has to pick between them; every device picks, per field, the value with the latest
// time (ties: the larger device id), so all of them end with the same marks.
import * as A from '@automerge/automerge'
import type { DocHandle } from '@automerge/automerge-repo'
import { MARK_FIELDS, type MarkChange, type MarkField, type MarkValue, type SyncMarksStore } from '../store/sync-marks'
import type { EditsDoc } from './documents'

type MarkRecord = Partial<Record<MarkField, [MarkValue, number]>>

const markKey = (cardId: string, deviceId: string) => `mark:${cardId}:${deviceId}`

/** The longest tags string taken from another device (characters); the app's own are far shorter. */
const MAX_TAGS = 10_000

function validValue(field: MarkField, value: unknown): value is MarkValue {
  switch (field) {
    case 'suspended':
      return value === 0 || value === 1
    case 'flag':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 7
    case 'tags':
      return typeof value === 'string' && value.length <= MAX_TAGS && !/[\n\r\t]/.test(value)
    case 'buried':
      return value === null || (Number.isSafeInteger(value) && (value as number) >= 0)
  }
}

/** A record as another device wrote it; throws with the reason when no Retransmit wrote it. */
function parseRecord(key: string, text: string): MarkRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`${key} is not JSON`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${key} is not a record`)
  const record: MarkRecord = {}
  for (const [field, entry] of Object.entries(parsed)) {
    if (!(MARK_FIELDS as readonly string[]).includes(field)) throw new Error(`${key} has an unknown field ${field}`)
    const [value, at] = Array.isArray(entry) && entry.length === 2 ? entry : [undefined, undefined]
    if (!validValue(field as MarkField, value) || !Number.isSafeInteger(at) || (at as number) <= 0)
      throw new Error(`${key}: ${field} is malformed: ${JSON.stringify(entry).slice(0, 100)}`)
    record[field as MarkField] = [value, at as number]
  }
  return record
}

/** Writes the marks changed here into this device's records; returns how many cards. */
export function pushMarks(handle: DocHandle<EditsDoc>, deviceId: string, changes: readonly MarkChange[]): number {
  if (changes.length === 0) return 0
  const byCard = new Map<string, MarkChange[]>()
  for (const change of changes) byCard.set(change.cardId, [...(byCard.get(change.cardId) ?? []), change])
  const doc = handle.doc()
  const records = [...byCard].map(([cardId, list]) => {
    const key = markKey(cardId, deviceId)
    const known = doc[key]
    // Its own earlier record: written by this device, so it parses (else start it afresh).
    let record: MarkRecord = {}
    try {
      if (known !== undefined) record = parseRecord(key, String(known))
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

interface Winner {
  value: MarkValue
  at: number
  device: string
}

/**
 * Takes the winning marks of every card into SQLite (call inside the transaction that applies the
 * edits document). A field changed here later than the winner, and not sent yet, is kept: it goes
 * out next round. Malformed records are left out and reported in `refused`. Returns how many
 * fields changed here.
 */
export function takeMarks(store: SyncMarksStore, doc: EditsDoc, now: number, refused: string[]): number {
  const winners = new Map<string, Map<MarkField, Winner>>()
  for (const [key, text] of Object.entries(doc)) {
    if (!key.startsWith('mark:')) continue
    const split = key.lastIndexOf(':')
    const cardId = key.slice(5, split)
    const device = key.slice(split + 1)
    let record: MarkRecord
    try {
      if (!cardId || !device) throw new Error(`${key} is malformed`)
      record = parseRecord(key, String(text))
    } catch (error) {
      refused.push((error as Error).message)
      continue
    }
    const fields = winners.get(cardId) ?? new Map<MarkField, Winner>()
    winners.set(cardId, fields)
    for (const [field, [value, at]] of Object.entries(record) as [MarkField, [MarkValue, number]][]) {
      const best = fields.get(field)
      if (!best || at > best.at || (at === best.at && device > best.device)) fields.set(field, { value, at, device })
    }
  }
  let changed = 0
  for (const [cardId, fields] of winners) {
    for (const [field, winner] of fields) {
      const local = store.value(cardId, field)
      // A card this collection lacks (its creation not here yet), or already at the winning value.
      if (local === undefined || local === winner.value) continue
      const unsent = store.unsent(cardId, field)
      if (unsent !== null && unsent > winner.at) continue
      store.set(cardId, field, winner.value, now)
      changed++
    }
  }
  return changed
}
