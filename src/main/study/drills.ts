// Code drills as a use case: show a drill, run or submit the learner's code in the sandbox,
// keep attempts and drafts, and on Submit grade the drill's own card and its linked cards.
import { NotFoundError, ValidationError } from '../../shared/errors'
import type { DrillCheckResult, DrillDetail, DrillRunResult, DrillSubmitOutcome, DrillSummary } from '../../shared/drills'
import type { Rating } from '../../shared/study'
import { checkDrill, loadDrills, runDrill, type DrillDefinition, type DrillResult } from '../drills'
import { writeTransaction, type Db } from '../store/db'
import type { DrillStore } from '../store/drills'
import type { StudyCardStore } from '../store/study-cards'
import type { ReviewLogStore } from '../store/review-log'
import type { ReviewService } from './review'

/** Solved within this long of opening the drill, with no hints: graded Easy (ms). */
export const FAST_SOLVE_MS = 10 * 60_000

// The runner's result must fit the shared shape the UI renders.
const fits: (result: DrillResult) => DrillRunResult = (result) => result

export interface DrillDeps {
  db: Db
  store: DrillStore
  cards: StudyCardStore
  log: ReviewLogStore
  review: ReviewService
  contentDir: string | null
  clock: () => number
}

/** Again when any test fails; Good when all pass; Easy when also fast and without hints. */
export function gradeSubmission(status: DrillRunResult['status'], hintsUsed: number, elapsedMs: number): 1 | 3 | 4 {
  if (status !== 'pass') return 1
  return hintsUsed === 0 && elapsedMs <= FAST_SOLVE_MS ? 4 : 3
}

export function createDrillService(deps: DrillDeps) {
  const { db, store, cards, log, review, clock } = deps
  let definitions: Map<string, DrillDefinition> | null = null

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

  function record(id: string, mode: 'run' | 'submit', code: string, result: DrillRunResult, hintsUsed: number): void {
    store.insertAttempt({
      drillId: id,
      at: clock(),
      mode,
      status: result.status,
      passed: result.tests.filter((t) => t.status === 'pass').length,
      total: result.tests.length,
      durationMs: result.durationMs,
      hintsUsed,
      code,
      result: JSON.stringify({ ...result, trace: [], output: result.output.slice(0, 10_000) })
    })
  }

  /** Linked cards get one effect per study day, like quiz answers. */
  const applySubmit = writeTransaction(db, (id: string, code: string, result: DrillRunResult, hintsUsed: number, grade: Rating): string[] => {
    const now = clock()
    record(id, 'submit', code, result, hintsUsed)
    review.applyOutcome(`drill:${id}`, grade, 'drill', 0, now)
    const since = review.dayOf(now).startMs
    const linked = definition(id).cards.flatMap((cardId) => expandCard(cardId))
    const scheduled: string[] = []
    for (const cardId of linked) {
      const ref = cards.ref(cardId)
      if (!ref || ref.retired || ref.suspended || log.answeredSince(cardId, since)) continue
      review.applyOutcome(cardId, grade === 1 ? 1 : 3, 'drill', 0, now)
      scheduled.push(cardId)
    }
    return scheduled
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
    detail(id: string): DrillDetail {
      const drill = definition(id)
      return {
        ...summary(id),
        task: drill.task,
        hints: drill.hints,
        starter: drill.starter,
        visibleTests: drill.visibleTests,
        draft: store.draft(id),
        cards: drill.cards,
        trace: drill.trace,
        timeLimitMs: drill.timeLimitMs,
        solutionAvailable: store.attempts(id) > 0
      }
    },
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
      store.saveDraft(id, code, clock())
      record(id, 'run', code, result, 0)
      return result
    },
    async submit(id: string, code: string, hintsUsed: number, elapsedMs: number): Promise<DrillSubmitOutcome> {
      const result = fits(await runDrill({ drill: definition(id), code, mode: 'submit' }))
      store.saveDraft(id, code, clock())
      // Code that could not run at all (syntax error, refused module) is not a recall attempt.
      if (result.status === 'error') {
        record(id, 'submit', code, result, hintsUsed)
        return { result, grade: null, cardsScheduled: [] }
      }
      const grade = gradeSubmission(result.status, hintsUsed, elapsedMs)
      return { result, grade, cardsScheduled: applySubmit(id, code, result, hintsUsed, grade) }
    },
    solution(id: string): { code: string } {
      const drill = definition(id)
      if (store.attempts(id) === 0) throw new ValidationError('make an attempt (Run or Submit) before looking at the solution')
      return { code: drill.solution }
    },
    /** Forget loaded definitions after a content sync. */
    reload(): void {
      definitions = null
    }
  }
}

export type DrillService = ReturnType<typeof createDrillService>
