// The review screen's state against the real services: a collection in a temp folder (deck `net`
// with five new cards), answered through the same dispatch the page's doors use.
import { afterEach, describe, expect, it } from 'vitest'
import { pageApi } from '../../../../../test/helpers/page-api'
import { studyFixture } from '../../../../../test/helpers/study'
import { ReviewSession } from './review-session.svelte'

const sessions: ReviewSession[] = []
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose()
})

/** A fresh collection (its clock starts now, as the page's does) and a session over it. */
async function open(scope: { deckId?: string; cardIds?: string[] } = { deckId: 'net' }) {
  const { collection, clock } = studyFixture(5, Date.now())
  const api = pageApi(collection)
  let shown = 0
  const session = new ReviewSession(api, scope, () => shown++)
  sessions.push(session)
  expect(await session.load()).toBe(true)
  // The set counts answers from its start on; the collection's clock stands still, so move it past.
  clock.advance(1000)
  return { api, session, shown: () => shown }
}

describe('ReviewSession', () => {
  it('grades only a revealed card, and grading advances the queue', async () => {
    const { session, shown } = await open()
    const first = session.card!.id
    const newBefore = session.queue!.counts.new
    expect(await session.grade(3)).toBe(false) // not revealed yet
    expect(session.card!.id).toBe(first)
    session.reveal()
    expect(await session.grade(3)).toBe(true)
    expect(session.card!.id).not.toBe(first)
    expect(session.queue!.counts.new).toBe(newBefore - 1)
    expect(session.revealed).toBe(false)
    expect(session.notice).toMatch(/^Answered Good\./)
    expect(session.summary).toMatchObject({ answers: 1, cards: 1, accuracy: 1 })
    expect(session.queue!.history.undo).toMatch(/./)
    expect(shown()).toBe(2)
  })

  it('undo brings the graded card back first, and takes its answer off the summary', async () => {
    const { session } = await open()
    const first = session.card!.id
    session.reveal()
    await session.grade(1)
    session.reveal()
    const second = session.card!.id
    await session.grade(3)
    expect(session.summary.answers).toBe(2)
    expect(await session.history('undo')).toBe(true)
    expect(session.card!.id).toBe(second)
    expect(session.notice).toMatch(/^Undid /)
    expect(session.summary).toMatchObject({ answers: 1, again: 1 })
    await session.history('undo')
    expect(session.card!.id).toBe(first)
    expect(session.events).toEqual([])
    await session.history('undo')
    expect(session.notice).toBe('Nothing to undo.')
  })

  it('bury in a chosen set drops the card from the set, and undo puts it back first', async () => {
    const chosen = ['n2', 'n4']
    const { session } = await open({ cardIds: chosen })
    expect(session.set?.cardIds).toEqual(chosen)
    expect(session.card!.id).toBe('n2')
    expect(await session.bury()).toBe(true)
    expect(session.set?.cardIds).toEqual(['n4'])
    expect(session.card!.id).toBe('n4')
    expect(session.summary.buried).toBe(1)
    expect(session.notice).toBe('Buried until tomorrow. Z undoes.')
    await session.history('undo')
    expect(session.set?.cardIds).toEqual(['n4', 'n2'])
    expect(session.card!.id).toBe('n2')
    expect(session.summary.buried).toBe(0)
  })

  it('ends a chosen set when its cards are answered, and stops the clock there', async () => {
    const { session } = await open({ cardIds: ['n1'] })
    session.reveal()
    await session.grade(4)
    expect(session.card).toBe(null)
    expect(session.endedAt).toEqual(expect.any(Number))
    expect(session.elapsed).toBe(session.endedAt! - session.startedAt)
  })

  it('suspends, and flags the card on show (the same flag again clears it)', async () => {
    const { api, session } = await open()
    const first = session.card!.id
    await session.flag(2)
    expect(session.card!.flag).toBe(2)
    expect((await api.getCard({ id: first })).flag).toBe(2)
    await session.flag(2)
    expect(session.card!.flag).toBe(0)
    expect(session.notice).toBe('Flag removed. Z undoes.')
    await session.suspend()
    expect(session.card!.id).not.toBe(first)
    expect(session.summary.suspended).toBe(1)
  })

  it('keeps a failed call in its request and the queue as it was', async () => {
    const { session } = await open({ cardIds: ['no-such-card'] })
    expect(session.card).toBe(null)
    const broken = new ReviewSession(
      { ...pageApi(studyFixture(1, Date.now()).collection), getQueue: () => Promise.reject(new Error('offline')) },
      { deckId: 'net' }
    )
    sessions.push(broken)
    expect(await broken.load()).toBe(false)
    expect(broken.queue).toBe(null)
    expect(broken.request.message).toBe('offline')
  })
})
