// checkDrill: the editor's type check as the learner types, through the real dispatch and the
// shipped drills, without running anything.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { shutdownRunner } from '../../../src/main/drills/index'
import { tempDir } from '../../helpers/temp'

const collection = openCollection({
  dataDir: tempDir('retransmit-check-'),
  contentDir: join(import.meta.dirname, '..', '..', '..', 'content'),
  door: 'http',
  autoBackup: false
})
const dispatch = createDispatch(collection.handlers, () => {})
afterAll(async () => {
  collection.close()
  await shutdownRunner()
})

describe('checkDrill', () => {
  it('reports type errors with line and column, and none for correct code', async () => {
    const exported =
      "import net from 'node:net'\nexport const startEchoServer = async (): Promise<net.Server> => net.createServer()\n"
    const bad = await dispatch('checkDrill', {
      id: 'tcp-echo',
      code: `${exported}export const port: number = net.createServer()\n`
    })
    expect(bad).toMatchObject({ ok: true, value: { checked: true } })
    const errors = (bad as { value: { errors: string[] } }).value.errors
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^solution\.ts:3:14: TS2322: Type 'Server' is not assignable to type 'number'/)
    const good = await dispatch('checkDrill', { id: 'tcp-echo', code: exported })
    expect(good).toEqual({ ok: true, value: { errors: [], checked: true } })
  })

  it('reports what the bundler refuses (syntax, imports, a missing export) before type errors', async () => {
    const missing = await dispatch('checkDrill', { id: 'tcp-echo', code: 'export const x = 1\n' })
    expect((missing as { value: { errors: string[] } }).value.errors).toEqual([
      expect.stringMatching(/^visible\.test\.ts:\d+:\d+: No matching export .*startEchoServer/)
    ])
    const refused = await dispatch('checkDrill', {
      id: 'tcp-echo',
      code: "import fs from 'node:fs'\nexport const n: number = 'x'\n"
    })
    expect(refused).toMatchObject({ ok: true, value: { checked: true } })
    const errors = (refused as { value: { errors: string[] } }).value.errors
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^solution\.ts:1:\d+: .*node:fs/)
  })

  it('runs nothing and saves nothing', async () => {
    await dispatch('checkDrill', { id: 'tcp-echo', code: 'export const x: number = 1\n' })
    const detail = await dispatch('getDrill', { id: 'tcp-echo' })
    expect(detail).toMatchObject({ ok: true, value: { draft: null, attempts: 0, lastSubmit: null } })
  })

  it('refuses an unknown drill and oversized code', async () => {
    expect(await dispatch('checkDrill', { id: 'no-such-drill', code: '' })).toMatchObject({
      ok: false,
      code: 'not_found'
    })
    expect(await dispatch('checkDrill', { id: 'tcp-echo', code: 'x'.repeat(500_001) })).toMatchObject({
      ok: false,
      code: 'validation'
    })
  })
})
