// The learner's own quiz items travel between two devices (each its own process) through one
// sync server: an item made on either device is on both with every field, in a shipped deck and
// in a deck of the learner's own; a round with nothing new changes nothing; deleting the own deck
// on one device retires its items on both, as it does cards, one made in it meanwhile on the other too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QuizItemText } from '../../../src/main/store/entity-rows'
import type { SyncStatus } from '../../../src/shared/device-sync'
import { quizBlock } from '../../helpers/content'
import { at, startPair, type Pair } from './devices'

interface QuizRow extends Omit<QuizItemText, 'drills'> {
  origin: string
  retired: number
}
interface Dump {
  quizItems: QuizRow[]
  integrity: string
}

const TOKEN = 'quiz-items-sync-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)
const CHOICE = quizBlock(
  'laptop-layers',
  'choice',
  'Which layer does TCP belong to?\n\n- [x] Transport\n- [ ] Link\n---\nRFC 9293, section 1.',
  'card: alpha-1\ntags: tcp layers\n'
)
const TRUEFALSE = quizBlock(
  'desktop-mss',
  'truefalse',
  'MSS counts the TCP header.\n---\nNo: payload only.',
  'answer: false\n'
)

let pair: Pair
let dumps: Dump[]
let ownDeck = ''
const own = (dump: Dump) => dump.quizItems.filter((item) => item.origin === 'user')

beforeAll(async () => {
  pair = await startPair('quiz', TOKEN)
  const { laptop, desktop } = pair
  await at(laptop, T0 + MINUTE, { cmd: 'create-quiz', deckId: 'alpha', block: CHOICE })
  ownDeck = ((await at(desktop, T0 + 2 * MINUTE, { cmd: 'create-deck', title: 'Mine' })) as { id: string }).id
  await at(desktop, T0 + 3 * MINUTE, { cmd: 'create-quiz', deckId: ownDeck, block: TRUEFALSE })
  await pair.sync(desktop, laptop, desktop)
  dumps = await pair.dumps<Dump>()
}, 240_000)

afterAll(async () => {
  await pair?.close()
})

describe("the learner's own quiz items synced between two devices", () => {
  it('puts an item made on either device on both, every field alike', () => {
    const [laptop, desktop] = dumps
    expect(own(laptop!)).toEqual(own(desktop!))
    expect(own(laptop!).map((item) => item.id)).toEqual(['desktop-mss', 'laptop-layers'])
    const layers = own(desktop!).find((item) => item.id === 'laptop-layers')!
    expect(layers).toMatchObject({ deckId: 'alpha', cardId: 'alpha-1', type: 'choice', tags: 'tcp layers' })
    expect(JSON.parse(layers.data)).toEqual({
      type: 'choice',
      options: [
        { text: 'Transport', correct: true },
        { text: 'Link', correct: false }
      ],
      multiple: false
    })
    expect(layers.explanation).toBe('RFC 9293, section 1.')
    expect(own(laptop!).find((item) => item.id === 'desktop-mss')).toMatchObject({ deckId: ownDeck, type: 'truefalse' })
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })

  it('writes and changes nothing in a round with nothing new', async () => {
    const status = await pair.laptop.send<SyncStatus>({ cmd: 'sync' })
    expect(status.lastReport).toMatchObject({ edits: 0, refusedCount: 0 })
    expect(own(await pair.laptop.send<Dump>({ cmd: 'dump' }))).toEqual(own(dumps[0]!))
  })

  it("retires an own deck's items on both devices when the deck is deleted on one, with one made in it meanwhile", async () => {
    await at(pair.desktop, T0 + 10 * MINUTE, { cmd: 'delete-deck', deckId: ownDeck })
    // The laptop, not knowing, makes an item in that deck.
    const late = quizBlock('laptop-late', 'truefalse', 'UDP has no handshake.', 'answer: true\n')
    await at(pair.laptop, T0 + 11 * MINUTE, { cmd: 'create-quiz', deckId: ownDeck, block: late })
    await pair.sync(pair.desktop, pair.laptop, pair.desktop)
    for (const dump of await pair.dumps<Dump>()) {
      expect(own(dump).find((item) => item.id === 'desktop-mss')!.retired).toBe(1)
      expect(own(dump).find((item) => item.id === 'laptop-late')!.retired).toBe(1)
      expect(own(dump).find((item) => item.id === 'laptop-layers')!.retired).toBe(0)
    }
  })
})
