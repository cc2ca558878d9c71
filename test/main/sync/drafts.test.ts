// Drill drafts travel between two devices (each its own process, with the shipped library's
// drills) through one sync server: the later save of one drill's draft wins everywhere,
// whichever device syncs last, and a draft saved on one device only appears on the other.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, startPair, type Pair } from './devices'

interface Dump {
  drafts: { drillId: string; code: string; updatedAt: number }[]
  integrity: string
}

const TOKEN = 'drafts-sync-test-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)
const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')

let pair: Pair

describe('drill drafts synced between two devices', () => {
  let dumps: Dump[]

  beforeAll(async () => {
    pair = await startPair('drafts', TOKEN, CONTENT)
    const { laptop, desktop } = pair
    // Offline: both write the DNS server drill, the desktop later; the laptop syncs last.
    await at(laptop, T0 + 1 * MINUTE, { cmd: 'draft', id: 'dns-server', code: '// laptop\n' })
    await at(desktop, T0 + 2 * MINUTE, { cmd: 'draft', id: 'dns-server', code: '// desktop, later\n' })
    // Only the laptop writes the frame dissector drill.
    await at(laptop, T0 + 3 * MINUTE, { cmd: 'draft', id: 'frame-dissect', code: 'export const x = 1\n' })
    await pair.sync(desktop, laptop, desktop)
    dumps = await pair.dumps<Dump>()
  }, 240_000)

  afterAll(async () => {
    await pair?.close()
  })

  it('keeps the later save of one drill everywhere, whichever device synced last', () => {
    for (const dump of dumps) {
      expect(dump.drafts.find((d) => d.drillId === 'dns-server')).toEqual({
        drillId: 'dns-server',
        code: '// desktop, later\n',
        updatedAt: T0 + 2 * MINUTE
      })
    }
  })

  it('brings a draft saved on one device to the other', () => {
    for (const dump of dumps) {
      expect(dump.drafts.find((d) => d.drillId === 'frame-dissect')?.code).toBe('export const x = 1\n')
      expect(dump.integrity).toBe('ok')
    }
  })
})
