// The settings store caches what it has read: a change by another connection (the CLI while the
// app runs), its own writes, and a write rolled back with its transaction must all show.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../../src/main/store/settings'
import { tempDb } from '../../helpers/db'

describe('settings store cache', () => {
  const others: Database.Database[] = []
  afterEach(() => {
    for (const db of others.splice(0)) db.close()
  })

  it('sees another connection’s commit, its own writes and removals', () => {
    const { db, file } = tempDb()
    const store = createSettingsStore(db)
    store.put('scheduling', { newPerDay: 5 })
    expect(store.get('scheduling')).toEqual({ newPerDay: 5 })
    const other = new Database(file)
    others.push(other)
    other.prepare("UPDATE settings SET value = '{\"newPerDay\":7}' WHERE key = 'scheduling'").run()
    expect(store.get('scheduling')).toEqual({ newPerDay: 7 })
    store.put('scheduling', { newPerDay: 9 })
    expect(store.get('scheduling')).toEqual({ newPerDay: 9 })
    store.remove('scheduling')
    expect(store.get('scheduling')).toBeNull()
  })

  it('forgets a write that its transaction rolled back', () => {
    const { db } = tempDb()
    const store = createSettingsStore(db)
    store.put('deck:a', { newPerDay: 1 })
    expect(store.get('deck:a')).toEqual({ newPerDay: 1 })
    expect(() =>
      db.transaction(() => {
        store.put('deck:a', { newPerDay: 2 })
        expect(store.get('deck:a')).toEqual({ newPerDay: 2 })
        throw new Error('roll back')
      })()
    ).toThrow('roll back')
    expect(store.get('deck:a')).toEqual({ newPerDay: 1 })
  })
})
