// A damaged collection file at start: kept aside untouched, a clear message naming the
// newest good backup and the restore command (CLI), or the recovery state (app doors).
import { createHash } from 'node:crypto'
import { openSync, readdirSync, readFileSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { CorruptCollectionError } from '../../../src/shared/errors'
import { fixtureContent } from '../../helpers/collection'
import { runCli as run } from '../../helpers/cli'
import { fixedClock, tempDir } from '../../helpers/temp'

const opened: Collection[] = []
afterAll(async () => {
  for (const c of opened.splice(0)) {
    await c.settled()
    c.close()
  }
})

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** A collection with two answers and a backup holding the first, closed cleanly (WAL checkpointed). */
async function collectionWithBackup(): Promise<string> {
  const dataDir = tempDir()
  const clock = fixedClock()
  const c = openCollection({ dataDir, contentDir: fixtureContent(), door: 'http', clock, autoBackup: false })
  await c.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
  await c.handlers.createBackup({})
  clock.advance(60_000)
  await c.handlers.answerCard({ cardId: 'alpha-2', rating: 3, durationMs: 1000 })
  c.close()
  return dataDir
}

/** Writes bytes over the file at an offset, as a failing disk or a stray process might. */
function scribble(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset)
  closeSync(fd)
}

const damages: [string, (file: string) => void][] = [
  ['garbage over the header page', (file) => scribble(file, 0, 4096)],
  ['garbage over the pages after the first', (file) => scribble(file, 4096, statSync(file).size - 4096)],
  ['a file truncated to a third', (file) => truncateSync(file, Math.floor(statSync(file).size / 3 / 4096) * 4096 + 100)]
]

describe('a damaged collection at start', () => {
  for (const [what, damage] of damages) {
    it(`CLI, ${what}: exit 1, the file kept aside untouched, the newest good backup and the exact restore command`, async () => {
      const dataDir = await collectionWithBackup()
      const file = join(dataDir, 'collection.sqlite')
      damage(file)
      const damagedHash = sha(file)

      const result = await run(['stats', '--data-dir', dataDir])
      expect(result.code).toBe(1)
      const aside = readdirSync(dataDir).filter((f) => f.startsWith('collection.sqlite.corrupt-'))
      expect(aside).toHaveLength(1)
      expect(sha(join(dataDir, aside[0]!))).toBe(damagedHash)
      expect(result.err).toContain(join(dataDir, aside[0]!))
      const backup = readdirSync(join(dataDir, 'backups'))[0]!
      expect(result.err).toContain(`retransmit restore '${join(dataDir, 'backups', backup)}' --data-dir '${dataDir}'`)

      // The command it names works, and the restored collection holds the backup's answer.
      const command = /retransmit (restore .*)$/m.exec(result.err)![1]!
      const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
      expect((await run(args)).code).toBe(0)
      const stats = await run(['stats', '--json', '--data-dir', dataDir])
      expect(stats.code).toBe(0)
      // The damaged file is still there, as it was.
      expect(sha(join(dataDir, aside[0]!))).toBe(damagedHash)
    })
  }

  it('openCollection throws CorruptCollectionError naming the kept-aside file and backup', async () => {
    const dataDir = await collectionWithBackup()
    scribble(join(dataDir, 'collection.sqlite'), 0, 4096)
    let thrown: unknown
    try {
      openCollection({ dataDir, contentDir: null, door: 'cli', autoBackup: false })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(CorruptCollectionError)
    expect((thrown as CorruptCollectionError).code).toBe('storage')
    expect((thrown as CorruptCollectionError).recovery).toMatchObject({
      keptAside: expect.stringMatching(/collection\.sqlite\.corrupt-/),
      newestBackup: expect.stringMatching(/^collection-.*-manual\.sqlite$/)
    })
  })

  it('app doors: the recovery state answers appInfo and listBackups, refuses the rest, and restores the newest backup', async () => {
    const dataDir = await collectionWithBackup()
    scribble(join(dataDir, 'collection.sqlite'), 4096, 8192)
    truncateSync(join(dataDir, 'collection.sqlite'), 4096 * 3)
    const c = openCollection({ dataDir, contentDir: fixtureContent(), door: 'http', recover: true, autoBackup: false })
    opened.push(c)
    const dispatch = createDispatch(c.handlers)
    const info = await dispatch('appInfo', {})
    expect(info).toMatchObject({
      ok: true,
      value: { recovery: { keptAside: expect.stringMatching(/corrupt-/), newestBackup: expect.any(String) } }
    })
    const recovery = (info as { value: { recovery: { newestBackup: string } } }).value.recovery
    expect(await dispatch('listBackups', {})).toMatchObject({ ok: true, value: [{ name: recovery.newestBackup }] })
    expect(await dispatch('listDecks', {})).toMatchObject({
      ok: false,
      code: 'storage',
      message: expect.stringMatching(/restore a backup/)
    })
    expect(await dispatch('answerCard', { cardId: 'alpha-1', rating: 3, durationMs: 1 })).toMatchObject({
      ok: false,
      code: 'storage'
    })

    expect(await dispatch('restoreBackup', { name: recovery.newestBackup })).toMatchObject({
      ok: true,
      value: { keptAside: null }
    })
    expect(await dispatch('appInfo', {})).toMatchObject({
      ok: true,
      value: { recovery: null, schemaVersion: expect.any(Number) }
    })
    const decks = await dispatch('listDecks', {})
    expect(decks).toMatchObject({ ok: true })
    expect(await dispatch('answerCard', { cardId: 'alpha-2', rating: 3, durationMs: 1 })).toMatchObject({ ok: true })
  })
})
