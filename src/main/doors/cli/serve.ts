// serve: browser mode.
import { spawn } from 'node:child_process'
import { shutdownRunner } from '../../drills'
import { locateRendererDir } from '../../app/locate'
import { createDispatch } from '../dispatch'
import { startHttpServer } from '../http-server'
import { noPositionals, open, parse, UsageError, type CliIo } from './shared'

export async function serve(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, 'no-open': { type: 'boolean' } })
  noPositionals('serve', positionals)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a whole number from 0 to 65535')
  const rendererDir = locateRendererDir()
  if (!rendererDir) throw new Error('the app is not built: run `npm run build` first')
  const collection = open(values['data-dir'], io, 'http')
  for (const p of collection.lastSync()?.problems ?? []) io.err(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
  const recovery = collection.recovery()
  if (recovery)
    io.err(
      `retransmit: the collection file is damaged (${recovery.reason}); kept aside as ${recovery.keptAside ?? 'it was'}. The page offers to restore the newest good backup.`
    )
  const server = await startHttpServer({
    dispatch: createDispatch(collection.handlers),
    rendererDir,
    mediaDir: collection.mediaDir,
    port
  })
  const address = `${server.url}#token=${server.token}`
  io.out(`Retransmit is running at ${address}`)
  // While the page loads its script, the queue's counts are made ready for Home.
  if (!recovery) void collection.warm()
  if (!values['no-open']) openBrowser(address)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  await shutdownRunner()
  await collection.settled()
  collection.close()
  return 0
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // No browser opener: the printed address is enough.
  }
}
