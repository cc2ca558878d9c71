// The shape every practice generator returns.
import type { Random } from '../../../shared/seeded-random'

export const PRACTICE_KINDS = [
  'subnet-network',
  'subnet-broadcast',
  'subnet-hosts',
  'subnet-prefix',
  'subnet-member',
  'bdp',
  'window-throughput',
  'window-scale',
  'slow-start-rounds',
  'serialization-delay',
  'link-delay',
  'cubic-k'
] as const

export type PracticeKind = (typeof PRACTICE_KINDS)[number]

/** One drawn instance of a generated quiz item. */
export interface PracticeItem {
  kind: PracticeKind
  /** The drawn numbers (and a few derived ones), so a test can check the answer independently. */
  inputs: Record<string, number | string>
  /** Markdown: the question with its numbers. */
  question: string
  /** The right answer as text to show after answering. */
  expected: string
  /** Markdown: the worked solution, step by step. */
  worked: string
  /** Whether a typed answer is right, under the tolerance rules in answers.ts. */
  check(text: string): boolean
}

export type PracticeGenerator = (random: Random) => PracticeItem
