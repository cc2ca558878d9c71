// Settings are JSON values by key: `scheduling` (global) and `deck:<id>` (a deck's overrides).
import type { Db } from './db'

// Values are cached once read: an answer reads the settings about eight times (limits, the
// rollover hour, the scheduler's parameters), each a query and a JSON parse otherwise. The cache
// is dropped when another connection commits (PRAGMA data_version changes: the CLI while the
// app runs) and when this one writes a setting; a write inside a transaction that is still
// open may yet roll back, so until it ends reads go to the database.
interface CacheState {
  values: Map<string, unknown>
  /** PRAGMA data_version when the values were read. */
  cachedAt: number
  writtenInTransaction: boolean
}
const caches = new WeakMap<Db, CacheState>()

export function createSettingsStore(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
  )
  const remove = db.prepare('DELETE FROM settings WHERE key = ?')
  const noteChange = db.prepare('INSERT OR REPLACE INTO sync_setting_changes (key, field, at) VALUES (?, ?, ?)')
  const syncChanges = db.prepare<[], { key: string; field: string; at: number }>(
    'SELECT key, field, at FROM sync_setting_changes ORDER BY key, field'
  )
  const clearChange = db.prepare('DELETE FROM sync_setting_changes WHERE key = ? AND field = ? AND at = ?')
  const dropChange = db.prepare('DELETE FROM sync_setting_changes WHERE key = ? AND field = ?')
  const changedAt = db
    .prepare<[string, string], number>('SELECT at FROM sync_setting_changes WHERE key = ? AND field = ?')
    .pluck()
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  // One cache per connection, shared by every store made on it: a write through one (device sync
  // taking another device's settings in) is seen by the others (the app's settings service).
  let state = caches.get(db)
  if (!state) caches.set(db, (state = { values: new Map(), cachedAt: -1, writtenInTransaction: false }))
  const shared = state
  const cache = shared.values

  function read<T>(key: string): T | null {
    const row = get.get(key)
    return row ? (JSON.parse(row.value) as T) : null
  }

  function written(): void {
    cache.clear()
    shared.writtenInTransaction = db.inTransaction
  }

  return {
    /** The stored value (the caller must not change it: it may be the cached object). */
    get<T>(key: string): T | null {
      if (shared.writtenInTransaction) {
        if (db.inTransaction) return read<T>(key)
        shared.writtenInTransaction = false
        cache.clear()
      }
      const version = dataVersion.get()!
      if (version !== shared.cachedAt) {
        cache.clear()
        shared.cachedAt = version
      }
      if (!cache.has(key)) cache.set(key, read<T>(key))
      return cache.get(key) as T | null
    },
    put(key: string, value: unknown): void {
      put.run(key, JSON.stringify(value))
      written()
    },
    remove(key: string): void {
      remove.run(key)
      written()
    },
    /** Notes fields changed here at `at` (ms), for device sync to send (sync/settings-sync.ts). */
    noteChanges(key: string, fields: readonly string[], at: number): void {
      for (const field of fields) noteChange.run(key, field, at)
    },
    /** The fields changed here and not sent yet. */
    syncChanges: () => syncChanges.all(),
    /** Forgets sent changes, unless the field changed again since. */
    clearSyncChanges(sent: readonly { key: string; field: string; at: number }[]): void {
      for (const change of sent) clearChange.run(change.key, change.field, change.at)
    },
    /** Forgets a change (another device's later one was taken in). */
    dropSyncChange: (key: string, field: string) => void dropChange.run(key, field),
    /** When the field last changed here without being sent yet (ms), or null. */
    unsyncedAt: (key: string, field: string): number | null => changedAt.get(key, field) ?? null
  }
}

export type SettingsStore = ReturnType<typeof createSettingsStore>
