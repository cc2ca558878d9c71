// One review session: the queue and the card on show, reveal and grade, bury, suspend, flags,
// undo and redo, the chosen set being studied, and what the session did (for its summary).
// ReviewView.svelte renders it and keeps only focus, keys and the DOM.
import type { Api } from '../../../../shared/api'
import type { AnswerResult, CardDetail, QueueState, Rating, StudySet } from '../../../../shared/study'
import { FLAG_NAMES, RATING_NAMES } from '../../../../shared/study'
import { Request } from '../../lib/request.svelte'
import { MAX_ANSWER_MS, plural, summarize, type SessionEvent } from './lib'

export type ReviewApi = Pick<
  Api,
  | 'getQueue'
  | 'answerCard'
  | 'buryCard'
  | 'suspendCard'
  | 'skipDrillCard'
  | 'undo'
  | 'redo'
  | 'undoStatus'
  | 'flagCards'
  | 'getCard'
>

export interface ReviewScope {
  /** One deck, or every deck when absent. */
  deckId?: string
  /** A chosen set to study now (from quiz results) instead of what is due. */
  cardIds?: readonly string[]
}

/** Reload the queue when the next learning card comes due if that is sooner than this (ms). */
const RELOAD_WITHIN_MS = 3_600_000
/** Reload this long after that card's due time, so it is due by then (ms). */
const RELOAD_AFTER_MS = 500

export class ReviewSession {
  readonly request = new Request()
  /** The chosen set: a buried card leaves it, an undone bury puts it back. Same machine, same clock. */
  set = $state<StudySet | undefined>(undefined)
  queue = $state<QueueState | null>(null)
  revealed = $state(false)
  events = $state<SessionEvent[]>([])
  /** What the last action did, shown above the card until the next one (and read out). */
  notice = $state('')
  readonly startedAt = Date.now()
  /** Ticks every second while the session is open, for the session clock (ms since epoch). */
  now = $state(Date.now())
  /** When the queue ran out: the session clock stops there. */
  endedAt = $state<number | null>(null)

  readonly card = $derived(this.queue?.card ?? null)
  readonly summary = $derived(summarize(this.events))
  readonly elapsed = $derived((this.endedAt ?? this.now) - this.startedAt)
  readonly busy = $derived(this.request.busy)

