// Drill attempts (each Run and Submit, with its code and result) and drill sessions travel between
// two devices (each its own process, running the shipped tcp-echo drill in the real sandbox)
// through one sync server: every attempt from either device is on both exactly once, the drill
// list counts them, each device continues only its own session, a session's end and hints follow
// it, and a pass graded on one device counts on the other.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childScriptPath, removeBuiltChildScript } from '../../../src/main/drills/child-script'
import type { DrillDetail, DrillSubmitOutcome, DrillSummary } from '../../../src/shared/drills'
import type { SyncStatus } from '../../../src/shared/device-sync'
import { at, startPair, type Pair } from './devices'

interface Attempt {
  uid: string
  drillId: string
  session: string | null
  mode: string
  status: string
  grade: number | null
  code: string
}
interface Session {
  uid: string
  drillId: string
  openedAt: number
  endedAt: number | null
  events: { at: number; kind: string; hint: number }[]
}
interface Dump {
  drillAttempts: Attempt[]
  drillSessions: Session[]
  integrity: string
}

const TOKEN = 'drill-attempts-sync-token-0123456789'
const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)
const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')
const DRILL = 'tcp-echo'
const SOLUTION = readFileSync(join(CONTENT, 'drills', DRILL, 'solution.ts'), 'utf8')
const STARTER = readFileSync(join(CONTENT, 'drills', DRILL, 'starter.ts'), 'utf8')
const BROKEN = 'export function startEchoServer( {\n'

let pair: Pair
let dumps: Dump[]

const attemptsListed = async (device: Pair['laptop']) =>
  (await device.send<DrillSummary[]>({ cmd: 'list-drills' })).find((drill) => drill.id === DRILL)!.attempts

beforeAll(async () => {
  process.env.RETRANSMIT_TEST_DRILL_CHILD = await childScriptPath()
  pair = await startPair('drills', TOKEN, CONTENT)
  const { laptop, desktop } = pair
  // Offline. The laptop: opens, takes a hint, runs the starter, passes with the solution.
  await at(laptop, T0, { cmd: 'open-drill', id: DRILL })
  await at(laptop, T0 + 1 * MINUTE, { cmd: 'hint', id: DRILL, n: 1 })
  await at(laptop, T0 + 2 * MINUTE, { cmd: 'run-drill', id: DRILL, code: STARTER })
  await at(laptop, T0 + 5 * MINUTE, { cmd: 'submit-drill', id: DRILL, code: SOLUTION })
  // The desktop: opens the same drill and submits code that does not compile.
  await at(desktop, T0 + 3 * MINUTE, { cmd: 'open-drill', id: DRILL })
  await at(desktop, T0 + 4 * MINUTE, { cmd: 'submit-drill', id: DRILL, code: BROKEN })
  await pair.sync(desktop, laptop, desktop)
  dumps = await pair.dumps<Dump>()
}, 240_000)

afterAll(async () => {
  await pair?.close()
  removeBuiltChildScript()
  delete process.env.RETRANSMIT_TEST_DRILL_CHILD
})

describe('drill attempts and sessions synced between two devices', () => {
  it('puts every attempt from both devices on both, exactly once, with its code and result', () => {
    const [laptop, desktop] = dumps
    expect(laptop!.drillAttempts).toEqual(desktop!.drillAttempts)
    const attempts = laptop!.drillAttempts
    expect(new Set(attempts.map((a) => a.uid)).size).toBe(3)
    expect(attempts.map((a) => [a.mode, a.status, a.grade]).sort()).toEqual([
      ['run', 'fail', null],
      ['submit', 'error', null],
      ['submit', 'pass', 3]
    ])
    expect(attempts.find((a) => a.status === 'pass')!.code).toBe(SOLUTION)
    // Each attempt stays in the session it was made in, on both devices.
    for (const attempt of attempts) expect(attempt.session?.split(':')[0]).toBe(attempt.uid.split(':')[0])
    for (const dump of dumps) expect(dump.integrity).toBe('ok')
  })

  it('shows them in the drill list on both devices', async () => {
    expect(await attemptsListed(pair.laptop)).toBe(3)
    expect(await attemptsListed(pair.desktop)).toBe(3)
  })

  it('brings each session with its end and its hints, and each device continues only its own', async () => {
    const [laptop, desktop] = dumps
    expect(laptop!.drillSessions).toEqual(desktop!.drillSessions)
    const passed = laptop!.drillSessions.find((s) => s.openedAt === T0)!
    expect(passed).toMatchObject({ drillId: DRILL, endedAt: T0 + 5 * MINUTE })
    expect(passed.events).toEqual([{ at: T0 + 1 * MINUTE, kind: 'hint', hint: 1 }])
    const open = laptop!.drillSessions.find((s) => s.openedAt === T0 + 3 * MINUTE)!
    expect(open.endedAt).toBeNull()
    // The laptop's pass ended its own attempt; the desktop's open one is not the laptop's to continue.
    const reopened = await at(pair.laptop, T0 + 6 * MINUTE, { cmd: 'open-drill', id: DRILL })
    expect((reopened as DrillDetail).attempt!.openedAt).toBe(T0 + 6 * MINUTE)
    const continued = await at(pair.desktop, T0 + 6 * MINUTE, { cmd: 'open-drill', id: DRILL })
    expect((continued as DrillDetail).attempt!.openedAt).toBe(T0 + 3 * MINUTE)
  })

  it('takes nothing twice in a round with nothing new', async () => {
    const status = await pair.laptop.send<SyncStatus>({ cmd: 'sync' })
    expect(status.lastReport).toMatchObject({ drillsReceived: 0, refusedCount: 0 })
    const after = await pair.laptop.send<Dump>({ cmd: 'dump' })
    expect(after.drillAttempts).toEqual(dumps[0]!.drillAttempts)
  })

  it('counts a pass graded on one device on the other, and sends a session again once it ends', async () => {
    const { laptop, desktop } = pair
    // Within 24 hours of the laptop's graded pass: the desktop's pass is not graded again.
    const outcome = (await at(desktop, T0 + 10 * MINUTE, {
      cmd: 'submit-drill',
      id: DRILL,
      code: SOLUTION
    })) as DrillSubmitOutcome
    expect(outcome.grade).toBeNull()
    expect(outcome.gradeReason).toMatch(/already passed within the last 24 hours/)
    await pair.sync(desktop, laptop)
    const [onLaptop] = await pair.dumps<Dump>()
    expect(onLaptop!.drillSessions.find((s) => s.openedAt === T0 + 3 * MINUTE)!.endedAt).toBe(T0 + 10 * MINUTE)
    expect(onLaptop!.drillAttempts).toHaveLength(4)
  })
})
