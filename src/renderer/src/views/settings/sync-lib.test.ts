import { describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../../shared/device-sync'
import { summarizeSync } from './sync-lib'

const base: SyncStatus = {
  server: 'http://127.0.0.1:7420',
  hasToken: true,
  deviceId: 'a1b2c3d4e5f60718',
  running: false,
  step: null,
  lastSyncAt: null,
  lastError: null,
  lastReport: null,
  auto: true
}
const report = { sent: 1, received: 1200, edits: 0, documents: 3, refused: [], refusedCount: 0, waiting: 0 }

describe('Settings → Sync summary', () => {
  it('says when it never synced, is syncing, or last synced', () => {
    expect(summarizeSync(base)).toEqual({ state: 'Never synced', report: null, problem: null })
    expect(summarizeSync({ ...base, running: true, step: 'sending answers' }).state).toBe('Syncing: sending answers…')
    const done = summarizeSync({ ...base, lastSyncAt: Date.UTC(2026, 2, 2, 9, 0), lastReport: report }, 'en-GB', 'UTC')
    expect(done.state).toBe('Last synced 2 Mar 2026, 09:00')
    expect(done.report).toBe('1 answer sent, 1,200 answers received, 0 edits sent.')
    expect(done.problem).toBeNull()
    const drills = summarizeSync({ ...base, lastReport: { ...report, drillsSent: 0, drillsReceived: 3 } })
    expect(drills.report).toBe('1 answer sent, 1,200 answers received, 0 edits sent. 0 drill records sent, 3 received.')
  })

  it('reports a failed round, entries left out and documents still to come', () => {
    const failed = summarizeSync({ ...base, lastError: 'the sync server refused the token' })
    expect(failed.problem).toBe('The last sync failed: the sync server refused the token')
    const partial = summarizeSync({
      ...base,
      lastError: '',
      lastReport: { ...report, refused: ['automerge:x: synced answer p:2 is malformed'], refusedCount: 2, waiting: 1 }
    })
    expect(partial.problem).toBe(
      '2 entries from other devices left out: automerge:x: synced answer p:2 is malformed 1 document not on the server yet; they come with a later sync.'
    )
  })
})
