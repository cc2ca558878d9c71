// Code drills as a use case: show a drill, run or submit the learner's code in the sandbox,
// keep attempts and drafts, and on Submit grade the drill's own card and its linked cards.
import { NotFoundError, ValidationError } from '../../shared/errors'
import type {
  DrillAttemptView,
  DrillCheckResult,
  DrillDetail,
  DrillRunResult,
  DrillSubmitOutcome,
  DrillSummary
} from '../../shared/drills'
import type { Rating } from '../../shared/study'
import { loadDrills } from '../content/load-drills'
import { checkDrill, runDrill, type DrillDefinition, type DrillResult } from '../drills'
import { writeTransaction, type Db } from '../store/db'
import type { DrillSessionRow, DrillSessionStore } from '../store/drill-sessions'
import type { DrillStore } from '../store/drills'
import { gradeSubmit, SOON_MS } from './drill-grade'
import { createDrillTraceMemory } from './drill-traces'
import type { StudyCardStore } from '../store/study-cards'
import type { ReviewLogStore } from '../store/review-log'
import type { ReviewService } from './review'

// The runner's result must fit the shared shape the UI renders.
const fits: (result: DrillResult) => DrillRunResult = (result) => result

export interface DrillDeps {
  db: Db
  store: DrillStore
  sessions: DrillSessionStore
  cards: StudyCardStore
  log: ReviewLogStore
  review: ReviewService
  contentDir: string | null
  clock: () => number
}

