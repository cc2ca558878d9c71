// Builds in-memory drills for runner tests; overrides replace any field.
import type { DrillDefinition } from '../../../../src/main/drills/types'

export function buildDrill(overrides: Partial<DrillDefinition> = {}): DrillDefinition {
  return {
    id: 'test-drill',
    title: 'Test drill',
    deck: 'tcp-vs-udp',
    cards: [],
    difficulty: 'core',
    timeLimitMs: 5000,
    memoryLimitMb: 256,
    trace: ['tcp'],
    task: 'Do the thing.',
    hints: [],
    starter: 'export {}\n',
    solution: 'export {}\n',
    visibleTests: "import { test } from 'retransmit:test'\ntest('runs the code', () => { require('./solution') })\n",
    hiddenTests: "import { test } from 'retransmit:test'\ntest('hidden', () => {})\n",
    support: {},
    ...overrides
  }
}

/** A drill whose single visible test just imports the solution, so `code` runs at load time. */
export function codeOnlyDrill(overrides: Partial<DrillDefinition> = {}): DrillDefinition {
  return buildDrill({
    visibleTests:
      "import { test } from 'retransmit:test'\nimport { main } from './solution'\ntest('main', async () => { await main() })\n",
    ...overrides
  })
}
