// Public surface of the drill service. No electron here: the doors wire it in.
export { loadDrills, type LoadDrillsResult } from './load-drills'
export { checkDrill, runDrill, shutdownRunner, prewarmRunner, configureRunner, type RunnerOptions } from './runner'
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
