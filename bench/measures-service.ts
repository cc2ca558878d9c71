// In-process measures on a bench collection: answering, the queue, Browse search and pages, card
// info, Stats. Everything goes through `handlers`, as a door would.
import type { Handlers } from '../src/shared/api'
import type { QueueState } from '../src/shared/study'
import { DECKS, deckId } from './build-collection'
import { seeded, WORDS } from './random'
import { progress } from './report'

export interface Samples {
  [measure: string]: number[]
}

/** Lets timers run between requests, as they do between a door's requests (idle checkpoints). */
const betweenRequests = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Answers cards deck by deck (each deck has its own daily limits), timing each answerCard call. */
export async function measureAnswers(handlers: Handlers, answers: number, warmup = 50): Promise<number[]> {
  const ratings = [3, 3, 3, 4, 3, 2, 3, 1] as const
  const times: number[] = []
  let done = 0
  for (let d = 0; d < DECKS && done < answers + warmup; d++) {
    const deck = deckId(d)
    let state = handlers.getQueue({ deckId: deck }) as QueueState
    for (let i = 0; i < 120 && state.card && done < answers + warmup; i++, done++) {
      const started = performance.now()
      state = handlers.answerCard({
        cardId: state.card.id,
        rating: ratings[done % ratings.length]!,
        durationMs: 4000,
        deckId: deck
      }) as QueueState
      const ms = performance.now() - started
      if (done >= warmup) times.push(ms)
      await betweenRequests()
    }
    progress(`answering: ${Math.max(0, done - warmup)} / ${answers}`)
  }
  progress('')
  return times
}

/** Times `fn` (synchronous) `times` times after `warmup` untimed calls, yielding between calls. */
export async function repeat(times: number, warmup: number, fn: (i: number) => unknown): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < warmup + times; i++) {
    const started = performance.now()
    fn(i)
    const ms = performance.now() - started
    if (i >= warmup) out.push(ms)
    await betweenRequests()
  }
  return out
}

/** getQueue for all decks, or for one deck after another when `perDeck`. */
export function measureQueue(handlers: Handlers, perDeck = false, times = 300): Promise<number[]> {
  return repeat(times, 20, (i) => handlers.getQueue(perDeck ? { deckId: deckId(i % DECKS) } : {}))
}

/** `deck:<one deck> word word`, a different deck and words each time. */
export function browseQueries(count: number): string[] {
  const random = seeded(7)
  return Array.from({ length: count }, (_v, i) => {
    const a = WORDS[Math.floor(random() * WORDS.length)]!
    const b = WORDS[Math.floor(random() * WORDS.length)]!
    return `deck:${deckId(i % DECKS)} ${a} ${b}`
  })
}

export function measureBrowse(handlers: Handlers): Promise<number[]> {
  const queries = browseQueries(320)
  return repeat(300, 20, (i) =>
    handlers.browseCards({ query: queries[i]!, sort: 'position', descending: false, limit: 200, offset: 0 })
  )
}

export function measureStats(handlers: Handlers): Promise<number[]> {
  return repeat(60, 5, () => handlers.getStats({ days: 365 }))
}

/** A page of Browse with no search: 200 cards in position order, from pages spread over the collection. */
export function measureBrowsePage(handlers: Handlers, cards: number, times = 200, from = 0): Promise<number[]> {
  const pages = Math.max(1, Math.floor(cards / 200))
  return repeat(times, 10, (i) =>
    handlers.browseCards({
      query: '',
      sort: 'position',
      descending: false,
      limit: 200,
      offset: (((i + from) * 7919) % pages) * 200
    })
  )
}

/** Card info (cardInfo: the card's state, its review history and forgetting curve), cards spread over the collection. */
export function measureCardInfo(handlers: Handlers, cards: number, times = 300, from = 0): Promise<number[]> {
  return repeat(times, 20, (i) => handlers.cardInfo({ id: `bench-${((i + from) * 7919) % cards}` }))
}
