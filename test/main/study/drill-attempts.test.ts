// The host's record of a drill attempt and the grades it gives, through the real dispatch, store
// (a temp SQLite file), runner and shipped drill, on a fixed clock. Each forging route of issue 11
// has a regression test here: the page's own elapsedMs/hintsUsed, the solution after a Run,
// a pasted solution graded Easy, and a self-graded drill card in Review.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { shutdownRunner } from '../../../src/main/drills/index'
import { createDrillSessionStore } from '../../../src/main/store/drill-sessions'
import { FAST_SOLVE_MS, SOON_MS } from '../../../src/main/study/drill-grade'
import { SKIP_MS } from '../../../src/main/study/review'
import type { MethodName } from '../../../src/shared/api'
import type { DrillAttemptView, DrillDetail, DrillSubmitOutcome } from '../../../src/shared/drills'
import type { QueueState } from '../../../src/shared/study'
import { fixedClock, tempDir } from '../../helpers/temp'

const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')
const DRILL = 'tcp-echo'
const SOLUTION = readFileSync(join(CONTENT, 'drills', DRILL, 'solution.ts'), 'utf8')
const STARTER = readFileSync(join(CONTENT, 'drills', DRILL, 'starter.ts'), 'utf8')
const BROKEN = 'export function startEchoServer( {\n'
const MINUTE = 60_000

const opened: Collection[] = []
afterAll(async () => {
  for (const c of opened.splice(0)) c.close()
  await shutdownRunner()
})

/** A fresh collection of the shipped library on a fixed clock, and a dispatch that throws on refusal. */
function fixture() {
  const clock = fixedClock()
  const collection = openCollection({
    dataDir: tempDir('retransmit-attempts-'),
    contentDir: CONTENT,
    door: 'http',
    clock,
    tzOffset: () => 0,
    autoBackup: false
  })
  opened.push(collection)
  const dispatch = createDispatch(collection.handlers, () => {})
  async function call<T>(method: MethodName, input: unknown): Promise<T> {
    const result = await dispatch(method, input)
    if (!result.ok) throw Object.assign(new Error(result.message), { code: result.code })
    return result.value as T
  }
  const submit = (code: string) => call<DrillSubmitOutcome>('submitDrill', { id: DRILL, code })
  return { clock, call, submit, dispatch, sessions: createDrillSessionStore(collection.db) }
}

describe('the host records the attempt', () => {
  it('opening starts an attempt once; hints shown stay recorded across a reopening (a reload cannot reset them)', async () => {
    const { clock, call, sessions } = fixture()
    const first = await call<DrillDetail>('openDrill', { id: DRILL })
    expect(first).not.toHaveProperty('hints')
    expect(first.hintCount).toBeGreaterThan(1)
    expect(first.attempt).toMatchObject({
      openedAt: clock(),
      timed: true,
      hints: [],
      solutionShownAt: null,
      solutionAvailable: false,
      endedAt: null
    })
    clock.advance(MINUTE)
    const hinted = await call<DrillAttemptView>('showHint', { id: DRILL, n: 1 })
    expect(hinted.hints).toEqual([{ n: 1, text: expect.stringMatching(/\S/) }])
    clock.advance(MINUTE)
    const again = await call<DrillDetail>('openDrill', { id: DRILL })
    expect(again.attempt).toMatchObject({ openedAt: first.attempt!.openedAt, hints: [{ n: 1 }] })
    const row = sessions.latest(DRILL)!
    expect(row).toMatchObject({ openedAt: first.attempt!.openedAt, timed: true, endedAt: null })
    expect(sessions.hints(row.id)).toEqual([1])
    await expect(call('showHint', { id: DRILL, n: first.hintCount + 1 })).rejects.toMatchObject({ code: 'validation' })
  })

  it('getDrill records nothing; a Run and a Submit join the open attempt; a pass ends it', async () => {
    const { clock, call, submit, sessions } = fixture()
    const read = await call<DrillDetail>('getDrill', { id: DRILL })
    expect(read.attempt).toBeNull()
    expect(sessions.latest(DRILL)).toBeNull()
    const openedAt = (await call<DrillDetail>('openDrill', { id: DRILL })).attempt!.openedAt
    clock.advance(2 * MINUTE)
    await call('runDrill', { id: DRILL, code: STARTER })
    const outcome = await submit(SOLUTION)
    expect(outcome.attempt).toMatchObject({ openedAt, endedAt: clock(), solutionAvailable: true })
    expect(sessions.latest(DRILL)).toMatchObject({ openedAt, endedAt: clock() })
    // The next opening starts a new attempt.
    clock.advance(MINUTE)
    const next = await call<DrillDetail>('openDrill', { id: DRILL })
    expect(next.attempt).toMatchObject({ openedAt: clock(), endedAt: null, solutionAvailable: false })
  })

  it('an attempt left open for over a day is ended; the next opening starts afresh', async () => {
    const { clock, call, sessions } = fixture()
    await call('openDrill', { id: DRILL })
    await call('showHint', { id: DRILL, n: 1 })
    const stale = sessions.latest(DRILL)!
    clock.advance(SOON_MS)
    const fresh = await call<DrillDetail>('openDrill', { id: DRILL })
    expect(fresh.attempt).toMatchObject({ openedAt: clock(), hints: [] })
    expect(sessions.open(DRILL, 0)!.id).not.toBe(stale.id)
  })
})

