// Quiz sessions: pick items, check answers against the stored items, feed linked cards to
// the scheduler (at most once per card per study day), keep results. Each use case is one
// synchronous transaction.
import { NotFoundError, ValidationError } from '../../shared/errors'
import type { QuizAnswer, QuizFeedback, QuizHistoryEntry, QuizSession, QuizSummary } from '../../shared/study'
import { writeTransaction, type Db } from '../store/db'
import { type QuizCandidate, type QuizConfig, type QuizItemRow, type QuizStore, type SessionRow } from '../store/quiz'
import { checkAnswer, expectedText, explanationFor, viewOf, visiblePrompt } from './quiz-check'
import type { ReviewService } from './review'

export interface QuizDeps {
  db: Db
  store: QuizStore
  review: ReviewService
  clock: () => number
  /** Uniform in [0, 1); tests may fix it. Only item selection uses it. */
  random?: () => number
}

export interface QuizStartInput {
  deckIds: string[]
  tags: string[]
  count: number
  timeLimitSec: number | null
  /** Only these items (the results page's Retry missed); deckIds and tags are then ignored. */
  itemIds?: string[]
}

/** Time one answer may count towards review time (ms): a long pause is not study. */
const MAX_ANSWER_MS = 60_000
/** Answers arriving this long after a timed quiz's end still count (ms): network and rendering slack. */
const DEADLINE_GRACE_MS = 5_000

/**
 * Up to `count` candidates, favouring items missed the last time they were asked, then
 * items never asked, then those asked longest ago; random within each group. The pick is
 * then shuffled so missed items do not all come first.
 */
export function pickItems(candidates: QuizCandidate[], count: number, random: () => number): QuizCandidate[] {
  const tier = (c: QuizCandidate) => (c.lastCorrect === false ? 0 : c.lastSeen === null ? 1 : 2)
  const ranked = candidates
    .map((c) => ({ c, tier: tier(c), seen: c.lastSeen ?? 0, key: random() }))
    .sort((a, b) => a.tier - b.tier || (a.tier === 2 ? a.seen - b.seen : 0) || a.key - b.key)
  const picked = ranked.slice(0, Math.max(0, count)).map((r) => r.c)
  for (let i = picked.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[picked[i], picked[j]] = [picked[j]!, picked[i]!]
  }
  return picked
}

