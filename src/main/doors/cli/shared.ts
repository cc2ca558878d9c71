// What every CLI command shares: argument parsing, opening the collection, calling the API.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { configureRunner } from '../../drills'
import { openCollection, type Collection } from '../../app/collection'
import { locateContentDir, locateDrillRunnerFiles } from '../../app/locate'
import { resolveDataDir } from '../../app/paths'
import type { Handlers, InputOf, MethodName, ResultOf } from '../../../shared/api'
import type { ErrorCode } from '../../../shared/errors'
import { createDispatch } from '../dispatch'

export interface CliIo {
  /** Human-readable text (control characters escaped for the terminal). */
  out: (text: string) => void
  /** --json output: always valid JSON. */
  json: (value: unknown) => void
  err: (text: string) => void
  /** A progress line that rewrites itself on a terminal (stderr); ends with a newline at 1. */
  progress: (fraction: number, message: string) => void
  env: NodeJS.ProcessEnv
}

/** Bad usage or bad input: exit code 2. */
export class UsageError extends Error {}

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies ParseArgsConfig['options']

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** From the build, drills run from prebuilt sandbox files instead of compiling them first. */
export function configureDrillRunner(): void {
  const runnerFiles = locateDrillRunnerFiles()
  if (runnerFiles) configureRunner(runnerFiles)
}

export function open(dataDirFlag: string | undefined, io: CliIo, door: 'cli' | 'http' = 'cli'): Collection {
  configureDrillRunner()
  // Browser mode opens a damaged collection in the recovery state (the page offers a restore);
  // a command stops with CorruptCollectionError, whose message names the restore command.
  return openCollection({
    dataDir: resolveDataDir(dataDirFlag, io.env),
    contentDir: locateContentDir(io.env),
    door,
    recover: door === 'http',
    log: io.err,
    progress: io.progress
  })
}

/** One contract method, typed from src/shared/api.ts, answering its result or throwing. */
export type Call = <M extends MethodName>(method: M, input: InputOf<M>) => Promise<ResultOf<M>>

/** Errors that are the caller's to fix (bad input, no such thing, bad content): exit 2, not 1. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['validation', 'not_found', 'content'])

/** Calls methods through the shared dispatch, as the command line (which may call cliOnly methods). */
export function caller(handlers: Partial<Handlers>, io: CliIo): Call {
  const dispatch = createDispatch(handlers, io.err, 'cli')
  return async (method, input) => {
    const result = await dispatch(method, input)
    if (result.ok) return result.value as ResultOf<typeof method>
    throw USAGE_CODES.has(result.code) ? new UsageError(result.message) : new Error(result.message)
  }
}

/** Runs `use` with the collection open, and closes it whatever happens. */
export async function withCollection<T>(
  dataDir: string | undefined,
  io: CliIo,
  use: (call: Call) => Promise<T>
): Promise<T> {
  const collection = open(dataDir, io)
  try {
    return await use(caller(collection.handlers, io))
  } finally {
    await collection.settled()
    collection.close()
  }
}

export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got '${positionals[0]}')`)
}