  /** When the card on show was shown, for the answer's duration (ms since epoch). */
  #shownAt = Date.now()
  readonly #deckId: string | undefined
  /** The set as it was chosen: only its cards come back into it on undo. */
  readonly #chosen: readonly string[]
  #ticker: ReturnType<typeof setInterval>
  #reload: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly api: ReviewApi,
    scope: ReviewScope = {},
    /** Called after every new queue (the page moves focus to the card). */
    private readonly onqueue: () => void = () => {}
  ) {
    this.#deckId = scope.deckId
    this.#chosen = scope.cardIds ?? []
    if (this.#chosen.length) this.set = { cardIds: [...this.#chosen], since: Date.now() }
    this.#ticker = setInterval(() => (this.now = Date.now()), 1000)
  }

  get deckId(): string | undefined {
    return this.#deckId
  }

  /** The first queue. */
  load(): Promise<boolean> {
    return this.#run(() => this.api.getQueue({ deckId: this.#deckId, set: this.set }))
  }

  dispose(): void {
    clearInterval(this.#ticker)
    clearTimeout(this.#reload)
  }

  reveal(): void {
    this.revealed = true
  }

  /** Grades the revealed card (never a drill card: only its Submit grades it). */
  grade(rating: Rating): Promise<boolean> {
    const card = this.card
    if (!card || card.kind === 'drill' || !this.revealed || this.busy) return Promise.resolve(false)
    const durationMs = Math.min(MAX_ANSWER_MS, Date.now() - this.#shownAt)
    return this.#run(
      async () => {
        const result = await this.api.answerCard({
          cardId: card.id,
          rating,
          durationMs,
          deckId: this.#deckId,
          set: this.set
        })
        this.events.push({ kind: 'answer', cardId: card.id, rating })
        return result
      },
      (q) => answerNotice(rating, q as AnswerResult)
    )
  }

  bury(): Promise<boolean> {
    const card = this.card
    if (!card) return Promise.resolve(false)
    return this.#run(
      async () => {
        const result = await this.api.buryCard({ cardId: card.id, deckId: this.#deckId, set: this.set })
        if (this.set) this.set = { ...this.set, cardIds: this.set.cardIds.filter((c) => c !== card.id) }
        this.events.push({ kind: 'bury', cardId: card.id })
        return result
      },
      () => 'Buried until tomorrow. Z undoes.'
    )
  }

  suspend(): Promise<boolean> {
    const card = this.card
    if (!card) return Promise.resolve(false)
    return this.#run(
      async () => {
        const result = await this.api.suspendCard({ cardId: card.id, deckId: this.#deckId, set: this.set })
        this.events.push({ kind: 'suspend', cardId: card.id })
        return result
      },
      () => 'Suspended: it will not come up until you unsuspend it in Browse. Z undoes.'
    )
  }

  /** A drill card put off for an hour. */
  skipDrill(): Promise<boolean> {
    const card = this.card
    if (!card) return Promise.resolve(false)
    return this.#run(
      () => this.api.skipDrillCard({ cardId: card.id, deckId: this.#deckId }),
      () => 'Skipped for an hour. Z undoes.'
    )
  }

  /** Undo or redo the last action; the card it changed comes back first. */
  history(direction: 'undo' | 'redo'): Promise<boolean> {
    let said = ''
    return this.#run(
      async () => {
        const result = direction === 'undo' ? await this.api.undo({}) : await this.api.redo({})
        if (!result.label) {
          said = direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.'
        } else {
          said = `${direction === 'undo' ? 'Undid' : 'Redid'} ${result.label}.`
          if (direction === 'undo') {
            this.events.pop()
            // An undone bury puts its card back in the chosen set.
            const back = result.cardIds[0]
            if (this.set && back && this.#chosen.includes(back) && !this.set.cardIds.includes(back))
              this.set = { ...this.set, cardIds: [...this.set.cardIds, back] }
          }
        }
        const first = direction === 'undo' ? result.cardIds[0] : undefined
        return this.api.getQueue({ deckId: this.#deckId, set: this.set, ...(first ? { first } : {}) })
      },
      () => said
    )
  }

  /** Sets a flag on the card on show, or clears it when it already has that one. */
  async flag(value: number): Promise<void> {
    const card = this.card
    if (!card || !this.queue || this.busy) return
    const next = card.flag === value ? 0 : value
    const done = await this.request.run(async () => {
      await this.api.flagCards({ cardIds: [card.id], flag: next })
      return this.api.undoStatus({})
    })
    if (!done || !this.queue) return
    this.queue = { ...this.queue, card: { ...card, flag: next }, history: done }
    this.notice = next ? `${FLAG_NAMES[next]} flag set. Z undoes.` : 'Flag removed. Z undoes.'
  }

  /** The card on show, in full, for the editor. */
  async cardForEditing(): Promise<CardDetail | null> {
    const card = this.card
    if (!card) return null
    return (await this.request.run(() => this.api.getCard({ id: card.id }))) ?? null
  }

  /** After an edit was saved: the edited card comes first again. */
  edited(): Promise<boolean> {
    const card = this.card
    return this.#run(
      () => this.api.getQueue({ deckId: this.#deckId, set: this.set, ...(card ? { first: card.id } : {}) }),
      () => 'Card saved. Z undoes.'
    )
  }

  /** One action at a time: it answers the next queue, which replaces the card on show. */
  async #run(action: () => Promise<QueueState>, message: (q: QueueState) => string = () => ''): Promise<boolean> {
    if (this.busy) return false
    const queue = await this.request.run(action)
    if (!queue) return false
    this.queue = queue
    this.revealed = false
    this.#shownAt = Date.now()
    this.notice = message(queue)
    this.#afterQueue(queue)
    this.onqueue()
    return true
  }

  /** Stops the clock when the queue is empty, and reloads it when the next learning card comes due. */
  #afterQueue(q: QueueState): void {
    clearTimeout(this.#reload)
    this.endedAt = q.card ? null : (this.endedAt ?? Date.now())
    if (!q.card && !this.set && q.nextDue !== null && q.nextDue - Date.now() < RELOAD_WITHIN_MS) {
      this.#reload = setTimeout(() => void this.load(), Math.max(0, q.nextDue - Date.now()) + RELOAD_AFTER_MS)
    }
  }
}

function answerNotice(rating: Rating, result: AnswerResult): string {
  const parts = [`Answered ${RATING_NAMES[rating]}.`]
  if (result.buriedSiblings > 0) parts.push(`${plural(result.buriedSiblings, 'sibling card')} buried until tomorrow.`)
  if (result.leech) {
    parts.push(
      `That card is a leech (${result.leech.lapses} lapses): tagged leech${result.leech.suspended ? ' and suspended' : ''}. Rewrite or split it; Z undoes.`
    )
  }
  return parts.join(' ')
}
