// What every CLI command shares: argument parsing, opening the collection, calling the API.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { configureRunner } from '../../drills'
import { openCollection, type Collection } from '../../app/collection'
import { locateContentDir, locateDrillRunnerFiles } from '../../app/locate'
import { resolveDataDir } from '../../app/paths'
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
    log: io.err
  })
}

/** Calls one API method through the shared dispatch; validation failures are usage errors. */
export async function call<T>(collection: Collection, method: string, input: unknown): Promise<T> {
  const result = await createDispatch(collection.handlers)(method, input)
  if (result.ok) return result.value as T
  if (result.code === 'validation' || result.code === 'not_found' || result.code === 'content')
    throw new UsageError(result.message)
  throw new Error(result.message)
}

/** Runs `use` with the collection open, and closes it whatever happens. */
export async function withCollection<T>(
  dataDir: string | undefined,
  io: CliIo,
  use: (c: Collection) => Promise<T>
): Promise<T> {
  const collection = open(dataDir, io)
  try {
    return await use(collection)
  } finally {
    await collection.settled()
    collection.close()
  }
}

export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got '${positionals[0]}')`)
}
