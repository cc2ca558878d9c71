// Generated practice: quiz items whose numbers are drawn per attempt from a seed and whose
// answers are computed. An item authored with `generator: <kind>` is a typein item with no fixed
// answer; the session's seed picks the numbers, so answering and reviewing see the same ones.
import type { Random } from '../../../shared/seeded-random'
import { cubicK } from './cubic'
import { linkDelay, serializationDelay } from './delay'
import { slowStartRounds } from './slow-start'
import { subnetBroadcast, subnetHosts, subnetMember, subnetNetwork, subnetPrefix } from './subnet'
import { bdp, windowScale, windowThroughput } from './throughput'
import { PRACTICE_KINDS, type PracticeGenerator, type PracticeItem, type PracticeKind } from './types'

export { PRACTICE_KINDS, type PracticeItem, type PracticeKind }

const GENERATORS: Record<PracticeKind, PracticeGenerator> = {
  'subnet-network': subnetNetwork,
  'subnet-broadcast': subnetBroadcast,
  'subnet-hosts': subnetHosts,
  'subnet-prefix': subnetPrefix,
  'subnet-member': subnetMember,
  bdp,
  'window-throughput': windowThroughput,
  'window-scale': windowScale,
  'slow-start-rounds': slowStartRounds,
  'serialization-delay': serializationDelay,
  'link-delay': linkDelay,
  'cubic-k': cubicK
}

export function isPracticeKind(name: string): name is PracticeKind {
  return (PRACTICE_KINDS as readonly string[]).includes(name)
}

/** One instance of `kind`, its numbers drawn from `random`. */
export function generatePractice(kind: PracticeKind, random: Random): PracticeItem {
  return GENERATORS[kind](random)
}