export function createDrillService(deps: DrillDeps) {
  const { db, store, sessions, cards, log, review, clock } = deps
  let definitions: Map<string, DrillDefinition> | null = null
  const traces = createDrillTraceMemory(clock)

  function definition(id: string): DrillDefinition {
    definitions ??= new Map(deps.contentDir ? loadDrills(deps.contentDir).drills.map((d) => [d.id, d]) : [])
    const drill = definitions.get(id)
    if (!drill || !store.summary(id)) throw new NotFoundError('drill', id)
    return drill
  }

  function summary(id: string): DrillSummary {
    const found = store.summary(id)
    if (!found) throw new NotFoundError('drill', id)
    return found
  }

  function record(
    id: string,
    sessionId: number,
    mode: 'run' | 'submit',
    code: string,
    result: DrillRunResult,
    hintsUsed: number,
    grade: Rating | null,
    now: number
  ): void {
    store.insertAttempt({
      drillId: id,
      at: now,
      mode,
      status: result.status,
      // Stretch tests are not needed for a pass, so they are not in the count either.
      passed: result.tests.filter((t) => !t.stretch && t.status === 'pass').length,
      total: result.tests.filter((t) => !t.stretch).length,
      durationMs: result.durationMs,
      hintsUsed,
      code,
      result: JSON.stringify({ ...result, trace: [], output: result.output.slice(0, 10_000) }),
      sessionId,
      grade
    })
  }

  /** The drill's open attempt, once any left unfinished for over a day is ended. Call inside a transaction. */
  function openSession(id: string, now: number): DrillSessionRow | null {
    sessions.endOpenedBefore(id, now - SOON_MS, now)
    return sessions.open(id, now - SOON_MS)
  }

  function startSession(id: string, now: number, timed: boolean): DrillSessionRow {
    return { id: sessions.start(id, now, timed), drillId: id, openedAt: now, timed, endedAt: null }
  }

  /** An act with no attempt open (a Run, Submit or hint) starts one with no known start: no Easy. */
  const sessionFor = (id: string, now: number): DrillSessionRow => openSession(id, now) ?? startSession(id, now, false)

  function view(drill: DrillDefinition, session: DrillSessionRow): DrillAttemptView {
    return {
      openedAt: session.openedAt,
      timed: session.timed,
      hints: sessions
        .hints(session.id)
        .filter((n) => n <= drill.hints.length)
        .map((n) => ({ n, text: drill.hints[n - 1]! })),
      solutionShownAt: sessions.solutionShownIn(session.id),
      solutionAvailable: sessions.submittedTests(session.id),
      endedAt: session.endedAt
    }
  }

  function detail(id: string, session: DrillSessionRow | null): DrillDetail {
    const drill = definition(id)
    return {
      ...summary(id),
      task: drill.task,
      hintCount: drill.hints.length,
      starter: drill.starter,
      visibleTests: drill.visibleTests,
      draft: store.draft(id),
      cards: drill.cards,
      trace: drill.trace,
      timeLimitMs: drill.timeLimitMs,
      attempt: session ? view(drill, session) : null
    }
  }

  const openTx = writeTransaction(db, (id: string): DrillDetail => {
    definition(id)
    const now = clock()
    return detail(id, openSession(id, now) ?? startSession(id, now, true))
  })

  const hintTx = writeTransaction(db, (id: string, n: number): DrillAttemptView => {
    const drill = definition(id)
    if (n > drill.hints.length)
      throw new ValidationError(
        `drill ${id} has ${drill.hints.length} hint${drill.hints.length === 1 ? '' : 's'}, not ${n}`
      )
    const now = clock()
    const session = sessionFor(id, now)
    sessions.hintShown(session.id, n, now)
    return view(drill, session)
  })

  const runTx = writeTransaction(db, (id: string, code: string, result: DrillRunResult): void => {
    const now = clock()
    store.saveDraft(id, code, now)
    const session = sessionFor(id, now)
    record(id, session.id, 'run', code, result, sessions.hints(session.id).length, null, now)
  })

  /** Records the Submit, grades it from the records (drill-grade.ts) and applies the grade. */
  const submitTx = writeTransaction(
    db,
    (id: string, code: string, result: DrillRunResult, receivedAt: number): DrillSubmitOutcome => {
      const drill = definition(id)
      const now = clock()
      store.saveDraft(id, code, now)
      const session = sessionFor(id, receivedAt)
      const hintsShown = sessions.hints(session.id).length
      const { grade, reason } = gradeSubmit({
        status: result.status,
        now: receivedAt,
        openedAt: session.timed ? session.openedAt : null,
        hintsShown,
        solutionShownAt: sessions.lastSolutionShown(id),
        lastGraded: sessions.lastGraded(id)
      })
      record(id, session.id, 'submit', code, result, hintsShown, grade, now)
      // A pass ends the attempt: the next opening starts a new one.
      if (result.status === 'pass') sessions.end(session.id, now)
      const ended = result.status === 'pass' ? { ...session, endedAt: now } : session
      return {
        result,
        grade,
        gradeReason: reason,
        cardsScheduled: grade === null ? [] : applyGrade(id, drill, grade, now),
        attempt: view(drill, ended)
      }
    }
  )

  /** The drill's card takes the grade; linked cards get one effect per study day, like quiz answers. */
  function applyGrade(id: string, drill: DrillDefinition, grade: Rating, now: number): string[] {
    review.applyOutcome(`drill:${id}`, grade, 'drill', 0, now)
    const since = review.dayOf(now).startMs
    const linked = drill.cards.flatMap((cardId) => expandCard(cardId))
    const scheduled: string[] = []
    for (const cardId of linked) {
      const ref = cards.ref(cardId)
      if (!ref || ref.retired || ref.suspended || log.answeredSince(cardId, since)) continue
      review.applyOutcome(cardId, grade === 1 ? 1 : 3, 'drill', 0, now)
      scheduled.push(cardId)
    }
    return scheduled
  }

  const solutionTx = writeTransaction(db, (id: string): { code: string } => {
    const drill = definition(id)
    const now = clock()
    // This attempt: the open one, or the one a pass just ended.
    const latest = sessions.latest(id)
    const session = openSession(id, now) ?? (latest?.endedAt != null && now - latest.endedAt < SOON_MS ? latest : null)
    if (!session || !sessions.submittedTests(session.id)) {
      throw new ValidationError(
        'Submit your code first: the solution opens once a Submit in this attempt has run the tests (code that does not compile does not count). Seeing it makes a pass within 24 hours Hard at most.'
      )
    }
    sessions.solutionShown(session.id, now)
    return { code: drill.solution }
  })

  function expandCard(cardId: string): string[] {
    if (cards.ref(cardId)) return [cardId]
    // A cloze block id stands for all of its cards.
    const all: string[] = []
    for (let n = 1; n <= 20; n++) if (cards.ref(`${cardId}#c${n}`)) all.push(`${cardId}#c${n}`)
    return all
  }

  return {
    list: (): DrillSummary[] => store.summaries(),
    /** The drill and its open attempt, recording nothing. */
    detail: (id: string): DrillDetail => detail(id, sessions.open(id, clock() - SOON_MS)),
    /** Opening the drill to work on it: continues the open attempt or starts one, timed from now. */
    open: (id: string): DrillDetail => openTx(id),
    showHint: (id: string, n: number): DrillAttemptView => hintTx(id, n),
    saveDraft(id: string, code: string): { savedAt: number } {
      definition(id)
      const now = clock()
      store.saveDraft(id, code, now)
      return { savedAt: now }
    },
    async check(id: string, code: string): Promise<DrillCheckResult> {
      return checkDrill(definition(id), code)
    },
    async run(id: string, code: string): Promise<DrillRunResult> {
      const result = fits(await runDrill({ drill: definition(id), code, mode: 'run' }))
      runTx(id, code, result)
      traces.keep(id, result)
      return result
    },
    async submit(id: string, code: string): Promise<DrillSubmitOutcome> {
      const receivedAt = clock()
      const result = fits(await runDrill({ drill: definition(id), code, mode: 'submit' }))
      const outcome = submitTx(id, code, result, receivedAt)
      traces.keep(id, result)
      return outcome
    },
    solution: (id: string): { code: string } => solutionTx(id),
    /** The reference solution against every test (an author's check); records and grades nothing. */
    async runSolution(id: string): Promise<DrillRunResult> {
      const drill = definition(id)
      const result = fits(await runDrill({ drill, code: drill.solution, mode: 'submit' }))
      traces.keep(id, result)
      return result
    },
    /** The last run's trace as pcapng (drill-traces.ts). */
    exportTrace(id: string) {
      definition(id)
      return traces.exportPcapng(id)
    },
    /** Forget loaded definitions after a content sync. */
    reload(): void {
      definitions = null
    }
  }
}

export type DrillService = ReturnType<typeof createDrillService>
