// The drill service's public shapes. Plain data only: they cross IPC and HTTP as JSON. The
// unions and the trace event the UI also uses are declared once, in src/shared/drills.ts.
import type { DrillDifficulty, DrillStatus, DrillTestStatus, TraceEvent, TraceLayer } from '../../shared/drills'

export type { DrillDifficulty, DrillStatus, TraceEvent, TraceKind, TraceLayer } from '../../shared/drills'

/** One folder under content/drills, parsed. See content/README.md "## Drills". */
export interface DrillDefinition {
  id: string
  title: string
  deck: string
  cards: string[]
  difficulty: DrillDifficulty
  /** Wall clock for one whole run, milliseconds. */
  timeLimitMs: number
  /** Heap + ArrayBuffer/Buffer budget for one run, megabytes. */
  memoryLimitMb: number
  /** Layers the trace view shows by default; everything is always recorded. */
  trace: TraceLayer[]
  /** The task, markdown, with the hint blocks taken out. */
  task: string
  /** Hint bodies (markdown), in file order, revealed one at a time. */
  hints: string[]
  starter: string
  solution: string
  visibleTests: string
  hiddenTests: string
  /** Extra modules the tests import as './<name>' (name without `.ts`). */
  support: Record<string, string>
}

export interface DrillLoadError {
  /** Path relative to the content folder, e.g. `drills/tls-echo/drill.md`. */
  file: string
  /** 1-based; 1 when the problem is not tied to a line. */
  line: number
  message: string
}

export type RunMode = 'run' | 'submit'

export interface RunLimits {
  timeLimitMs?: number
  memoryLimitMb?: number
  /** Captured console/stdout/stderr output, bytes. */
  outputLimitBytes?: number
}

/** `skip`: not reached because the run stopped (time limit, crash) before it. */
export type TestStatus = DrillTestStatus

export interface TestResult {
  name: string
  status: TestStatus
  message: string
  durationMs: number
  /** A stretch test ("what real servers also do"): shown apart, not needed for a pass. */
  stretch?: boolean
}

export interface DrillResult {
  drill: string
  status: DrillStatus
  message: string
  tests: TestResult[]
  output: string
  trace: TraceEvent[]
  durationMs: number
  /** The sandbox layers this run had, in plain words (README "Security" explains each). */
  isolation: string[]
}

export interface RunDrillInput {
  drill: DrillDefinition
  /** The learner's solution.ts source. */
  code: string
  mode: RunMode
  limits?: RunLimits
}

export const DEFAULT_TIME_LIMIT_MS = 5_000
export const MAX_TIME_LIMIT_MS = 30_000
export const DEFAULT_MEMORY_LIMIT_MB = 256
export const MAX_MEMORY_LIMIT_MB = 512
export const DEFAULT_OUTPUT_LIMIT_BYTES = 1024 * 1024
export const DEFAULT_TEST_TIMEOUT_MS = 2_000
export const TRACE_PAYLOAD_CAP_BYTES = 256
/** Trace events kept per run; past this the run notes that the trace was cut. */
export const TRACE_EVENT_CAP = 5_000
