// sync-server: the server devices sync through. sync-devices: one round from this collection.
import { resolve } from 'node:path'
import { tolerateRepoTimeouts } from '../../sync/library-timeouts'
import { noPositionals, parse, UsageError, withCollection, type CliIo } from './shared'

export async function syncServer(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, host: { type: 'string' } })
  noPositionals('sync-server', positionals)
  const port = Number(values.port)
  if (values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a whole number from 0 to 65535')
  if (!values['data-dir'])
    throw new UsageError('sync-server needs --data-dir DIR (where it keeps the synced documents and its token)')
  const dataDir = resolve(values['data-dir'])
  tolerateRepoTimeouts(io.err)
  // Loaded only here: Automerge would otherwise slow the start of every other command.
  const { startSyncServer } = await import('../../sync/server')
  const server = await startSyncServer({
    port,
    dataDir,
    ...(values.host ? { host: values.host } : {}),
    ...(io.env.RETRANSMIT_SYNC_TOKEN ? { token: io.env.RETRANSMIT_SYNC_TOKEN } : {})
  })
  const address = `http://${values.host ?? '127.0.0.1'}:${server.port}`
  if (values.json) io.json({ server: address, token: server.token, dataDir })
  else {
    io.out(`Retransmit sync server at ${address} (documents in ${dataDir})`)
    io.out(`Token: ${server.token}`)
    io.out('On each device: Settings → Sync, or `retransmit sync-devices --server ADDRESS --token TOKEN`.')
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await server.close()
  return 0
}

export async function syncDevices(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { server: { type: 'string' }, token: { type: 'string' } })
  noPositionals('sync-devices', positionals)
  if ((values.server === undefined) !== (values.token === undefined))
    throw new UsageError('give --server and --token together')
  return withCollection(values['data-dir'], io, async (call) => {
    if (values.server && values.token) await call('configureSync', { server: values.server, token: values.token })
    const status = await call('syncNow', {})
    if (values.json) io.json(status)
    else if (status.lastError) io.err(`retransmit: sync failed: ${status.lastError}`)
    else {
      const report = status.lastReport!
      io.out(
        `Synced with ${status.server}: ${report.sent} answers sent, ${report.received} received, ${report.edits} edits sent.`
      )
    }
    return status.lastError ? 1 : 0
  })
}
