// Device sync is loaded when it is first used, not at start: Automerge and its WebAssembly cost
// every start of `serve` hundreds of ms. Seen from outside, through Node's own module hooks.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../src/shared/device-sync'
import { callApi } from './api'
import { serve, type Served } from './harness'

const HOOK = join(import.meta.dirname, 'report-automerge-loads.mjs')

describe('serve loads device sync lazily', () => {
  let served: Served
  const automergeLines = () =>
    served
      .logs()
      .stderr.split('\n')
      .filter((line) => line.startsWith('automerge loaded:'))

  beforeAll(async () => {
    served = await serve({ NODE_OPTIONS: `--import=${HOOK}` })
  })
  afterAll(async () => {
    await served?.stop()
  })

  it('answers, shows and configures sync without loading Automerge, and loads it for the first round', async () => {
    await callApi(served, 'listDecks', {})
    const before = await callApi<SyncStatus>(served, 'syncStatus', {})
    expect(before).toMatchObject({ server: null, hasToken: false, running: false, lastSyncAt: null })
    expect(before.deviceId).toMatch(/^[0-9a-f]{16}$/)
    // Port 1 on loopback: nothing listens there, so the round fails quickly with a reason.
    const configured = await callApi<SyncStatus>(served, 'configureSync', {
      server: 'http://127.0.0.1:1',
      token: 'a-token-of-sixteen-chars'
    })
    expect(configured).toMatchObject({ server: 'http://127.0.0.1:1', hasToken: true, deviceId: before.deviceId })
    expect(automergeLines()).toEqual([])

    const after = await callApi<SyncStatus>(served, 'syncNow', {})
    expect(after.lastError).toBeTruthy()
    expect(automergeLines().length).toBeGreaterThan(0)
  })
})
