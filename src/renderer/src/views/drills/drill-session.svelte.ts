// One drill being worked on: the code and its autosave, the type check as you type, Run and
// Submit, hints and the solution, and what the page announces. DrillPage.svelte renders it and
// keeps only what touches the DOM (focus, scrolling, the editor's text).
import type { Api } from '../../../../shared/api'
import type { DrillAttemptView, DrillDetail, DrillRunResult, DrillSubmitOutcome } from '../../../../shared/drills'
import { Request } from '../../lib/request.svelte'
import { parseDiagnostics, type CodeDiagnostic } from './lib'

export type DrillApi = Pick<
  Api,
  'openDrill' | 'checkDrill' | 'saveDraft' | 'runDrill' | 'submitDrill' | 'getDrill' | 'showHint' | 'getSolution'
>

export interface DrillTiming {
  /** Autosave this long after typing stops (ms). */
  saveDelayMs: number
  /** Check (compile + type check) this long after typing stops (ms). */
  checkDelayMs: number
}

export const DEFAULT_TIMING: DrillTiming = { saveDelayMs: 800, checkDelayMs: 400 }

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'failed'

export interface ShownResult {
  result: DrillRunResult
  mode: 'run' | 'submit'
  outcome: DrillSubmitOutcome | null
}

/** Problems a finished run points at in the code: compile errors, or lines failing tests passed through. */
export function diagnose(run: DrillRunResult): CodeDiagnostic[] {
  if (run.status === 'error') return parseDiagnostics(run.message, 'error')
  return run.tests
    .filter((t) => t.status !== 'pass' && t.status !== 'skip')
    .flatMap((t) => parseDiagnostics(t.message, 'warning', `Test "${t.name}": `))
    .filter((d, i, all) => all.findIndex((o) => o.line === d.line && o.column === d.column) === i)
}

export class DrillSession {
  readonly request = new Request()
  detail = $state<DrillDetail | null>(null)
  code = $state('')
  /** The attempt as the host recorded it: hints shown, whether the solution may be shown. */
  attempt = $state<DrillAttemptView | null>(null)
  running = $state<'run' | 'submit' | null>(null)
  result = $state<ShownResult | null>(null)
  /** From the last Run or Submit (the editor keeps them on their text as you edit). */
  runDiagnostics = $state<CodeDiagnostic[]>([])
  /** From the check of the current text: syntax errors, refused imports, type errors. */
  typeDiagnostics = $state<CodeDiagnostic[]>([])
  readonly diagnostics = $derived([...this.typeDiagnostics, ...this.runDiagnostics])
  /** The last check: how many problems, and the first one in words (`line 3: TS2322: …`). */
  types = $state<{ checked: boolean; errors: number; first: string | null } | null>(null)
  solution = $state<string | null>(null)
  /** Asking for the solution: its refusal is shown beside the button, not as a notice. */
  readonly solutionRequest = new Request()
  saveState = $state<SaveState>('idle')
  savedAt = $state<number | null>(null)
  /** For the page's live region. */
  announce = $state('')

  readonly hintsShown = $derived(this.attempt?.hints ?? [])
  readonly nextHint = $derived(
    this.detail
      ? Array.from({ length: this.detail.hintCount }, (_v, i) => i + 1).find(
          (n) => !this.hintsShown.some((h) => h.n === n)
        )
      : undefined
  )
  readonly typesText = $derived(
    !this.types?.checked
      ? ''
      : this.types.errors === 0
        ? 'No problems'
        : `${this.types.errors} problem${this.types.errors === 1 ? '' : 's'}${this.types.first ? `: ${this.types.first}` : ''}`
  )

