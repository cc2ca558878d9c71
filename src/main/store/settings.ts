// Settings are JSON values by key: `scheduling` (global) and `deck:<id>` (a deck's overrides).
import type { Db } from './db'

// Values are cached once read: an answer reads the settings about eight times (limits, the
// rollover hour, the scheduler's parameters), each a query and a JSON parse otherwise. The cache
// is dropped when another connection commits (PRAGMA data_version changes: the CLI while the
// app runs) and when this one writes a setting; a write inside a transaction that is still
// open may yet roll back, so until it ends reads go to the database.
export function createSettingsStore(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
  )
  const remove = db.prepare('DELETE FROM settings WHERE key = ?')
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const cache = new Map<string, unknown>()
  let cachedAt = -1
  let writtenInTransaction = false

  function read<T>(key: string): T | null {
    const row = get.get(key)
    return row ? (JSON.parse(row.value) as T) : null
  }

  function written(): void {
    cache.clear()
    writtenInTransaction = db.inTransaction
  }

  return {
    /** The stored value (the caller must not change it: it may be the cached object). */
    get<T>(key: string): T | null {
      if (writtenInTransaction) {
        if (db.inTransaction) return read<T>(key)
        writtenInTransaction = false
        cache.clear()
      }
      const version = dataVersion.get()!
      if (version !== cachedAt) {
        cache.clear()
        cachedAt = version
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
    }
  }
}

export type SettingsStore = ReturnType<typeof createSettingsStore>
