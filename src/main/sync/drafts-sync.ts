// Drill drafts in the edits document (README.md, "Drill drafts"): stamped records (stamped.ts)
// under `draft:<drill id>:<device id>`, one field, `code`, stamped with the time it was saved;
// the latest save wins on every device (drafts are whole programs, not merged line by line).
import type { DocHandle } from '@automerge/automerge-repo'
import type { SyncDraft, SyncDraftsStore } from '../store/sync-drafts'
import type { EditsDoc } from './documents'
import { latest, pushStamps } from './stamped'

const PREFIX = 'draft:'
/** The longest draft taken in (characters): what saveDraft accepts. */
const MAX_CODE = 500_000

/** Writes the drafts saved here into this device's records; returns how many drills. */
export function pushDrafts(handle: DocHandle<EditsDoc>, deviceId: string, drafts: readonly SyncDraft[]): number {
  return pushStamps(
    handle,
    PREFIX,
    deviceId,
    drafts.map(({ drillId, code, updatedAt }) => ({ subject: drillId, field: 'code', value: code, at: updatedAt }))
  )
}

const validDraft = (_drill: string, field: string, value: unknown) =>
  field === 'code' && typeof value === 'string' && value.length <= MAX_CODE

/**
 * Takes every drill's latest draft in (call inside the transaction that applies the edits
 * document); a draft saved here later is kept. Returns how many drafts changed here.
 */
export function takeDrafts(store: SyncDraftsStore, doc: EditsDoc, refused: string[]): number {
  let changed = 0
  for (const [drillId, fields] of latest(doc, PREFIX, validDraft, refused)) {
    const winner = fields.get('code')
    if (!winner) continue
    const local = store.draft(drillId)
    if (local && (local.code === winner.value || local.updatedAt > winner.at)) continue
    store.put({ drillId, code: winner.value as string, updatedAt: winner.at })
    changed++
  }
  return changed
}
