// Automatic and manual backups, thinning, and restore: through the services and the CLI,
// on real collection files in temp folders.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { AUTO_BACKUP_INTERVAL_MS, createBackupService } from '../../../src/main/app/backups'
import { openCollection, type Collection, type CollectionOptions } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { openDatabase } from '../../../src/main/store/db'
import type { BackupEntry } from '../../../src/shared/backups'
import { fixtureContent } from '../../helpers/collection'
import { runCli as run } from '../../helpers/cli'
import { fixedClock, FIXED_NOW, tempDir } from '../../helpers/temp'

const MINUTE = 60_000
const DAY = 86_400_000

const opened: Collection[] = []
afterAll(async () => {
  for (const c of opened.splice(0)) {
    await c.settled()
    c.close()
  }
})

function open(dataDir: string, overrides: Partial<CollectionOptions> = {}): Collection {
  const collection = openCollection({
    dataDir,
    contentDir: fixtureContent(),
    door: 'http',
    clock: fixedClock(),
    log: () => {},
    ...overrides
  })
  opened.push(collection)
  return collection
}

const reviewCount = (file: string): number => {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM review_log').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('automatic backups', () => {
  it('backs up at start, then on the first write after 30 minutes, not on reads or sooner', async () => {
    const dataDir = tempDir()
    const clock = fixedClock()
    const c = open(dataDir, { clock })
    await c.settled()
    expect(c.backups.list().map((b) => b.createdAt)).toEqual([FIXED_NOW])

    clock.advance(10 * MINUTE)
    await c.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    await c.settled()
    expect(c.backups.list()).toHaveLength(1) // a write, but too soon

    clock.advance(AUTO_BACKUP_INTERVAL_MS)
    await c.handlers.listDecks({})
    await c.settled()
    expect(c.backups.list()).toHaveLength(1) // due, but only a read

    await c.handlers.answerCard({ cardId: 'alpha-2', rating: 3, durationMs: 1000 })
    await c.settled()
    const list = c.backups.list()
    expect(list).toHaveLength(2)
    expect(list[0]).toMatchObject({ createdAt: FIXED_NOW + 40 * MINUTE, kind: 'auto' })
    // The new backup holds both answers: it was taken after the write committed.
    expect(reviewCount(join(dataDir, 'backups', list[0]!.name))).toBe(2)
    // Backups are single files: no -wal or -shm beside them, no partial copies left over.
    expect(readdirSync(join(dataDir, 'backups')).sort()).toEqual(list.map((b) => b.name).sort())
  })

  it('does not back up again at start when a backup is under 30 minutes old', async () => {
    const dataDir = tempDir()
    const clock = fixedClock()
    const first = open(dataDir, { clock })
    await first.settled()
    first.close()
    clock.advance(5 * MINUTE)
    const second = open(dataDir, { clock })
    await second.settled()
    expect(second.backups.list()).toHaveLength(1)
  })

  it('thins automatic backups to the newest 5, one a day for 7 days, one a week for 4 weeks, one a month for 12 months; keeps manual ones', async () => {
    const dataDir = tempDir()
    const db = openDatabase(join(dataDir, 'collection.sqlite'))
    const clock = fixedClock(FIXED_NOW - 400 * DAY)
    const service = createBackupService({ dataDir, clock, log: () => {} })
    // One backup a day for 400 days, and a manual one at the start.
    await service.create(db, 'manual')
    for (let t = FIXED_NOW - 400 * DAY; t <= FIXED_NOW; t += DAY) {
      clock.set(t)
      await service.create(db, 'auto')
    }
    db.close()
    const list = service.list()
    const auto = list.filter((b) => b.kind === 'auto')
    const ages = auto.map((b) => (FIXED_NOW - b.createdAt) / DAY)
    // The newest 5 and one a day for the last 7 days: the last 7 days, every one.
    expect(ages.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 6])
    // Then one a week for 4 weeks, then one a month: 12 calendar months in all.
    const months = new Set(auto.map((b) => new Date(b.createdAt).toISOString().slice(0, 7)))
    expect(months.size).toBe(12)
    expect(Math.max(...ages)).toBeLessThan(366)
    expect(auto.length).toBeLessThanOrEqual(5 + 7 + 4 + 12)
    // Thinning again changes nothing: the policy is stable.
    expect(service.thin()).toEqual([])
    expect(list.filter((b) => b.kind === 'manual')).toHaveLength(1)
  })
})

