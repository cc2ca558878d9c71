// Settings are JSON values by key: `scheduling` (global) and `deck:<id>` (a deck's overrides).
import type { Db } from './db'

export function createSettingsStore(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
  const remove = db.prepare('DELETE FROM settings WHERE key = ?')
  return {
    get<T>(key: string): T | null {
      const row = get.get(key)
      return row ? (JSON.parse(row.value) as T) : null
    },
    put(key: string, value: unknown): void {
      put.run(key, JSON.stringify(value))
    },
    remove(key: string): void {
      remove.run(key)
    }
  }
}

export type SettingsStore = ReturnType<typeof createSettingsStore>
