// Property tests over the one door every call goes through: createDispatch over a real temp
// collection. Random method names and random JSON come back as an envelope, never a throw
// and never `internal`; a call that fails leaves the database exactly as it was (row counts
// and PRAGMA integrity_check); structurally valid calls with hostile values (queries, card
// text, quiz blocks, uploaded files) are answered or refused by name.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { methodNames } from '../../../src/shared/api'
import { fixtureContent } from '../../helpers/collection'
import { fixedClock, tempDir } from '../../helpers/temp'
import { budget, mutatedText } from './budget'
import { snapshot } from './snapshot'

const collection = openCollection({
  dataDir: tempDir('retransmit-fuzz-dispatch-'),
  contentDir: fixtureContent(),
  door: 'http',
  clock: fixedClock(),
  autoBackup: false
})
afterAll(() => collection.close())
const internal: string[] = []
const dispatch = createDispatch(collection.handlers, (message) => internal.push(message))

/** Methods that run code in a child process or fit parameters: slow, and fuzzed elsewhere. */
const SLOW = new Set(['runDrill', 'submitDrill', 'optimizeParameters'])
const FAST_METHODS = methodNames.filter((m) => !SLOW.has(m))

/** How many calls each method answered ok and not ok: the structured runs must reach the services. */
const outcomes = new Map<string, { ok: number; failed: number }>()

/** Calls one method and checks the envelope; a failure must leave the database unchanged. */
async function call(method: string, input: unknown): Promise<{ ok: boolean; code?: string }> {
  const before = snapshot(collection.db)
  const envelope = await dispatch(method, input)
  const tally = outcomes.get(method) ?? { ok: 0, failed: 0 }
  tally[envelope.ok ? 'ok' : 'failed']++
  outcomes.set(method, tally)
  expect(typeof envelope.ok).toBe('boolean')
  if (!envelope.ok) {
    expect(envelope.code, `${method} answered internal: ${internal.at(-1) ?? ''}`).not.toBe('internal')
    expect(typeof envelope.message).toBe('string')
    expect(snapshot(collection.db), `${method} failed but changed the database`).toEqual(before)
  } else {
    expect(snapshot(collection.db).integrity).toBe('ok')
  }
  return envelope
}

