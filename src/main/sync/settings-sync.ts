// The learner's settings in the edits document (README.md, "Settings"): stamped records
// (stamped.ts) under `setting:<settings key>:<device id>`, the settings key being `scheduling`
// (global) or `deck:<id>` (a deck's overrides); per field the latest change wins.
import type { DocHandle } from '@automerge/automerge-repo'
import type { SyncedSettings } from '../study/settings'
import type { EditsDoc } from './documents'
import { latest, pushStamps } from './stamped'

const PREFIX = 'setting:'

/** Writes the settings changed here into this device's records; returns how many settings keys. */
export function pushSettings(
  handle: DocHandle<EditsDoc>,
  deviceId: string,
  changes: ReturnType<SyncedSettings['changes']>
): number {
  return pushStamps(
    handle,
    PREFIX,
    deviceId,
    changes.map(({ key, field, value, at }) => ({ subject: key, field, value, at }))
  )
}

/**
 * Takes every setting's winning value in (call inside the transaction that applies the edits
 * document). A field changed here later than the winner, and not sent yet, is kept. Values the
 * settings would refuse are left out and reported in `refused`. Returns how many fields changed here.
 */
export function takeSettings(settings: SyncedSettings, doc: EditsDoc, refused: string[]): number {
  let changed = 0
  const valid = (key: string, field: string, value: unknown) => settings.valid(key, field, value)
  for (const [key, fields] of latest(doc, PREFIX, valid, refused)) {
    for (const [field, winner] of fields) {
      if (JSON.stringify(settings.value(key, field)) === JSON.stringify(winner.value)) continue
      const unsent = settings.unsent(key, field)
      if (unsent !== null && unsent > winner.at) continue
      settings.set(key, field, winner.value)
      changed++
    }
  }
  return changed
}
