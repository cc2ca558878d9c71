// The drill page's state against the real services: a collection over the shipped content in a
// temp folder, answered through the same dispatch the page's doors use; Run and Submit run the
// real sandbox.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../../main/app/collection'
import { shutdownRunner } from '../../../../main/drills'
import { ApiError } from '../../../../shared/errors'
import { pageApi } from '../../../../../test/helpers/page-api'
import { tempDir } from '../../../../../test/helpers/temp'
import { DrillSession } from './drill-session.svelte'

const collection = openCollection({
  dataDir: tempDir(),
  contentDir: join(import.meta.dirname, '../../../../../content'),
  door: 'http',
  autoBackup: false
})
const api = pageApi(collection)
afterAll(async () => {
  collection.close()
  await shutdownRunner()
})

const DRILL = 'tcp-echo'
/** Timers long enough that only the test's own calls save and check. */
const MANUAL = { saveDelayMs: 3_600_000, checkDelayMs: 3_600_000 }

describe('DrillSession', () => {
  it('opens the drill with the starter, an open attempt and a checked text', async () => {
    const session = new DrillSession(DRILL, api, MANUAL)
    expect(await session.load()).toBe(true)
    expect(session.code).toBe(session.detail!.starter)
    expect(session.attempt?.openedAt).toEqual(expect.any(Number))
    await session.checkTypes()
    expect(session.types?.checked).toBe(true)
    session.dispose()
  })

  it('saves what was typed, and the next opening continues from it', async () => {
    const session = new DrillSession(DRILL, api, MANUAL)
    await session.load()
    session.edit('export const draft = 1\n')
    expect(session.saveState).toBe('pending')
    await session.save()
    expect(session.saveState).toBe('saved')
    expect((await api.getDrill({ id: DRILL })).draft).toBe('export const draft = 1\n')
    const again = new DrillSession(DRILL, api, MANUAL)
    await again.load()
    expect(again.code).toBe('export const draft = 1\n')
    session.dispose()
  })

  it('drops a type check answer for text that has changed since it was sent', async () => {
    const session = new DrillSession(DRILL, api, MANUAL)
    await session.load()
    session.types = null
    const pending = session.checkTypes()
    session.code = 'const changed: number = "text"\n'
    await pending
    expect(session.types).toBe(null)
    await session.checkTypes()
    expect(session.types).toMatchObject({ checked: true, errors: 1 })
    expect(session.typesText).toMatch(/^1 problem: line 1: /)
    session.dispose()
  })

  it('shows hints one at a time as the host records them', async () => {
    const session = new DrillSession(DRILL, api, MANUAL)
    await session.load()
    const first = session.nextHint!
    await session.showHint(first)
    expect(session.hintsShown.map((h) => h.n)).toContain(first)
    expect(session.nextHint).not.toBe(first)
    expect(session.announce).toBe(`Hint ${first} shown.`)
    await session.showHint(99)
    expect(session.request.error).toBeInstanceOf(ApiError)
    expect((session.request.error as ApiError).code).toBe('validation')
  })

  it('refuses the solution before a Submit, says why, and shows it after one', async () => {
    const session = new DrillSession(DRILL, api, MANUAL)
    await session.load()
    expect(await session.showSolution()).toBe(false)
    expect(session.solutionRefused).toMatch(/^Submit your code first/)
    session.edit(session.detail!.starter)
    const run = session.execute('run')
    expect(session.running).toBe('run')
    expect(await run).toBe(true)
    expect(session.running).toBe(null)
    expect(session.result?.result.status).toBe('fail') // the starter fails
    expect(session.announce).toMatch(/^Run finished: fail\. \d+ of \d+ tests passed\.$/)
    expect(session.runDiagnostics.length + session.result!.result.tests.length).toBeGreaterThan(0)
    expect(session.solutionRefused).toMatch(/^Submit your code first/) // a Run is not enough
    expect(await session.execute('submit')).toBe(true)
    expect(session.result?.outcome?.grade).toBe(1)
    expect(session.solutionRefused).toBe(null) // the Submit lifted the refusal
    const asking = session.showSolution()
    expect(session.solutionRequest.busy).toBe(true)
    expect(await asking).toBe(true)
    expect(session.solutionRequest.busy).toBe(false)
    expect(session.attempt?.solutionShownAt).toEqual(expect.any(Number))
    expect(session.solution).toContain('export')
    expect(session.solutionRefused).toBe(null)
  }, 120_000)

  it('keeps a failed opening in its request, not thrown', async () => {
    const session = new DrillSession('no-such-drill', api, MANUAL)
    expect(await session.load()).toBe(false)
    expect(session.detail).toBe(null)
    expect((session.request.error as ApiError).code).toBe('not_found')
  })
})
