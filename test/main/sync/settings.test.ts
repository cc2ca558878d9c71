// The learner's settings travel between two devices (each its own process) through one sync
// server: per field the later change wins, whichever device syncs last; changes of different
// fields on the two devices both count; a deck's overrides and a cleared override travel too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, startPair, type Device, type Pair } from './devices'

interface Dump {
  settings: Record<string, Record<string, unknown>>
  integrity: string
}

const TOKEN = 'settings-sync-test-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)

let pair: Pair
let laptop: Device
let desktop: Device

describe('settings synced between two devices', () => {
  let dumps: Dump[]

  beforeAll(async () => {
    pair = await startPair('settings', TOKEN)
    ;({ laptop, desktop } = pair)
    // Online: the laptop gives the alpha deck a review limit of its own; both learn it.
    await at(laptop, T0, { cmd: 'settings', deckId: 'alpha', settings: { reviewsPerDay: 50, newPerDay: 3 } })
    await pair.sync(laptop, desktop)

    // Offline: both set the retention, the desktop later, but the laptop syncs last.
    await at(laptop, T0 + 1 * MINUTE, { cmd: 'settings', settings: { desiredRetention: 0.85 } })
    await at(desktop, T0 + 5 * MINUTE, { cmd: 'settings', settings: { desiredRetention: 0.8 } })
    // Different fields: the laptop's new-card limit, the desktop's learning steps.
    await at(laptop, T0 + 2 * MINUTE, { cmd: 'settings', settings: { newPerDay: 5 } })
    await at(desktop, T0 + 3 * MINUTE, { cmd: 'settings', settings: { learningSteps: ['2m', '15m'] } })
    // The desktop clears the deck's new-card override (back to the global value).
    await at(desktop, T0 + 4 * MINUTE, { cmd: 'settings', deckId: 'alpha', settings: { newPerDay: null } })

    await pair.sync(desktop, laptop, desktop)
    dumps = await pair.dumps<Dump>()
  }, 240_000)

  afterAll(async () => {
    await pair?.close()
  })

  it('gives each field the later change, whichever device synced last', () => {
    for (const dump of dumps) expect(dump.settings.scheduling!.desiredRetention).toBe(0.8)
  })

  it('keeps changes of different fields from both devices', () => {
    for (const dump of dumps) {
      expect(dump.settings.scheduling).toMatchObject({ newPerDay: 5, learningSteps: ['2m', '15m'] })
    }
  })

  it("carries a deck's overrides, and an override cleared on one device", () => {
    for (const dump of dumps) expect(dump.settings['deck:alpha']).toEqual({ reviewsPerDay: 50 })
  })

  it('ends with equal settings on both devices and intact files', () => {
    expect(dumps[1]!.settings).toEqual(dumps[0]!.settings)
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })
})
