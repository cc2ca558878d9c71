// Public surface of the drill service. No electron here: the doors wire it in.
import { runDrill as runInSandbox } from './runner'
import { countDeclaredStretch, gradeStretch } from './stretch'
import type { DrillResult, RunDrillInput } from './types'

export { checkDrill, shutdownRunner, prewarmRunner, configureRunner, type RunnerOptions } from './runner'
export { STRETCH_PREFIX } from './stretch'

/** Runs a drill in the sandbox; stretch tests are shown apart and not needed for a pass (stretch.ts). */
export async function runDrill(input: RunDrillInput): Promise<DrillResult> {
  const declared =
    countDeclaredStretch(input.drill.visibleTests) +
    (input.mode === 'submit' ? countDeclaredStretch(input.drill.hiddenTests) : 0)
  return gradeStretch(await runInSandbox(input), declared)
}
export { createRelay, type Relay, type RelayFaults, type RelayOptions, type RelayStats } from './relay/index'
export type {
  DrillDefinition,
  DrillDifficulty,
  DrillLoadError,
  DrillResult,
  DrillStatus,
  RunDrillInput,
  RunLimits,
  RunMode,
  TestResult,
  TestStatus,
  TraceEvent,
  TraceKind,
  TraceLayer
} from './types'
