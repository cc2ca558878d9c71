// Suspend, flag, tags and bury travel between two devices (each its own process) through one
// sync server: changes of different fields of one card both count, and when both devices change
// the same field offline, the later change (by its time, not by who syncs last) wins everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, startPair, type Device, type Pair } from './devices'

interface Card {
  id: string
  front: string
  back: string
  suspended: number
  flag: number
  tags: string
  buriedUntil: number | null
}
interface Dump {
  cards: Card[]
  integrity: string
}

const TOKEN = 'marks-sync-test-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)

let pair: Pair
let laptop: Device
let desktop: Device

const cardOf = (dump: Dump, id: string) => dump.cards.find((card) => card.id === id)!

describe('marks synced between two devices', () => {
  let dumps: Dump[]
  let buriedOnLaptop: number | null

  beforeAll(async () => {
    pair = await startPair('marks', TOKEN)
    ;({ laptop, desktop } = pair)

    // Online: the laptop suspends alpha-2; both devices learn it.
    await at(laptop, T0, { cmd: 'bulk', cardIds: ['alpha-2'], action: { action: 'suspend' } })
    await pair.sync(laptop, desktop)

    // Offline on both. alpha-2: the desktop unsuspends it, the laptop tags it (two fields, both count).
    await at(desktop, T0 + 5 * MINUTE, { cmd: 'bulk', cardIds: ['alpha-2'], action: { action: 'unsuspend' } })
    await at(laptop, T0 + 4 * MINUTE, { cmd: 'bulk', cardIds: ['alpha-2'], action: { action: 'addTag', tag: 'tcp' } })
    // Both edit alpha-2's text too, the laptop after tagging it: the text still merges (its shared
    // starting point holds no tags, so the tag cannot make the two devices' starting points differ).
    await laptop.send({ cmd: 'edit', cardId: 'alpha-2', front: 'Question alpha-2?', back: 'Answer alpha-2. More.' })
    await desktop.send({ cmd: 'edit', cardId: 'alpha-2', front: 'Question alpha-2 (TCP)?', back: 'Answer alpha-2.' })
    // beta-1: both flag it; the desktop's flag is the later one, but the laptop syncs last.
    await at(laptop, T0 + 1 * MINUTE, { cmd: 'flag', cardIds: ['beta-1'], flag: 5 })
    await at(desktop, T0 + 7 * MINUTE, { cmd: 'flag', cardIds: ['beta-1'], flag: 6 })
    // alpha-1: the desktop suspends it, later the laptop flags it and buries it.
    await at(desktop, T0 + 2 * MINUTE, { cmd: 'bulk', cardIds: ['alpha-1'], action: { action: 'suspend' } })
    await at(laptop, T0 + 6 * MINUTE, { cmd: 'flag', cardIds: ['alpha-1'], flag: 1 })
    await at(laptop, T0 + 8 * MINUTE, { cmd: 'bury', cardId: 'alpha-1' })
    buriedOnLaptop = cardOf(await laptop.send<Dump>({ cmd: 'dump' }), 'alpha-1').buriedUntil

    await pair.sync(desktop, laptop, desktop)
    dumps = await pair.dumps<Dump>()
  }, 240_000)

  afterAll(async () => {
    await pair?.close()
  })

  it('keeps changes of different fields of one card from both devices', () => {
    for (const dump of dumps) {
      const card = cardOf(dump, 'alpha-2')
      expect(card.suspended).toBe(0)
      expect(card.tags.split(' ')).toContain('tcp')
      expect([card.front, card.back]).toEqual(['Question alpha-2 (TCP)?', 'Answer alpha-2. More.'])
    }
  })

  it('gives the same field to the later change, whichever device synced last', () => {
    for (const dump of dumps) expect(cardOf(dump, 'beta-1').flag).toBe(6)
  })

  it('brings suspend, flag and bury of one card to the other device', () => {
    expect(buriedOnLaptop).toBeGreaterThan(T0)
    for (const dump of dumps) {
      const card = cardOf(dump, 'alpha-1')
      expect(card.suspended).toBe(1)
      expect(card.flag).toBe(1)
      expect(card.buriedUntil).toBe(buriedOnLaptop)
    }
  })

  it('ends with equal marks on both devices and intact files', () => {
    const marks = (dump: Dump) =>
      dump.cards.map(({ id, suspended, flag, tags, buriedUntil }) => ({ id, suspended, flag, tags, buriedUntil }))
    expect(marks(dumps[1]!)).toEqual(marks(dumps[0]!))
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })
})