describe('Submit grades from the records, never from the page', () => {
  it('refuses the page-sent elapsedMs and hintsUsed (regression: they set the grade)', async () => {
    const { dispatch } = fixture()
    const forged = await dispatch('submitDrill', { id: DRILL, code: SOLUTION, hintsUsed: 0, elapsedMs: 0 })
    expect(forged).toMatchObject({ ok: false, code: 'validation' })
  })

  it('Easy: a pass within 10 minutes of opening, no hint, no solution', async () => {
    const { clock, call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    clock.advance(FAST_SOLVE_MS)
    const outcome = await submit(SOLUTION)
    expect(outcome.result.status).toBe('pass')
    expect(outcome).toMatchObject({ grade: 4, gradeReason: 'solved within 10 minutes without hints' })
    expect(outcome.cardsScheduled.length).toBeGreaterThan(0)
  })

  it('Good: a pass after a hint, however fast (regression: the page reported hintsUsed: 0)', async () => {
    const { call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    await call('showHint', { id: DRILL, n: 1 })
    expect(await submit(SOLUTION)).toMatchObject({ grade: 3, gradeReason: 'every test passed, with a hint' })
  })

  it('Good: a pass over 10 minutes after opening (regression: the page reported elapsedMs)', async () => {
    const { clock, call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    clock.advance(FAST_SOLVE_MS + 1)
    expect((await submit(SOLUTION)).grade).toBe(3)
  })

  it('Good: a pass with no attempt opened first (its start is unknown)', async () => {
    const { submit } = fixture()
    expect(await submit(SOLUTION)).toMatchObject({ grade: 3, attempt: { timed: false } })
  })

  it('Again: a failing Submit; not graded: code that does not compile', async () => {
    const { call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    expect(await submit(STARTER)).toMatchObject({ result: { status: 'fail' }, grade: 1 })
    expect(await submit(BROKEN)).toMatchObject({ result: { status: 'error' }, grade: null, cardsScheduled: [] })
  })

  it('a passing resubmission within a day is not graded again, even in a fresh attempt; after a fail it is', async () => {
    const { clock, call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    await call('showHint', { id: DRILL, n: 1 })
    expect((await submit(SOLUTION)).grade).toBe(3)
    // Reopen (a new, clean attempt) and submit the same code at once: no Easy from that.
    clock.advance(MINUTE)
    await call('openDrill', { id: DRILL })
    expect(await submit(SOLUTION)).toMatchObject({
      grade: null,
      gradeReason: 'this drill already passed within the last 24 hours',
      cardsScheduled: []
    })
    expect((await submit(STARTER)).grade).toBe(1)
    expect((await submit(SOLUTION)).grade).toBe(3)
  })
})

describe('Show solution needs a Submit that ran the tests, and caps the next day at Hard', () => {
  const refusal = /Submit your code first/

  it('is refused before anything, after a Run, and after a Submit that did not compile (regression: any Run unlocked it)', async () => {
    const { call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    await expect(call('getSolution', { id: DRILL })).rejects.toThrow(refusal)
    await call('runDrill', { id: DRILL, code: STARTER })
    await expect(call('getSolution', { id: DRILL })).rejects.toThrow(refusal)
    await submit(BROKEN)
    await expect(call('getSolution', { id: DRILL })).rejects.toMatchObject({ code: 'validation' })
    await submit(STARTER)
    expect((await call<{ code: string }>('getSolution', { id: DRILL })).code).toBe(SOLUTION)
  })

  it('a Submit of the shown solution is Hard, not Easy (regression: a pasted solution was graded Easy)', async () => {
    const { clock, call, submit, sessions } = fixture()
    await call('openDrill', { id: DRILL })
    await submit(STARTER)
    clock.advance(MINUTE)
    await call('getSolution', { id: DRILL })
    expect(sessions.lastSolutionShown(DRILL)).toBe(clock())
    clock.advance(MINUTE)
    expect(await submit(SOLUTION)).toMatchObject({
      grade: 2,
      gradeReason: 'the solution was shown within the last 24 hours'
    })
  })

  it('the cap holds in a fresh attempt within the day, and is lifted a day after the showing', async () => {
    const { clock, call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    expect((await submit(STARTER)).grade).toBe(1)
    await call('getSolution', { id: DRILL })
    const shownAt = clock()
    // Abandon this attempt and open a new one, still within the day.
    clock.set(shownAt + SOON_MS - 2 * MINUTE)
    await call('openDrill', { id: DRILL })
    clock.advance(MINUTE)
    expect((await submit(SOLUTION)).grade).toBe(2)
    // Fail once (so the pass before does not hold), then a day after the showing: no cap.
    clock.set(shownAt + SOON_MS)
    await call('openDrill', { id: DRILL })
    expect((await submit(STARTER)).grade).toBe(1)
    expect((await submit(SOLUTION)).grade).toBe(4)
  })

  it('after a pass, the solution can be seen; it is recorded on that attempt', async () => {
    const { call, submit, sessions } = fixture()
    await call('openDrill', { id: DRILL })
    await submit(SOLUTION)
    await call('getSolution', { id: DRILL })
    expect(sessions.solutionShownIn(sessions.latest(DRILL)!.id)).not.toBeNull()
  })
})

describe('Review never self-grades a drill card', () => {
  it('answerCard refuses a drill card (regression: Space graded it); Skip sets it aside without a grade', async () => {
    const { clock, call, submit } = fixture()
    await call('openDrill', { id: DRILL })
    await submit(STARTER)
    await expect(call('answerCard', { cardId: `drill:${DRILL}`, rating: 3, durationMs: 1000 })).rejects.toMatchObject({
      code: 'validation'
    })
    // Again puts the drill card in learning, due within minutes; with the rest of its deck
    // suspended it is the card Review shows.
    const deck = await call<{ rows: { id: string }[] }>('browseCards', { query: 'deck:tcp-vs-udp', limit: 1000 })
    const others = deck.rows.map((r) => r.id).filter((id) => id !== `drill:${DRILL}`)
    await call('bulkCards', { cardIds: others, action: { action: 'suspend' } })
    clock.advance(20 * MINUTE)
    const queue = await call<QueueState>('getQueue', { deckId: 'tcp-vs-udp' })
    expect(queue.card?.id).toBe(`drill:${DRILL}`)
    const skipped = await call<QueueState>('skipDrillCard', { cardId: `drill:${DRILL}`, deckId: 'tcp-vs-udp' })
    expect(skipped.card).toBeNull()
    // Z undoes a Skip like any study action.
    await call('undo', {})
    expect((await call<QueueState>('getQueue', { deckId: 'tcp-vs-udp' })).card?.id).toBe(`drill:${DRILL}`)
    await call('skipDrillCard', { cardId: `drill:${DRILL}`, deckId: 'tcp-vs-udp' })
    // Still due: it is back an hour later, ungraded.
    clock.advance(SKIP_MS)
    expect((await call<QueueState>('getQueue', { deckId: 'tcp-vs-udp' })).card?.id).toBe(`drill:${DRILL}`)
    await expect(call('skipDrillCard', { cardId: 'tuv-half-close', deckId: 'tcp-vs-udp' })).rejects.toMatchObject({
      code: 'validation'
    })
  })
})
