// The learner's notes travel between two devices (each its own process) through one sync server:
// two offline edits of one shipped note merge character by character, a tag change comes along,
// and a note made on one device (in a shipped deck and in the learner's own deck) appears on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPair, type Device, type Pair } from './devices'

interface Note {
  id: string
  deckId: string
  title: string
  body: string
  tags: string
  origin: string
  retired: number
}
interface Dump {
  notes: Note[]
  integrity: string
}

const TOKEN = 'notes-sync-test-token-0123456789'
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)

let pair: Pair
let laptop: Device
let desktop: Device

const noteOf = (dump: Dump, id: string) => dump.notes.find((note) => note.id === id)

describe('notes synced between two devices', () => {
  let dumps: Dump[]
  let shipped: Note
  let made: { id: string }
  let madeInOwnDeck: { id: string }

  beforeAll(async () => {
    pair = await startPair('notes', TOKEN)
    ;({ laptop, desktop } = pair)
    for (const device of [laptop, desktop]) await device.send({ cmd: 'clock', at: T0 })
    shipped = noteOf(await laptop.send<Dump>({ cmd: 'dump' }), 'alpha-note')!
    await pair.sync(laptop, desktop)

    // Offline: both edit the shipped note, the laptop at its start, the desktop at its end; the
    // laptop also tags it. The laptop makes a note in a shipped deck and one in a deck of its own.
    await laptop.send({
      cmd: 'edit-note',
      id: 'alpha-note',
      title: shipped.title,
      body: `Summary first. ${shipped.body}`,
      tags: ['tcp']
    })
    await desktop.send({
      cmd: 'edit-note',
      id: 'alpha-note',
      title: `${shipped.title} (RFC 9293)`,
      body: `${shipped.body} See RFC 9293.`,
      tags: shipped.tags ? shipped.tags.split(' ') : []
    })
    made = await laptop.send<{ id: string }>({ cmd: 'create-note', deckId: 'beta', title: 'Ports', body: 'DNS is 53.' })
    const deck = await laptop.send<{ id: string }>({ cmd: 'create-deck', title: 'My notes' })
    madeInOwnDeck = await laptop.send<{ id: string }>({
      cmd: 'create-note',
      deckId: deck.id,
      title: 'Mine',
      body: 'Only mine.'
    })

    await pair.sync(laptop, desktop, laptop)
    dumps = await pair.dumps<Dump>()
  }, 240_000)

  afterAll(async () => {
    await pair?.close()
  })

  it('merges two offline edits of one note character by character, and keeps the tag', () => {
    for (const dump of dumps) {
      const note = noteOf(dump, 'alpha-note')!
      expect(note.title).toBe(`${shipped.title} (RFC 9293)`)
      expect(note.body).toBe(`Summary first. ${shipped.body} See RFC 9293.`)
      expect(note.tags.split(' ')).toContain('tcp')
    }
  })

  it("brings the learner's new notes to the other device, in a shipped deck and in an own deck", () => {
    for (const dump of dumps) {
      expect(noteOf(dump, made.id)).toMatchObject({ deckId: 'beta', title: 'Ports', body: 'DNS is 53.', retired: 0 })
      expect(noteOf(dump, madeInOwnDeck.id)).toMatchObject({ title: 'Mine', body: 'Only mine.', retired: 0 })
    }
  })

  it('ends with equal notes on both devices and intact files', () => {
    const strip = (dump: Dump) => dump.notes.map(({ origin: _origin, ...note }) => note)
    expect(strip(dumps[1]!)).toEqual(strip(dumps[0]!))
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })
})