describe('backup and restore through the services', () => {
  it('makes a backup now, restores it (keeping the current file aside), and the app carries on with the restored data', async () => {
    const dataDir = tempDir()
    const c = open(dataDir, { autoBackup: false })
    await c.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    const made = (await c.handlers.createBackup({})) as BackupEntry
    expect(made.kind).toBe('manual')
    expect(made.sizeBytes).toBeGreaterThan(0)
    await c.handlers.answerCard({ cardId: 'alpha-2', rating: 3, durationMs: 1000 })
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(2)

    const dispatch = createDispatch(c.handlers)
    const listed = await dispatch('listBackups', {})
    expect(listed).toMatchObject({ ok: true, value: [{ name: made.name }] })
    const restored = await dispatch('restoreBackup', { name: made.name })
    expect(restored).toMatchObject({
      ok: true,
      value: { restored: made.name, keptAside: expect.stringMatching(/collection\.sqlite\.before-restore-/) }
    })
    const keptAside = (restored as { value: { keptAside: string } }).value.keptAside
    // The restored collection is live in the same handlers: one answer, and the kept-aside file has two.
    const stats = await c.handlers.getStats({ days: 30 })
    expect(stats.totals.answers).toBe(1)
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(1)
    expect(reviewCount(keptAside)).toBe(2)
    await c.handlers.answerCard({ cardId: 'beta-1', rating: 3, durationMs: 1000 })
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(2)
  })

  it('accepts only names from the listing: paths and unknown names are refused', async () => {
    const dataDir = tempDir()
    const dispatch = createDispatch(open(dataDir, { autoBackup: false }).handlers)
    for (const name of [
      '../collection.sqlite',
      '/etc/passwd',
      'collection-2026-03-02T09-00-00-000Z.sqlite/..',
      'x.sqlite'
    ]) {
      expect(await dispatch('restoreBackup', { name })).toMatchObject({ ok: false, code: 'validation' })
    }
    expect(await dispatch('restoreBackup', { name: 'collection-2020-01-01T00-00-00-000Z.sqlite' })).toMatchObject({
      ok: false,
      code: 'not_found'
    })
  })

  it('refuses a damaged backup and leaves the collection open and untouched', async () => {
    const dataDir = tempDir()
    const c = open(dataDir, { autoBackup: false })
    await c.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    const made = (await c.handlers.createBackup({})) as BackupEntry
    writeFileSync(join(dataDir, 'backups', made.name), Buffer.alloc(8192, 0x41))
    const result = await createDispatch(c.handlers)('restoreBackup', { name: made.name })
    expect(result).toMatchObject({
      ok: false,
      code: 'validation',
      message: expect.stringMatching(/not a Retransmit collection/)
    })
    await c.handlers.answerCard({ cardId: 'alpha-2', rating: 3, durationMs: 1000 })
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(2)
    expect(readdirSync(dataDir).some((f) => f.includes('before-restore'))).toBe(false)
  })
})

describe('retransmit backup and restore', () => {
  it('backs up to the backups folder or --out FILE and restores FILE, keeping the current file aside', async () => {
    const dataDir = tempDir()
    const c = open(dataDir, { autoBackup: false })
    await c.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    c.close()

    const inFolder = await run(['backup', '--data-dir', dataDir])
    expect(inFolder.code).toBe(0)
    expect(inFolder.out).toMatch(/backups\/collection-.*-manual\.sqlite$/)
    expect(existsSync(inFolder.out)).toBe(true)
    const out = join(tempDir(), 'mine.sqlite')
    const toFile = await run(['backup', '--out', out, '--data-dir', dataDir])
    expect(toFile).toMatchObject({ code: 0, out })
    expect(reviewCount(out)).toBe(1)
    expect((await run(['backup', '--out', out, '--data-dir', dataDir])).code).toBe(2) // never overwrites

    const later = open(dataDir, { autoBackup: false })
    await later.handlers.answerCard({ cardId: 'alpha-2', rating: 3, durationMs: 1000 })
    later.close()
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(2)

    const restored = await run(['restore', out, '--data-dir', dataDir])
    expect(restored.code).toBe(0)
    expect(restored.out).toMatch(/kept as .*collection\.sqlite\.before-restore-/)
    expect(reviewCount(join(dataDir, 'collection.sqlite'))).toBe(1)
    const aside = readdirSync(dataDir).filter(
      (f) => f.startsWith('collection.sqlite.before-restore-') && !f.endsWith('-wal')
    )
    expect(aside).toHaveLength(1)
    expect(reviewCount(join(dataDir, aside[0]!))).toBe(2)
  })

  it('refuses a file that is not a Retransmit collection (exit 2), and a restore while another process has the collection open (exit 1)', async () => {
    const dataDir = tempDir()
    const c = open(dataDir, { autoBackup: false })
    const good = join(tempDir(), 'good.sqlite')
    expect((await run(['backup', '--out', good, '--data-dir', dataDir])).code).toBe(0)

    const other = join(tempDir(), 'other.sqlite')
    new Database(other).exec('CREATE TABLE t (x)').close()
    const foreign = await run(['restore', other, '--data-dir', dataDir])
    expect(foreign.code).toBe(2)
    expect(foreign.err).toMatch(/not a Retransmit collection/)
    expect((await run(['restore', join(tempDir(), 'missing.sqlite'), '--data-dir', dataDir])).code).toBe(2)

    // `c` (as the desktop app would) still has the collection open.
    const busy = await run(['restore', good, '--data-dir', dataDir])
    expect(busy.code).toBe(1)
    expect(busy.err).toMatch(/open in another Retransmit process/)
    expect(readdirSync(dataDir).some((f) => f.includes('before-restore'))).toBe(false)
    c.close()
    expect((await run(['restore', good, '--data-dir', dataDir])).code).toBe(0)
  })
})
