// backup and restore.
import { join, resolve } from 'node:path'
import { ValidationError } from '../../../shared/errors'
import { restoreCollectionFile } from '../../app/backups'
import { DATA_FILE_NAME, resolveDataDir } from '../../app/paths'
import { describeStorageFailure } from '../../store/backup'
import { noPositionals, parse, UsageError, withCollection, type CliIo } from './shared'

/** `retransmit backup [--out FILE]`: a consistent copy now; prints the file written. */
export async function backup(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } })
  noPositionals('backup', positionals)
  return withCollection(values['data-dir'], io, async (call) => {
    const { file } = await call('backupTo', values.out === undefined ? {} : { file: resolve(values.out) })
    if (values.json) io.json({ file })
    else io.out(file)
    return 0
  })
}

/**
 * `retransmit restore FILE`: checks FILE is a healthy Retransmit collection, keeps the
 * current file aside, and puts a copy of FILE in its place. Refused while another process
 * (the desktop app, `retransmit serve`) has the collection open.
 */
export async function restore(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  const [source, ...extra] = positionals
  if (!source) throw new UsageError('restore needs a FILE (a backup, e.g. from <data folder>/backups/)')
  if (extra.length > 0) throw new UsageError(`restore takes one FILE (got '${extra[0]}' too)`)
  const dataDir = resolveDataDir(values['data-dir'], io.env)
  const dataFile = join(dataDir, DATA_FILE_NAME)
  let keptAside: string | null
  try {
    ;({ keptAside } = await restoreCollectionFile(resolve(source), dataFile, Date.now()))
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message)
    const storage = describeStorageFailure(error, dataDir)
    throw storage === null ? error : new Error(`${storage} The collection was left as it was.`)
  }
  if (values.json) io.json({ restored: resolve(source), dataFile, keptAside })
  else {
    io.out(`Restored ${resolve(source)} to ${dataFile}.`)
    io.out(keptAside ? `The collection it replaced was kept as ${keptAside}.` : 'There was no collection to replace.')
  }
  return 0
}
