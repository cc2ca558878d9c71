// Moving a card to another deck travels between devices (each its own process) through one sync
// server, as one of the card's marks: a move on one device and an edit of the same card on the
// other both stay; of two moves of one card the later wins everywhere, even when the earlier one
// put it into a deck the other device deleted (it comes back out, alive); a card moved into a deck
// that the other device deleted meanwhile ends in that deck, retired with it, on both (the
// deletion wins, nothing is removed), with its answers kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, startPair, type Pair } from './devices'

interface Card {
  id: string
  deckId: string
  front: string
  retired: number
}
interface Dump {
  cards: Card[]
  answers: { uid: string; cardId: string }[]
  integrity: string
}

const TOKEN = 'card-moves-sync-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)
const move = (cardIds: string[], deckId: string) => ({ cmd: 'bulk', cardIds, action: { action: 'move', deckId } })
const cardOf = (dump: Dump, id: string) => dump.cards.find((card) => card.id === id)!

let pair: Pair
let dumps: Dump[]
let mine = ''

beforeAll(async () => {
  pair = await startPair('moves', TOKEN)
  const { laptop, desktop } = pair
  mine = ((await at(desktop, T0, { cmd: 'create-deck', title: 'Mine' })) as { id: string }).id
  await pair.sync(desktop, laptop)
  // Offline on both. alpha-2: the laptop moves it, the desktop edits its text.
  await at(laptop, T0 + 1 * MINUTE, move(['alpha-2'], 'beta'))
  await at(desktop, T0 + 2 * MINUTE, { cmd: 'edit', cardId: 'alpha-2', front: 'Moved and edited?', back: 'Yes.' })
  // beta-1: both move it; the desktop's move is the later one, but the laptop syncs last.
  await at(desktop, T0 + 4 * MINUTE, move(['beta-1'], 'alpha'))
  await at(laptop, T0 + 3 * MINUTE, move(['beta-1'], mine))
  // alpha-1: the desktop deletes its deck Mine; the laptop, not knowing, moves alpha-1 into it and answers it.
  await at(desktop, T0 + 5 * MINUTE, { cmd: 'delete-deck', deckId: mine })
  await at(laptop, T0 + 6 * MINUTE, move(['alpha-1'], mine))
  await at(laptop, T0 + 7 * MINUTE, { cmd: 'answer', cardId: 'alpha-1', rating: 3 })
  await pair.sync(desktop, laptop, desktop)
  dumps = await pair.dumps<Dump>()
}, 240_000)

afterAll(async () => {
  await pair?.close()
})

describe('card moves synced between two devices', () => {
  it('keeps a move on one device and an edit on the other', () => {
    for (const dump of dumps)
      expect(cardOf(dump, 'alpha-2')).toMatchObject({ deckId: 'beta', front: 'Moved and edited?' })
  })

  it('gives the card to the later of two moves, whichever device synced last, out of a deleted deck too', () => {
    for (const dump of dumps) expect(cardOf(dump, 'beta-1')).toMatchObject({ deckId: 'alpha', retired: 0 })
  })

  it('retires a card moved into a deck deleted on the other device, on both, keeping its answer', () => {
    for (const dump of dumps) {
      expect(cardOf(dump, 'alpha-1')).toMatchObject({ deckId: mine, retired: 1 })
      expect(dump.answers.filter((answer) => answer.cardId === 'alpha-1')).toHaveLength(1)
      expect(dump.integrity).toBe('ok')
    }
  })
})
