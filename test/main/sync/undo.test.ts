// An answer undone on one device after a sync sent it is undone on the other device too: the
// undoing device writes a tombstone under the answer's uid, and the other device removes the
// answer and replays the card without it. A redo after that is a new answer, counted once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answer, NEW_CARD } from '../../../src/main/scheduler/fsrs'
import { DEFAULT_SETTINGS } from '../../../src/main/study/settings'
import type { CardState } from '../../../src/shared/study'
import { startPair, type Device, type Pair } from './devices'

interface Dump {
  answers: { uid: string; cardId: string; reviewedAt: number; rating: 1 | 2 | 3 | 4 }[]
  cards: (CardState & { id: string })[]
  integrity: string
  daily: { answers: number }
}

const TOKEN = 'undo-sync-test-token-0123456789'
const HOUR = 3_600_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)

let pair: Pair
let laptop: Device
let desktop: Device

async function answerAt(device: Device, at: number, rating: 1 | 2 | 3 | 4) {
  await device.send({ cmd: 'clock', at })
  await device.send({ cmd: 'answer', cardId: 'alpha-1', rating })
}

/** The card state a replay of these answers gives, with the app's scheduler. */
function replayed(answers: { reviewedAt: number; rating: 1 | 2 | 3 | 4 }[]): CardState {
  let state = NEW_CARD
  for (const a of answers) state = answer('alpha-1', state, a.rating, a.reviewedAt, DEFAULT_SETTINGS).card
  return state
}

const cardState = (dump: Dump) => {
  const { id: _id, ...rest } = dump.cards.find((card) => card.id === 'alpha-1')!
  return rest
}
const alphaAnswers = (dump: Dump) =>
  dump.answers
    .filter((a) => a.cardId === 'alpha-1')
    .map(({ reviewedAt, rating }) => ({ reviewedAt, rating }))
    .sort((a, b) => a.reviewedAt - b.reviewedAt)

describe('an answer undone after it synced', () => {
  let afterUndo: Dump[]
  let afterRedo: Dump[]

  beforeAll(async () => {
    pair = await startPair('undo', TOKEN)
    ;({ laptop, desktop } = pair)

    await answerAt(laptop, T0, 3)
    await answerAt(laptop, T0 + HOUR, 1)
    await pair.sync(laptop, desktop)
    const before = await desktop.send<Dump>({ cmd: 'dump' })
    expect(alphaAnswers(before)).toHaveLength(2)

    // The laptop undoes its last answer (Again) after the sync sent it.
    await laptop.send({ cmd: 'undo' })
    await pair.sync(laptop, desktop)
    afterUndo = await pair.dumps<Dump>()

    // And redoes it: a new answer, which goes out like any other.
    await laptop.send({ cmd: 'redo' })
    await pair.sync(laptop, desktop)
    afterRedo = await pair.dumps<Dump>()
  }, 240_000)

  afterAll(async () => {
    await pair?.close()
  })

  it('removes the undone answer on the other device and replays the card without it', () => {
    for (const dump of afterUndo) {
      expect(alphaAnswers(dump)).toEqual([{ reviewedAt: T0, rating: 3 }])
      expect(cardState(dump)).toMatchObject(replayed([{ reviewedAt: T0, rating: 3 }]))
      expect(dump.daily.answers).toBe(1)
      expect(dump.integrity).toBe('ok')
    }
    expect(cardState(afterUndo[1]!)).toEqual(cardState(afterUndo[0]!))
  })

  it('counts a redo after that once, as a new answer, on both devices', () => {
    const both = [
      { reviewedAt: T0, rating: 3 as const },
      { reviewedAt: T0 + HOUR, rating: 1 as const }
    ]
    for (const dump of afterRedo) {
      expect(alphaAnswers(dump)).toEqual(both)
      expect(new Set(dump.answers.map((a) => a.uid)).size).toBe(dump.answers.length)
      expect(cardState(dump)).toMatchObject(replayed(both))
      expect(dump.integrity).toBe('ok')
    }
  })
})