export function createQuizService(deps: QuizDeps) {
  const { db, store, review, clock } = deps
  const random = deps.random ?? Math.random

  const startTx = writeTransaction(db, (input: QuizStartInput, now: number): QuizSession => {
    const only = new Set(input.itemIds ?? [])
    const candidates = only.size
      ? store.candidates([], []).filter((c) => only.has(c.id))
      : store.candidates(input.deckIds, input.tags)
    const picked = pickItems(candidates, input.count, random)
    if (picked.length === 0) {
      throw new ValidationError(
        input.deckIds.length || input.tags.length
          ? 'no quiz items match the chosen decks and tags'
          : 'there are no quiz items yet'
      )
    }
    const items = picked.map((c) => requireItem(store, c.id))
    const config: QuizConfig = {
      deckIds: input.deckIds,
      tags: input.tags,
      count: input.count,
      timeLimitSec: input.timeLimitSec,
      decks: [...new Set(items.map((i) => i.deckId))].sort(),
      items: []
    }
    const id = store.insertSession(now, config)
    // The arrangement is seeded by session and item, so it is reproducible from the row.
    const views = items.map((item) => {
      const { view, shown } = viewOf(item, itemSeed(id, item.id))
      config.items.push({ id: item.id, deckId: item.deckId, shown })
      return { ...view, deckId: item.deckId }
    })
    store.updateConfig(id, config)
    return { id, items: views, timeLimitSec: input.timeLimitSec, startedAt: now }
  })

  const answerTx = writeTransaction(
    db,
    (sessionId: number, itemId: string, answer: QuizAnswer, now: number): QuizFeedback => {
      const session = requireSession(store, sessionId)
      if (session.finishedAt !== null) throw new ValidationError('this quiz is already finished')
      const entry = session.config.items.find((i) => i.id === itemId)
      if (!entry) throw new ValidationError(`item ${itemId} is not part of this quiz`)
      const limitSec = session.config.timeLimitSec
      if (limitSec !== null && now > session.startedAt + limitSec * 1000 + DEADLINE_GRACE_MS) {
        throw new ValidationError('time is up for this quiz')
      }
      const given = store.answers(sessionId)
      if (given.some((a) => a.itemId === itemId))
        throw new ValidationError(`item ${itemId} was already answered in this quiz`)

      const item = requireItem(store, itemId)
      const seed = itemSeed(sessionId, itemId)
      const correct = checkAnswer(item.data, answer, entry.shown, seed)
      store.insertAnswer(sessionId, itemId, now, correct, answer)

      const since = Math.max(session.startedAt, ...given.map((a) => a.answeredAt))
      const durationMs = Math.min(MAX_ANSWER_MS, Math.max(0, now - since))
      const dayStartMs = review.dayOf(now).startMs
      for (const card of store.linkedCards(item.cardId)) {
        // One effect per card per study day, whatever gave the first; never wake a retired or suspended card.
        if (card.retired || card.suspended || store.answeredSince(card.id, dayStartMs)) continue
        review.applyOutcome(card.id, correct ? 3 : 1, 'quiz', durationMs, now)
      }
      return {
        itemId,
        correct,
        expected: expectedText(item.data, seed),
        explanation: explanationFor(item, seed),
        cardId: primaryCard(store, item)
      }
    }
  )

  const finishTx = writeTransaction(db, (sessionId: number, now: number): QuizSummary => {
    let session = requireSession(store, sessionId)
    const answers = store.answers(sessionId)
    if (session.finishedAt === null) {
      const score = answers.filter((a) => a.correct).length
      const limitMs = session.config.timeLimitSec === null ? Infinity : session.config.timeLimitSec * 1000
      const durationMs = Math.min(limitMs, Math.max(0, now - session.startedAt))
      store.finish(sessionId, now, score, session.config.items.length, durationMs)
      session = requireSession(store, sessionId)
    }
    return summaryOf(store, session, answers)
  })

  return {
    start(input: QuizStartInput): QuizSession {
      return startTx(input, clock())
    },
    answer(sessionId: number, itemId: string, answer: QuizAnswer): QuizFeedback {
      return answerTx(sessionId, itemId, answer, clock())
    },
    /** Ends the quiz and stores its score; finishing again returns the same summary. */
    finish(sessionId: number): QuizSummary {
      return finishTx(sessionId, clock())
    },
    /** Past sessions, newest first (what Stats shows). */
    history(limit: number): QuizHistoryEntry[] {
      return store.history(limit)
    }
  }
}

export type QuizService = ReturnType<typeof createQuizService>

/** The seed of one item in one session: its arrangement and, for a generated item, its numbers. */
function itemSeed(sessionId: number, itemId: string): string {
  return `${sessionId}:${itemId}`
}

function requireSession(store: QuizStore, id: number): SessionRow {
  const session = store.session(id)
  if (!session) throw new NotFoundError('quiz session', String(id))
  return session
}

function requireItem(store: QuizStore, id: string): QuizItemRow {
  const item = store.item(id)
  if (!item) throw new NotFoundError('quiz item', id)
  return item
}

/** The card to open for an item: the card it names, or the first card of the cloze block it names. */
function primaryCard(store: QuizStore, item: QuizItemRow): string | null {
  return store.linkedCards(item.cardId)[0]?.id ?? null
}

function summaryOf(
  store: QuizStore,
  session: SessionRow,
  answers: { itemId: string; correct: boolean }[]
): QuizSummary {
  const right = new Set(answers.filter((a) => a.correct).map((a) => a.itemId))
  const missed = session.config.items
    .filter((entry) => !right.has(entry.id))
    .map((entry) => {
      const item = store.item(entry.id)
      const linked = item ? store.linkedCards(item.cardId).map((card) => card.id) : []
      return {
        itemId: entry.id,
        prompt: item ? visiblePrompt(item, itemSeed(session.id, entry.id)) : entry.id,
        cardId: linked[0] ?? null,
        cardIds: linked,
        deckId: item?.deckId ?? entry.deckId
      }
    })
  return { sessionId: session.id, score: session.score, total: session.total, durationMs: session.durationMs, missed }
}
