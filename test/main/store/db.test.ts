import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, migrations, openDatabase, SCHEMA_VERSION, schemaVersion } from '../../../src/main/store/db'
import { tempDir } from '../../helpers/temp'

describe('the collection database', () => {
  it('has numbered migrations from 1 without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_m, i) => i + 1))
    expect(SCHEMA_VERSION).toBe(migrations.length)
  })

  it('opens with WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(tempDir(), 'c.sqlite'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000)
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
    db.close()
  })

  // Every older version a user may have on disk must upgrade, keeping its rows.
  it.each(Array.from({ length: SCHEMA_VERSION }, (_v, i) => i))(
    'upgrades a database created at version %i',
    (version) => {
      const file = join(tempDir(), 'old.sqlite')
      const old = new Database(file)
      migrate(old, version)
      expect(schemaVersion(old)).toBe(version)
      if (version >= 1) {
        old.prepare("INSERT INTO decks (id, title, created_at, updated_at) VALUES ('kept', 'Kept', 1, 1)").run()
      }
      old.close()
      const db = openDatabase(file)
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
      if (version >= 1) expect(db.prepare("SELECT title FROM decks WHERE id = 'kept'").get()).toEqual({ title: 'Kept' })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    }
  )

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = join(tempDir(), 'new.sqlite')
    const newer = new Database(file)
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    newer.close()
    expect(() => openDatabase(file)).toThrow(/newer Retransmit/)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
    check.close()
  })

  it('enforces foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'fk.sqlite'))
    expect(() =>
      db
        .prepare(
          "INSERT INTO cards (id, deck_id, kind, front, back, created_at, updated_at) VALUES ('c', 'nope', 'basic', 'f', 'b', 1, 1)"
        )
        .run()
    ).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }))
    db.close()
  })
})
