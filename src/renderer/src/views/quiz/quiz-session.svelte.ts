// The Quiz page's state: QuizPage holds the decks, the quiz under way and its results; QuizRun
// is one quiz, one item at a time (the draft answer, checking it, the feedback, moving on, the
// countdown, finishing). The components render them and keep focus, keys and the DOM.
import type { Api } from '../../../../shared/api'
import type { DeckSummary } from '../../../../shared/domain'
import type { QuizFeedback, QuizSession, QuizSummary } from '../../../../shared/study'
import { Request } from '../../lib/request.svelte'
import { describeAnswer, type AnsweredItem } from './answers'
import { countdownMs, emptyDraft, toAnswer, type Draft } from './lib'

export type QuizApi = Pick<Api, 'listDecks' | 'startQuiz' | 'answerQuizItem' | 'finishQuiz'>

/** The countdown's tick (ms). */
const TICK_MS = 250

export class QuizPage {
  readonly request = new Request()
  decks = $state<DeckSummary[] | null>(null)
  session = $state<QuizSession | null>(null)
  summary = $state<QuizSummary | null>(null)
  /** Each answered item of the finished quiz (by id), with the learner's answer and the feedback. */
  answered = $state<Record<string, AnsweredItem>>({})
  readonly deckTitles = $derived(Object.fromEntries((this.decks ?? []).map((d) => [d.id, d.title])))

  constructor(private readonly api: QuizApi) {}

  async load(): Promise<void> {
    const decks = await this.request.run(() => this.api.listDecks({}))
    if (decks) this.decks = decks
  }

  start(session: QuizSession): void {
    this.session = session
  }

  finished(summary: QuizSummary, answered: Record<string, AnsweredItem>): void {
    this.summary = summary
    this.answered = answered
  }

  /** Back to the set-up. */
  again(): void {
    this.summary = null
    this.session = null
  }

  /** A new quiz of the items just missed, in a new order. */
  async retry(itemIds: string[]): Promise<void> {
    const next = await this.request.run(() => this.api.startQuiz({ itemIds, count: itemIds.length }))
    if (!next) return
    this.summary = null
    this.session = next
  }
}

export class QuizRun {
  readonly request = new Request()
  index = $state(0)
  draft: Draft
  feedback = $state<QuizFeedback | null>(null)
  /** Per item: right, wrong, or not answered yet. */
  results = $state<(boolean | null)[]>([])
  /** Why the draft cannot be checked yet ("Choose an option."). */
  problem = $state('')
  finishing = $state(false)
  /** The page's clock for the countdown (ms since epoch). */
  now = $state(Date.now())
  /** When a timed quiz ends on this page's clock (ms since epoch), from when it appeared. */
  readonly deadline: number | null

  readonly busy = $derived(this.request.busy)

  /** Each answered item by id, handed to the results. */
  readonly answered: Record<string, AnsweredItem> = {}
  #ticker: ReturnType<typeof setInterval> | undefined

  constructor(
    readonly session: QuizSession,
    private readonly api: QuizApi,
    /** Called with the summary once the quiz is finished. */
    private readonly onfinish: (summary: QuizSummary, answered: Record<string, AnsweredItem>) => void
  ) {
    this.draft = $state(emptyDraft(session.items[0]!))
    this.results = session.items.map(() => null)
    this.deadline = session.timeLimitSec === null ? null : Date.now() + session.timeLimitSec * 1000
    if (this.deadline !== null) this.#ticker = setInterval(() => (this.now = Date.now()), TICK_MS)
  }

  get items(): QuizSession['items'] {
    return this.session.items
  }

  /** The item on show. */
  get item(): QuizSession['items'][number] {
    return this.session.items[this.index]!
  }

  get last(): boolean {
    return this.index === this.session.items.length - 1
  }

  /** Time left (ms), or null for an untimed quiz. */
  get left(): number | null {
    return this.deadline === null ? null : countdownMs(this.deadline, this.now)
  }

  dispose(): void {
    clearInterval(this.#ticker)
  }

  /** Checks the draft; true when feedback arrived (a draft not complete yet sets `problem`). */
  async submit(): Promise<boolean> {
    if (this.busy || this.feedback || this.finishing) return false
    const item = this.item
    const built = toAnswer(item, this.draft)
    if ('problem' in built) {
      this.problem = built.problem
      return false
    }
    this.problem = ''
    const index = this.index
    const feedback = await this.request.run(() =>
      this.api.answerQuizItem({ sessionId: this.session.id, itemId: item.id, answer: built.answer })
    )
    if (!feedback) return false
    this.feedback = feedback
    this.results[index] = feedback.correct
    this.answered[item.id] = { given: describeAnswer(item, built.answer), feedback }
    return true
  }

  /** The next item (true), or the end of the quiz after the last one (false). */
  async next(): Promise<boolean> {
    if (!this.feedback || this.busy) return false
    if (this.last) {
      await this.finish()
      return false
    }
    this.index += 1
    this.draft = emptyDraft(this.session.items[this.index]!)
    this.feedback = null
    this.problem = ''
    this.request.clear()
    return true
  }

  async finish(): Promise<void> {
    if (this.finishing) return
    this.finishing = true
    const summary = await this.request.run(() => this.api.finishQuiz({ sessionId: this.session.id }))
    if (summary) this.onfinish(summary, this.answered)
    else this.finishing = false
  }
}
