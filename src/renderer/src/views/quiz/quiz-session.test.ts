// The Quiz page's state against the real services: a collection in a temp folder with a
// true/false item and a choice item, answered through the same dispatch the page's doors use.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { openCollection } from '../../../../main/app/collection'
import type { QuizSession, QuizSummary } from '../../../../shared/study'
import { ApiError } from '../../../../shared/errors'
import { deckMd, quizBlock, topicMd } from '../../../../../test/helpers/content'
import { pageApi } from '../../../../../test/helpers/page-api'
import { tempDir, writeTree } from '../../../../../test/helpers/temp'
import type { AnsweredItem } from './answers'
import { QuizPage, QuizRun } from './quiz-session.svelte'

const content = tempDir('retransmit-quiz-content-')
writeTree(content, {
  'decks/net/deck.md': deckMd('Networking'),
  'decks/net/quiz.md': topicMd({
    id: 'net-quiz',
    blocks: [
      quizBlock('q-tf', 'truefalse', 'UDP retransmits lost datagrams.\n---\nIt does not.', 'answer: false\n'),
      quizBlock('q-choice', 'choice', 'Which flag opens a TCP connection?\n\n- [x] SYN\n- [ ] FIN\n---\nSYN.')
    ]
  })
})
const collection = openCollection({ dataDir: tempDir(), contentDir: content, door: 'http', autoBackup: false })
const api = pageApi(collection)
afterAll(() => collection.close())

const runs: QuizRun[] = []
afterEach(() => {
  for (const r of runs.splice(0)) r.dispose()
})

function runOf(session: QuizSession) {
  const finished: { summary: QuizSummary; answered: Record<string, AnsweredItem> }[] = []
  const run = new QuizRun(session, api, (summary, answered) => finished.push({ summary, answered }))
  runs.push(run)
  return { run, finished }
}

/** Fills the draft of the item on show: true/false answered right when `right`, the choice always right. */
function answer(run: QuizRun, right: boolean): void {
  if (run.item.type === 'truefalse') run.draft.value = !right
  else run.draft.selected = [0]
}

describe('QuizPage', () => {
  it('loads the decks and their titles, starts a quiz and goes back to the set-up', async () => {
    const page = new QuizPage(api)
    await page.load()
    expect(page.decks?.map((d) => d.id)).toEqual(['net'])
    expect(page.deckTitles).toEqual({ net: 'Networking' })
    const session = await api.startQuiz({ deckIds: ['net'], count: 2 })
    page.start(session)
    expect(page.session?.id).toBe(session.id)
    page.again()
    expect(page.session).toBe(null)
  })

  it('retries the missed items as a new quiz of just those', async () => {
    const page = new QuizPage(api)
    const first = await api.startQuiz({ deckIds: ['net'], count: 2 })
    page.start(first)
    await page.retry(['q-tf'])
    expect(page.session?.id).not.toBe(first.id)
    expect(page.session?.items.map((i) => i.id)).toEqual(['q-tf'])
    expect(page.summary).toBe(null)
  })
})

describe('QuizRun', () => {
  it('asks for an answer before checking, then shows feedback, moves on and finishes with the summary', async () => {
    const { run, finished } = runOf(await api.startQuiz({ deckIds: ['net'], count: 2 }))
    expect(run.left).toBe(null)
    expect(await run.submit()).toBe(false)
    expect(run.problem).toMatch(/^Choose/)
    expect(run.feedback).toBe(null)
    const firstId = run.item.id
    answer(run, false)
    expect(await run.submit()).toBe(true)
    expect(run.problem).toBe('')
    // A truefalse answered wrong, or the choice answered right.
    const firstRight = firstId === 'q-choice'
    expect(run.feedback?.correct).toBe(firstRight)
    expect(run.results).toEqual([firstRight, null])
    expect(await run.submit()).toBe(false) // already checked
    expect(await run.next()).toBe(true)
    expect(run.index).toBe(1)
    expect(run.feedback).toBe(null)
    expect(run.last).toBe(true)
    answer(run, false)
    await run.submit()
    expect(await run.next()).toBe(false)
    expect(finished).toHaveLength(1)
    expect(finished[0]!.summary).toMatchObject({ score: 1, total: 2 })
    expect(finished[0]!.summary.missed.map((m) => m.itemId)).toEqual(['q-tf'])
    expect(Object.keys(finished[0]!.answered).sort()).toEqual(['q-choice', 'q-tf'])
    expect(finished[0]!.answered['q-tf']!.feedback.correct).toBe(false)
  })

  it('counts a timed quiz down from its limit', async () => {
    const { run } = runOf(await api.startQuiz({ deckIds: ['net'], count: 1, timeLimitSec: 60 }))
    expect(run.left).toBeGreaterThan(0)
    expect(run.left).toBeLessThanOrEqual(60_000)
  })

  it('keeps a failed check in its request, with no feedback', async () => {
    const session = await api.startQuiz({ deckIds: ['net'], count: 1 })
    const { run, finished } = runOf({ ...session, id: session.id + 1000 })
    answer(run, true)
    expect(await run.submit()).toBe(false)
    expect(run.feedback).toBe(null)
    expect((run.request.error as ApiError).code).toBe('not_found')
    await run.finish()
    expect(run.finishing).toBe(false)
    expect(finished).toEqual([])
  })
})
