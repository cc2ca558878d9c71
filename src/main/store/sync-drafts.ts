// What device sync reads and writes for drill drafts (the code the learner is writing for a
// drill, one per drill): the drafts saved since a time, and the write that takes another
// device's later draft in.
import type { Db } from './db'

export interface SyncDraft {
  drillId: string
  code: string
  /** When it was saved (ms). */
  updatedAt: number
}

export interface SyncDraftsStore {
  /** Drafts saved at or after `sinceMs`. */
  savedSince(sinceMs: number): SyncDraft[]
  draft(drillId: string): SyncDraft | null
  /** Writes a draft with the time it was saved where it was written; a drill this collection lacks gets none. */
  put(draft: SyncDraft): void
}

export function createSyncDraftsStore(db: Db): SyncDraftsStore {
  const since = db.prepare<[number], SyncDraft>(
    'SELECT drill_id AS drillId, code, updated_at AS updatedAt FROM drill_drafts WHERE updated_at >= ? ORDER BY drill_id'
  )
  const one = db.prepare<[string], SyncDraft>(
    'SELECT drill_id AS drillId, code, updated_at AS updatedAt FROM drill_drafts WHERE drill_id = ?'
  )
  const put = db.prepare(`
    INSERT INTO drill_drafts (drill_id, code, updated_at) SELECT @drillId, @code, @updatedAt
     WHERE EXISTS (SELECT 1 FROM drills WHERE id = @drillId)
    ON CONFLICT (drill_id) DO UPDATE SET code = excluded.code, updated_at = excluded.updated_at`)
  return {
    savedSince: (sinceMs) => since.all(sinceMs),
    draft: (drillId) => one.get(drillId) ?? null,
    put: (draft) => void put.run(draft)
  }
}
