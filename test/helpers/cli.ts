// The CLI run in this process against a fixture library, with what it printed captured. Output goes
// through the same stream io as the real command (terminal escaping, JSON), into strings.
import { main, streamIo, type CliIo } from '../../src/main/doors/cli'
import { fixtureContent } from './collection'

export interface CliRun {
  code: number
  out: string
  err: string
  /** Every fraction the progress line reported. */
  progress: number[]
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let out = ''
  let err = ''
  const progress: number[] = []
  const streams = streamIo(
    { write: (t) => (out += t) },
    { write: (t) => (err += t) },
    { RETRANSMIT_CONTENT_DIR: fixtureContent(), ...env }
  )
  const io: CliIo = { ...streams, progress: (f) => progress.push(f) }
  const code = await main(args, io)
  return { code, out: out.replace(/\n$/, ''), err: err.replace(/\n$/, ''), progress }
}
