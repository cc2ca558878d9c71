// The CLI run in this process against a fixture library, with what it printed captured.
import { main, type CliIo } from '../../src/main/doors/cli'
import { fixtureContent } from './collection'

export interface CliRun {
  code: number
  out: string
  err: string
  /** Every fraction the progress line reported. */
  progress: number[]
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = []
  const err: string[] = []
  const progress: number[] = []
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), progress: (f) => progress.push(f), env: { RETRANSMIT_CONTENT_DIR: fixtureContent(), ...env } }
  const code = await main(args, io)
  return { code, out: out.join('\n'), err: err.join('\n'), progress }
}
