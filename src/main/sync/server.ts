// `retransmit sync-server`: automerge-repo's WebSocket server adapter over a file-system store,
// behind a bearer token. It keeps one index document per collection (which names the edits
// document and every device's log documents) and hands its URL to devices that know the token.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { createServer } from '../node-http'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo'
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket'
import { ClosableStorage } from './closable-storage'
import { ImmutableString } from '@automerge/automerge'
import { WebSocketServer } from 'ws'
import type { IndexDoc } from './documents'

export interface SyncServerOptions {
  port: number
  /** Address to listen on (default 127.0.0.1; 0.0.0.0 to reach it from other machines). */
  host?: string
  dataDir: string
  /** The bearer token devices must present; when absent, the one kept in DATA_DIR/token (made on first start). */
  token?: string
}

export interface SyncServer {
  port: number
  token: string
  indexUrl: string
  close(): Promise<void>
}

/** The largest WebSocket message accepted (bytes): a month of one device's answers fits many times over. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024

function loadToken(dataDir: string, given: string | undefined): string {
  if (given) return given
  const file = join(dataDir, 'token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  // Hex, not base64url: a token that began with '-' would read as an option after `--token`.
  const token = randomBytes(32).toString('hex')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  return token
}

/** The presented token, from `Authorization: Bearer ...` or the WebSocket URL's `token` query. */
function presented(request: IncomingMessage): string {
  const header = request.headers.authorization ?? ''
  if (header.startsWith('Bearer ')) return header.slice(7).trim()
  return new URL(request.url ?? '/', 'http://x').searchParams.get('token') ?? ''
}

function tokenMatches(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(presented(request))
  const wanted = Buffer.from(token)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

async function indexUrlOf(repo: Repo, dataDir: string): Promise<string> {
  const file = join(dataDir, 'collection.json')
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { index: string }).index
  const edits = repo.create({})
  const index = repo.create<IndexDoc>({ edits: new ImmutableString(edits.url) } as IndexDoc)
  await repo.flush()
  // Written after the documents are on disk, and atomically: a crash never leaves an index URL without its document.
  writeFileSync(`${file}.tmp`, JSON.stringify({ index: index.url }) + '\n')
  renameSync(`${file}.tmp`, file)
  return index.url
}

/**
 * The heads of every document the server holds in memory (it loads a document when a device asks
 * for or sends it), by URL: what it has now. A device whose connection stayed open since its last
 * round waits until it has these before it reads a document; the server's announcements of them
 * may still be on their way, and heads it learnt earlier would look current.
 */
function loadedHeads(repo: Repo): Record<string, string[]> {
  const heads: Record<string, string[]> = {}
  for (const handle of Object.values(repo.handles)) if (handle.isReady()) heads[handle.url] = handle.heads()
  return heads
}

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  mkdirSync(options.dataDir, { recursive: true })
  const token = loadToken(options.dataDir, options.token)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  // A server keeps and relays what devices send; it announces nothing of its own.
  const storage = new ClosableStorage(join(options.dataDir, 'repo'))
  const repo = new Repo({
    // isomorphic-ws declares ws's server through its CommonJS typings; it is the same class.
    network: [new WebSocketServerAdapter(wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0])],
    storage,
    sharePolicy: async () => false
  })
  const indexUrl = await indexUrlOf(repo, options.dataDir)
  await repo.find(indexUrl as AutomergeUrl)

  const http = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (!tokenMatches(request, token)) {
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
      response.end(JSON.stringify({ error: 'a valid sync token is required' }))
    } else if (request.method === 'GET' && path === '/collection') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      response.end(JSON.stringify({ index: indexUrl, heads: loadedHeads(repo) }))
    } else {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ error: 'not found' }))
    }
  })
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!tokenMatches(request, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    port,
    token,
    indexUrl,
    async close() {
      for (const client of wss.clients) client.terminate()
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      http.closeAllConnections()
      await closed
      await repo.flush()
      await repo.shutdown()
      await storage.close()
      wss.close()
    }
  }
}