  #saveTimer: ReturnType<typeof setTimeout> | null = null
  #checkTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    readonly id: string,
    private readonly api: DrillApi,
    private readonly timing: DrillTiming = DEFAULT_TIMING
  ) {}

  /** Opens the drill (starting or continuing the attempt the host grades a Submit from). */
  async load(): Promise<boolean> {
    const loaded = await this.request.run(() => this.api.openDrill({ id: this.id }))
    if (!loaded) return false
    this.code = loaded.draft ?? loaded.starter
    this.attempt = loaded.attempt
    this.detail = loaded
    void this.checkTypes()
    return true
  }

  /** The learner typed: save and check once typing stops. */
  edit(text: string): void {
    this.code = text
    this.saveState = 'pending'
    this.#clearSave()
    this.#saveTimer = setTimeout(() => void this.save(), this.timing.saveDelayMs)
    this.#clearCheck()
    this.#checkTimer = setTimeout(() => void this.checkTypes(), this.timing.checkDelayMs)
  }

  /** Problems in the text as it is now; an answer for text that has changed since is dropped. */
  async checkTypes(): Promise<void> {
    this.#clearCheck()
    const sent = this.code
    try {
      const checked = await this.api.checkDrill({ id: this.id, code: sent })
      if (sent !== this.code) return
      this.typeDiagnostics = parseDiagnostics(checked.errors.join('\n'), 'error')
      const first = checked.errors[0]?.replace(/^solution\.ts:(\d+):\d+: /, 'line $1: ') ?? null
      this.types = { checked: checked.checked, errors: checked.errors.length, first }
    } catch {
      // Not worth a notice: the Run reports the same problems.
      this.types = null
    }
  }

  async save(): Promise<void> {
    this.#clearSave()
    this.saveState = 'saving'
    try {
      this.savedAt = (await this.api.saveDraft({ id: this.id, code: this.code })).savedAt
      if (this.saveState === 'saving') this.saveState = 'saved'
    } catch {
      this.saveState = 'failed'
    }
  }

  /** Leaving: stop the timers, and save typing not saved yet rather than drop it. */
  dispose(): void {
    this.#clearCheck()
    if (this.#saveTimer) void this.save()
  }

  /** Run (visible tests) or Submit (all tests, graded); true when a result arrived. */
  async execute(mode: 'run' | 'submit'): Promise<boolean> {
    if (this.running || !this.detail) return false
    this.running = mode
    this.announce = mode === 'run' ? 'Running the visible tests…' : 'Submitting: visible and hidden tests…'
    // The runner saves the draft itself.
    this.#clearSave()
    this.#clearCheck()
    const { id, code } = this
    const shown = await this.request.run(async (): Promise<ShownResult> => {
      if (mode === 'run') return { result: await this.api.runDrill({ id, code }), mode, outcome: null }
      const outcome = await this.api.submitDrill({ id, code })
      return { result: outcome.result, mode, outcome }
    })
    this.running = null
    if (!shown) {
      this.announce = ''
      return false
    }
    this.result = shown
    if (shown.outcome) {
      this.attempt = shown.outcome.attempt
      this.solutionRequest.clear()
      void this.refreshHeader()
    }
    this.saveState = 'saved'
    this.savedAt = Date.now()
    // The run's message carries any type errors itself.
    this.typeDiagnostics = []
    this.runDiagnostics = diagnose(shown.result)
    const core = shown.result.tests.filter((t) => !t.stretch)
    this.announce = `${mode === 'run' ? 'Run' : 'Submit'} finished: ${shown.result.status}. ${core.filter((t) => t.status === 'pass').length} of ${core.length} tests passed.`
    return true
  }

  /** After a Submit, the header's last result and due date come from the host, as on reopening. */
  async refreshHeader(): Promise<void> {
    try {
      const fresh = await this.api.getDrill({ id: this.id })
      if (this.detail)
        this.detail = { ...this.detail, lastSubmit: fresh.lastSubmit, due: fresh.due, attempts: fresh.attempts }
    } catch {
      // The header keeps its old text; the result itself is already shown.
    }
  }

  /** The editor now holds the starter again (the page set its text): save and check it at once. */
  resetToStarter(): void {
    if (!this.detail) return
    this.code = this.detail.starter
    this.runDiagnostics = []
    this.typeDiagnostics = []
    void this.save()
    void this.checkTypes()
    this.announce = 'The editor holds the starter code again.'
  }

  async showHint(n: number): Promise<void> {
    const attempt = await this.request.run(() => this.api.showHint({ id: this.id, n }))
    if (!attempt) return
    this.attempt = attempt
    this.announce = `Hint ${n} shown.`
  }

  /** The host's reason for refusing the solution (a Submit in this attempt must have run the tests). */
  get solutionRefused(): string | null {
    return this.solutionRequest.message
  }

  /** The reference solution, if the host allows it now; else its reason, in solutionRefused. */
  async showSolution(): Promise<boolean> {
    const shown = await this.solutionRequest.run(() => this.api.getSolution({ id: this.id }))
    if (!shown) return false
    this.solution = shown.code
    if (this.attempt) this.attempt = { ...this.attempt, solutionShownAt: this.attempt.solutionShownAt ?? Date.now() }
    return true
  }

  #clearSave(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer)
    this.#saveTimer = null
  }

  #clearCheck(): void {
    if (this.#checkTimer) clearTimeout(this.#checkTimer)
    this.#checkTimer = null
  }
}
