// The command line's own contract methods (cliOnly in src/shared/api.ts): the page's doors refuse
// them, the CLI's dispatch answers them, and their results are what the commands print.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentCheckHandlers } from '../../../src/main/app/content-check'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { caller, UsageError, type CliIo } from '../../../src/main/doors/cli/shared'
import { contract, isCliOnly, methodNames, pageMethodNames } from '../../../src/shared/api'
import { runCli as run } from '../../helpers/cli'
import { fixtureContent, testCollection } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'

const quiet: CliIo = { out: () => {}, json: () => {}, err: () => {}, progress: () => {}, env: {} }
const CLI_ONLY = ['checkContent', 'previewImportFile', 'importFile', 'exportDecks', 'backupTo', 'runDrillSolution']

describe('methods of the command line only', () => {
  it('are marked in the contract and left out of the page methods', () => {
    expect(methodNames.filter(isCliOnly).sort()).toEqual([...CLI_ONLY].sort())
    for (const m of CLI_ONLY) expect(pageMethodNames).not.toContain(m)
    expect(pageMethodNames.length + CLI_ONLY.length).toBe(Object.keys(contract).length)
  })

  it('are refused by a page door (forbidden) before their input is even read, and answered by the CLI door', async () => {
    const collection = testCollection()
    const out = tempDir()
    const page = createDispatch(collection.handlers, () => {})
    for (const m of CLI_ONLY)
      expect(await page(m, { outDir: out, file: join(out, 'x') })).toMatchObject({ ok: false, code: 'forbidden' })
    expect(readdirSync(out)).toEqual([])
    const cli = createDispatch(collection.handlers, () => {}, 'cli')
    expect(await cli('exportDecks', { outDir: out })).toMatchObject({ ok: true, value: { decks: 2 } })
  })

  it('take absolute paths only (the CLI resolves relative ones)', async () => {
    const call = caller(testCollection().handlers, quiet)
    await expect(call('exportDecks', { outDir: 'relative/dir' })).rejects.toThrow(/must be an absolute path/)
    await expect(call('exportDecks', { outDir: 'relative/dir' })).rejects.toBeInstanceOf(UsageError)
    await expect(call('backupTo', { file: '/tmp/a\0b' })).rejects.toThrow(/absolute path/)
  })

  it('checkContent counts a folder per deck, as `check --json` prints it, without a collection', async () => {
    const content = fixtureContent()
    const report = await caller(testCollection().handlers, quiet)('checkContent', { dir: content })
    expect(report.problems).toEqual([])
    expect(report.decks).toEqual([
      { id: 'alpha', notes: 1, cards: 2, clozeCards: 0, quizItems: 0, quizTypes: {}, drills: [] },
      { id: 'beta', notes: 0, cards: 1, clozeCards: 0, quizItems: 1, quizTypes: { truefalse: 1 }, drills: [] }
    ])
    const dataDir = tempDir()
    const printed = await run(['check', content, '--json'], { RETRANSMIT_DATA_DIR: dataDir })
    expect(printed.code).toBe(0)
    expect(JSON.parse(printed.out)).toEqual(report)
    expect(readdirSync(dataDir)).toEqual([]) // no collection was opened
  })

  it('checkContent with no folder given and none shipped is not_found, which the CLI maps to a usage error', async () => {
    const dispatch = createDispatch(contentCheckHandlers(null), () => {}, 'cli')
    expect(await dispatch('checkContent', {})).toMatchObject({ ok: false, code: 'not_found' })
    await expect(caller(contentCheckHandlers(null), quiet)('checkContent', {})).rejects.toBeInstanceOf(UsageError)
    // A dispatch over a subset answers the methods it has no handler for as unknown.
    expect(await dispatch('listDecks', {})).toMatchObject({ ok: false, code: 'not_found' })
  })

  it('importFile reports progress to the sink the door opened the collection with', async () => {
    const file = join(tempDir(), 'cards.csv')
    writeFileSync(file, 'front,back,tags\nWhat is RTT?,Round-trip time,tcp\n')
    const dataDir = tempDir()
    const result = await run(['import', file, '--deck', 'From CSV', '--json', '--data-dir', dataDir])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.out)).toMatchObject({ format: 'csv', deck: 'from-csv', created: 1 })
    expect(result.progress.at(-1)).toBe(1)
  })

  it('backupTo writes a manual backup to the backups folder, or to a new file, and never overwrites one', async () => {
    const call = caller(testCollection().handlers, quiet)
    const manual = await call('backupTo', {})
    expect(manual.file).toMatch(/backups[/\\]collection-.*-manual\.sqlite$/)
    expect(readFileSync(manual.file).subarray(0, 15).toString()).toBe('SQLite format 3')
    const file = join(tempDir(), 'copy.sqlite')
    expect(await call('backupTo', { file })).toEqual({ file })
    expect(existsSync(file)).toBe(true)
    const before = readFileSync(file)
    await expect(call('backupTo', { file })).rejects.toThrow(/already exists/)
    expect(readFileSync(file).equals(before)).toBe(true)
  })
})
