// Taking a merged log document into SQLite: each card that got answers from elsewhere has its
// whole log replayed in time order, its log rows rewritten with the states the replay gives and
// its scheduling state set to the replay's end. One transaction per document, which also
// records the document version taken in, so a crash leaves either all of it or none.
import { studyDay } from '../scheduler/study-day'
import type { Db } from '../store/db'
import type { StoredAnswer, SyncedAnswer, SyncStateStore } from '../store/sync-state'
import type { SchedulerSettings } from '../scheduler/fsrs'
import { replay } from './replay'

export interface ApplyDeps {
  db: Db
  store: SyncStateStore
  /** The scheduling settings in force for a deck, and the study day's rollover hour. */
  settings: { effective(deckId: string | null): SchedulerSettings & { dayStartHour: number } }
  clock: () => number
  /** Local UTC offset in minutes for a moment, as Date#getTimezoneOffset(). */
  tzOffset: (now: number) => number
}

/** Replays one card with `incoming` added to what it already has; writes its log and state. */
function replayCard(
  deps: ApplyDeps,
  cardId: string,
  deckId: string,
  incoming: SyncedAnswer[],
  undone?: ReadonlySet<string>
): void {
  const existing = deps.store.answersOfCard(cardId).filter((row) => !(row.uid && undone?.has(row.uid)))
  const byUid = new Map<string, StoredAnswer>()
  for (const row of existing) if (row.uid) byUid.set(row.uid, row)
  const all: SyncedAnswer[] = [...existing.map((row) => ({ ...row, uid: row.uid ?? `~${row.id}` })), ...incoming]
  const settings = deps.settings.effective(deckId)
  const result = replay(cardId, all, settings)
  const rows = result.steps.map(({ answer, log, previous }) => {
    const kept = byUid.get(answer.uid) ?? existing.find((row) => !row.uid && `~${row.id}` === answer.uid)
    const day = kept
      ? kept.studyDay
      : studyDay(answer.reviewedAt, settings.dayStartHour, deps.tzOffset(answer.reviewedAt)).number
    return {
      id: kept?.id ?? null,
      uid: kept ? kept.uid : answer.uid,
      cardId,
      deckId: kept?.deckId ?? deckId,
      studyDay: day,
      reviewedAt: answer.reviewedAt,
      rating: answer.rating,
      durationMs: answer.durationMs,
      source: answer.source,
      state: log.state,
      due: log.due,
      stability: log.stability,
      difficulty: log.difficulty,
      elapsedDays: log.elapsedDays,
      lastElapsedDays: log.lastElapsedDays,
      scheduledDays: log.scheduledDays,
      learningSteps: log.learningSteps,
      previous: JSON.stringify(previous)
    }
  })
  deps.store.rewriteCardLog(cardId, rows)
  deps.store.writeCardState(cardId, result.card, deps.clock())
}

/** An answer undone where it was given, after it was sent: its tombstone. */
export interface Undone {
  undone: string
}

/**
 * Takes `entries` (one document's, at `heads`) into the collection. Answers already here are
 * skipped; answers for cards this collection lacks wait in sync_pending; an undone answer is
 * removed and its card replayed without it. Returns how many answers were added.
 */
export function applyAnswers(
  deps: ApplyDeps,
  url: string,
  heads: string[],
  entries: Iterable<SyncedAnswer | Undone>
): number {
  return deps.db.transaction(() => {
    const byCard = new Map<string, SyncedAnswer[]>()
    const undone = new Map<string, Set<string>>()
    for (const entry of entries) {
      if ('undone' in entry) {
        deps.store.dropPendingAnswer(entry.undone)
        const cardId = deps.store.cardOfAnswer(entry.undone)
        if (cardId === null) continue
        undone.set(cardId, (undone.get(cardId) ?? new Set()).add(entry.undone))
        if (!byCard.has(cardId)) byCard.set(cardId, [])
        continue
      }
      if (deps.store.hasAnswer(entry.uid)) continue
      const list = byCard.get(entry.cardId)
      if (list) list.push(entry)
      else byCard.set(entry.cardId, [entry])
    }
    let added = 0
    for (const [cardId, incoming] of byCard) {
      const deckId = deps.store.cardDeck(cardId)
      if (deckId === null) {
        for (const answer of incoming) deps.store.addPending(answer)
        continue
      }
      replayCard(deps, cardId, deckId, incoming, undone.get(cardId))
      added += incoming.length
    }
    deps.store.setAppliedHeads(url, heads)
    return added
  })()
}

/** Answers that waited for their card, for the cards that have arrived since. Returns how many were added. */
export function applyPending(deps: ApplyDeps): number {
  return deps.db.transaction(() => {
    let added = 0
    for (const cardId of deps.store.pendingCardIds()) {
      const incoming = deps.store.takePending(cardId).filter((answer) => !deps.store.hasAnswer(answer.uid))
      if (incoming.length === 0) continue
      replayCard(deps, cardId, deps.store.cardDeck(cardId)!, incoming)
      added += incoming.length
    }
    return added
  })()
}