describe('createDispatch under random calls', () => {
  it('answers an envelope for random method names and random JSON, never internal', async () => {
    const method = fc.oneof(
      fc.constantFrom(...FAST_METHODS),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf')
    )
    const input = fc.oneof(fc.constant({}), fc.constant(undefined), fc.constant(null), fc.jsonValue({ maxDepth: 3 }))
    await fc.assert(
      fc.asyncProperty(method, input, async (m, i) => void (await call(m, i))),
      budget(400)
    )
    expect(internal).toEqual([])
  })

  it('refuses the slow methods with random JSON by validation, without running anything', async () => {
    const input = fc.oneof(
      fc.constant({}),
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({ id: fc.string({ maxLength: 12 }), code: fc.integer() })
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('runDrill', 'submitDrill'), input, async (m, i) => {
        const envelope = await call(m, i)
        expect(envelope.ok).toBe(false)
      }),
      budget(100)
    )
  })

  it('answers structurally valid calls with hostile values by name', async () => {
    const deckId = ((await dispatch('listDecks', {})) as { ok: true; value: { id: string }[] }).value[0]!.id
    const text = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }),
      mutatedText('{{c1::port}} and `code` ::: card x\n---\n:::')
    )
    const tagList = fc.array(fc.stringMatching(/^[^\s]{1,12}$/), { maxLength: 3 })
    // Valid blocks with fresh ids (so some are stored) and mutated ones (so some are refused).
    const quizBlock = fc.oneof(
      fc.nat().map((n) => `::: quiz fuzz-q-${n} choice\nPick\n\n- [x] a\n- [ ] b\n---\nWhy.\n:::`),
      mutatedText('::: quiz fuzz-q choice\nPick\n\n- [x] a\n- [ ] b\n---\nWhy.\n:::')
    )
    const guide = '# G\n\n## P\n\n### 1. Q?\n\nA.\n'
    const csv = 'front,back,tags\n"a, b",c,x\n'
    const calls = fc.oneof(
      fc.record({ m: fc.constant('search'), i: fc.record({ query: fc.string({ maxLength: 100 }) }) }),
      fc.record({ m: fc.constant('browseCards'), i: fc.record({ query: fc.string({ maxLength: 100 }) }) }),
      fc.record({
        m: fc.constant('createCard'),
        i: fc.record({
          deckId: fc.constantFrom(deckId, 'no-such-deck'),
          kind: fc.constantFrom('basic', 'cloze'),
          front: text,
          back: text,
          tags: tagList
        })
      }),
      fc.record({
        m: fc.constant('createNote'),
        i: fc.record({ deckId: fc.constantFrom(deckId, 'no-such-deck'), title: text, body: text })
      }),
      fc.record({
        m: fc.constant('createQuizItem'),
        i: fc.record({ deckId: fc.constantFrom(deckId, 'no-such-deck'), block: quizBlock })
      }),
      fc.record({ m: fc.constant('createDeck'), i: fc.record({ title: text }) }),
      fc.record({
        m: fc.constant('getCard'),
        i: fc.record({ id: fc.oneof(fc.constantFrom('alpha-1', 'beta-1', 'nope'), fc.string({ maxLength: 20 })) })
      }),
      fc.record({
        m: fc.constant('updateCard'),
        i: fc.record({ id: fc.constantFrom('alpha-1', 'beta-1', 'nope'), front: text, back: text, tags: tagList })
      }),
      fc.record({
        m: fc.constant('answerCard'),
        i: fc.record({
          cardId: fc.constantFrom('alpha-1', 'nope'),
          rating: fc.constantFrom(1, 2, 3, 4),
          durationMs: fc.nat({ max: 100_000 })
        })
      }),
      fc.record({
        m: fc.constant('bulkCards'),
        i: fc.record({
          cardIds: fc.array(fc.constantFrom('alpha-1', 'alpha-2', 'nope'), { minLength: 1, maxLength: 3 }),
          action: fc.constantFrom(
            { action: 'suspend' },
            { action: 'reset' },
            { action: 'move', deckId: 'no-such-deck' },
            { action: 'addTag', tag: 'x' }
          )
        })
      }),
      fc.record({ m: fc.constant('getDrill'), i: fc.record({ id: fc.stringMatching(/^[a-z0-9-]{1,20}$/) }) }),
      fc.record({ m: fc.constant('getSolution'), i: fc.record({ id: fc.stringMatching(/^[a-z0-9-]{1,20}$/) }) }),
      fc.record({
        m: fc.constantFrom('previewImport', 'runImport'),
        i: fc.record({
          fileName: fc.oneof(
            fc.constantFrom('guide.md', 'cards.csv', 'deck.apkg', 'x.txt', 'topic.md'),
            fc.stringMatching(/^[^/\\\0]{1,20}$/)
          ),
          dataBase64: fc.oneof(
            fc
              .oneof(fc.constant(guide), mutatedText(guide), fc.constant(csv), mutatedText(csv))
              .map((t) => Buffer.from(t).toString('base64')),
            fc.string({ maxLength: 40 })
          )
        })
      })
    )
    await fc.assert(
      fc.asyncProperty(calls, async ({ m, i }) => void (await call(m, i))),
      budget(400)
    )
    expect(internal).toEqual([])
    // The runs reached the services both ways, not only the schema's refusals.
    for (const method of ['createCard', 'createQuizItem', 'browseCards', 'previewImport', 'runImport', 'updateCard']) {
      const tally = outcomes.get(method)
      expect(tally?.ok, `${method} never succeeded`).toBeGreaterThan(0)
      expect(tally?.failed, `${method} never failed`).toBeGreaterThan(0)
    }
  })
})
