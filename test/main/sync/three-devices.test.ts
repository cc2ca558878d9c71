// Three devices, each its own process with its own collection, and one sync server on loopback.
// Two answer the same cards offline and edit the same card; one deletes a deck the other edits.
// After everyone syncs, every collection holds every answer exactly once, the same card
// states (equal to an independent replay of the answers with the app's FSRS scheduler), the
// merged text, and passes SQLite's integrity check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answer, NEW_CARD } from '../../../src/main/scheduler/fsrs'
import { DEFAULT_SETTINGS } from '../../../src/main/study/settings'
import { startSyncServer, type SyncServer } from '../../../src/main/sync/server'
import type { CardState } from '../../../src/shared/study'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { startDevice, type Device } from './devices'

interface Dump {
  answers: { uid: string; cardId: string; reviewedAt: number; rating: 1 | 2 | 3 | 4; source: string }[]
  cards: (CardState & { id: string; deckId: string; front: string; back: string; retired: number })[]
  decks: { id: string; title: string; retired: number }[]
  integrity: string
  daily: { answers: number }
  status: { lastError: string | null; lastSyncAt: number | null }
}

const TOKEN = 'three-devices-test-token-0123456789'
const DAY = 86_400_000
const DEC_1 = Date.UTC(2026, 11, 1, 9, 0, 0)

let server: SyncServer
const devices: Device[] = []
/** Every answer given on any device: (card, time, rating). */
const given: { cardId: string; reviewedAt: number; rating: number }[] = []

async function answerAt(device: Device, cardId: string, at: number, rating: 1 | 2 | 3 | 4) {
  await device.send({ cmd: 'clock', at })
  await device.send({ cmd: 'answer', cardId, rating })
  given.push({ cardId, reviewedAt: at, rating })
}

async function syncOk(device: Device) {
  const status = await device.send<{ lastError: string | null }>({ cmd: 'sync' })
  expect(status.lastError, `${device.name}'s sync`).toBe('')
}

const key = (a: { cardId: string; reviewedAt: number; rating: number }) => `${a.cardId}@${a.reviewedAt}:${a.rating}`

describe('three devices synced through one server', () => {
  let dumps: Dump[]

  beforeAll(async () => {
    server = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-sync-server-'), token: TOKEN })
    const content = fixtureContent()
    for (const name of ['laptop', 'desktop', 'tablet'])
      devices.push(await startDevice(name, tempDir(`retransmit-${name}-`), content))
    const [laptop, desktop, tablet] = devices as [Device, Device, Device]
    for (const device of devices)
      await device.send({ cmd: 'configure', server: `http://127.0.0.1:${server.port}`, token: TOKEN })

    // The tablet makes a deck of its own with one card; everyone gets it.
    await tablet.send({ cmd: 'clock', at: DEC_1 })
    const { id: deckId } = await tablet.send<{ id: string }>({ cmd: 'create-deck', title: 'My ports' })
    const card = await tablet.send<{ id: string }>({ cmd: 'create-card', deckId, front: 'Port of DNS?', back: '53' })
    for (const device of [tablet, laptop, desktop]) await syncOk(device)

    // Offline: the laptop and the desktop answer the same cards, in interleaved times, across two months.
    await answerAt(laptop, 'alpha-1', DEC_1 - 40 * DAY, 3)
    await answerAt(desktop, 'alpha-1', DEC_1 - 39 * DAY, 1)
    await answerAt(laptop, 'alpha-1', DEC_1 + 1 * DAY, 3)
    await answerAt(desktop, 'alpha-1', DEC_1 + 2 * DAY, 4)
    await answerAt(desktop, 'alpha-2', DEC_1 + 1 * DAY, 2)
    await answerAt(laptop, 'alpha-2', DEC_1 + 3 * DAY, 3)
    await answerAt(laptop, 'beta-1', DEC_1 + 3 * DAY, 3)
    await answerAt(desktop, card.id, DEC_1 + 3 * DAY, 3)
    // Both edit the same card's front, in different places of the text.
    await laptop.send({
      cmd: 'edit',
      cardId: 'alpha-1',
      front: 'What is a TCP handshake?',
      back: 'A three-way exchange.'
    })
    await desktop.send({
      cmd: 'edit',
      cardId: 'alpha-1',
      front: 'What is a handshake? (RFC 9293)',
      back: 'A three-way exchange.'
    })
    // The laptop deletes the tablet's deck while the desktop edits its card.
    await laptop.send({ cmd: 'delete-deck', deckId })
    await desktop.send({ cmd: 'edit', cardId: card.id, front: 'Port of DNS over UDP?', back: '53' })

    // Reconnect: one pass sends everything to the server, a second brings it to those who went first.
    for (const device of [laptop, desktop, tablet, laptop, desktop]) await syncOk(device)
    dumps = await Promise.all(devices.map((device) => device.send<Dump>({ cmd: 'dump' })))
  }, 240_000)

  afterAll(async () => {
    for (const device of devices) await device.close()
    await server?.close()
  })

  it('has every answer from every device exactly once in every collection', () => {
    const expected = given.map(key).sort()
    for (const dump of dumps) {
      expect(dump.answers.map(key).sort()).toEqual(expected)
      expect(new Set(dump.answers.map((a) => a.uid)).size).toBe(expected.length)
      // The per-day totals the Stats page reads moved with the rows.
      expect(dump.daily.answers).toBe(expected.length)
    }
  })

  it('ends with the same card states everywhere, equal to replaying the merged answers', () => {
    const states = dumps.map((dump) => dump.cards.map(({ front: _f, back: _b, ...state }) => state))
    expect(states[1]).toEqual(states[0])
    expect(states[2]).toEqual(states[0])
    for (const cardId of new Set(given.map((a) => a.cardId))) {
      const ordered = given.filter((a) => a.cardId === cardId).sort((a, b) => a.reviewedAt - b.reviewedAt)
      let state: CardState = NEW_CARD
      for (const a of ordered) state = answer(cardId, state, a.rating as 1, a.reviewedAt, DEFAULT_SETTINGS).card
      const card = dumps[0]!.cards.find((c) => c.id === cardId)!
      expect({
        ...card,
        id: undefined,
        deckId: undefined,
        front: undefined,
        back: undefined,
        retired: undefined
      }).toMatchObject(state)
      expect(state.reps).toBe(ordered.length)
    }
  })

  it('merges the two edits of one card character by character', () => {
    for (const dump of dumps) {
      const card = dump.cards.find((c) => c.id === 'alpha-1')!
      expect(card.front).toBe('What is a TCP handshake? (RFC 9293)')
      expect(card.back).toBe('A three-way exchange.')
    }
  })

  it('keeps a deck deleted on one device deleted everywhere, with the edit and answer made meanwhile on another', () => {
    for (const dump of dumps) {
      const deck = dump.decks.find((d) => d.title === 'My ports')!
      expect(deck.retired).toBe(1)
      const card = dump.cards.find((c) => c.deckId === deck.id)!
      expect(card.retired).toBe(1)
      expect(card.front).toBe('Port of DNS over UDP?')
      expect(dump.answers.filter((a) => a.cardId === card.id)).toHaveLength(1)
    }
  })

  it('leaves every collection file intact', () => {
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })
})
