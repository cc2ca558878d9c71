// A card's marks (suspended, flag, tags, buried, deck) in the edits document (README.md, "Marks"):
// stamped records (stamped.ts) under `mark:<card id>:<device id>`; per field the latest change wins.
import type { DocHandle } from '@automerge/automerge-repo'
import { type MarkChange, type MarkField, type MarkValue, type SyncMarksStore } from '../store/sync-marks'
import type { EditsDoc } from './documents'
import { latest, pushStamps } from './stamped'

const PREFIX = 'mark:'

/** The longest tags string taken from another device (characters); the app's own are far shorter. */
const MAX_TAGS = 10_000
/** The longest deck id taken in (characters); the app's are slugs of a title. */
const MAX_ID = 200

function validMark(_card: string, field: string, value: unknown): boolean {
  switch (field as MarkField) {
    case 'suspended':
      return value === 0 || value === 1
    case 'flag':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 7
    case 'tags':
      return typeof value === 'string' && value.length <= MAX_TAGS && !/[\n\r\t]/.test(value)
    case 'buried':
      return value === null || (Number.isSafeInteger(value) && (value as number) >= 0)
    case 'deck':
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID && !/[\u0000-\u001f]/.test(value)
    default:
      return false
  }
}

/** Writes the marks changed here into this device's records; returns how many cards. */
export function pushMarks(handle: DocHandle<EditsDoc>, deviceId: string, changes: readonly MarkChange[]): number {
  return pushStamps(
    handle,
    PREFIX,
    deviceId,
    changes.map(({ cardId, field, value, at }) => ({ subject: cardId, field, value, at }))
  )
}

/**
 * Takes the winning marks of every card into SQLite (call inside the transaction that applies the
 * edits document). A field changed here later than the winner, and not sent yet, is kept: it goes
 * out next round. Malformed records are left out and reported in `refused`. Returns how many
 * fields changed here.
 */
export function takeMarks(store: SyncMarksStore, doc: EditsDoc, now: number, refused: string[]): number {
  let changed = 0
  for (const [cardId, fields] of latest(doc, PREFIX, validMark, refused)) {
    for (const [name, winner] of fields) {
      const field = name as MarkField
      const local = store.value(cardId, field)
      // A card this collection lacks (its creation not here yet), or already at the winning value.
      if (local === undefined || local === winner.value) continue
      // A move into a deck this collection lacks (nor gets in this document) waits until it comes.
      if (field === 'deck' && !store.hasDeck(winner.value as string)) continue
      const unsent = store.unsent(cardId, field)
      if (unsent !== null && unsent > winner.at) continue
      store.set(cardId, field, winner.value as MarkValue, now)
      changed++
    }
  }
  return changed
}
