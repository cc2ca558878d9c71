// Door 2: browser mode. Serves the built renderer and the API on 127.0.0.1 only.
// Every API call needs the per-launch token (compared in constant time); requests whose
// Host is not this server (DNS rebinding) or whose Origin is another site (CSRF) are refused.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from '../node-http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import type { ErrorEnvelope } from '../../shared/errors'
import { findMediaFile, isMediaPath, MEDIA_CONTENT_SECURITY_POLICY } from '../app/media'
import type { Dispatch } from './dispatch'

export const LOOPBACK_HOST = '127.0.0.1'
/** Largest API request body accepted (bytes): a 50 MB import, base64-encoded, fits. */
export const MAX_BODY_BYTES = 72 * 1024 * 1024

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json'
}

export interface HttpServerOptions {
  dispatch: Dispatch
  rendererDir: string
  /** Where imported media is stored (served at /media/<sha256>.<ext>). */
  mediaDir?: string
  /** 0 picks any free port. */
  port: number
  token?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

const ERROR_STATUS: Record<ErrorEnvelope['code'], number> = {
  validation: 400,
  not_found: 404,
  content: 422,
  conflict: 409,
  sandbox: 422,
  storage: 500,
  unauthorized: 401,
  forbidden: 403,
  internal: 500
}

export function createToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken()
  let port = options.port
  const server = createServer((req, res) => {
    handle(req, res, { ...options, token, port }).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, code: 'internal', message: 'request failed' })
      else res.destroy()
    })
  })
  // Slow or idle clients must not hold the server: bounded header and request times (ms).
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK_HOST, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://${LOOPBACK_HOST}:${port}/`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

interface Context extends HttpServerOptions {
  token: string
  port: number
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const allowedHosts = [`${LOOPBACK_HOST}:${ctx.port}`, `localhost:${ctx.port}`]
  if (!allowedHosts.includes(req.headers.host ?? '')) {
    return send(res, 403, { ok: false, code: 'forbidden', message: 'this server only answers to its own address' })
  }
  const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}:${ctx.port}`)
  const path = decodePath(url.pathname)
  if (path === null)
    return send(res, 400, { ok: false, code: 'validation', message: 'the address has a malformed percent-encoding' })
  if (url.pathname.startsWith('/api/')) return handleApi(req, res, path, ctx, allowedHosts)
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, { ok: false, code: 'validation', message: 'method not allowed' })
  }
  if (isMediaPath(path)) return serveMedia(res, ctx.mediaDir, path, req.method === 'HEAD')
  return serveStatic(res, ctx.rendererDir, path, req.method === 'HEAD')
}

/** An imported image, by content address; no token needed, as for the app's own assets. */
function serveMedia(res: ServerResponse, mediaDir: string | undefined, pathname: string, headOnly: boolean): void {
  const media = mediaDir ? findMediaFile(mediaDir, pathname) : null
  if (!media) return send(res, 404, { ok: false, code: 'not_found', message: 'not found' })
  res.writeHead(200, {
    'content-type': media.contentType,
    'content-length': media.sizeBytes,
    'content-security-policy': MEDIA_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, max-age=31536000, immutable'
  })
  if (headOnly) res.end()
  else createReadStream(media.path).pipe(res)
}

async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  ctx: Context,
  allowedHosts: string[]
): Promise<void> {
  const origin = req.headers.origin
  if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`)) {
    return send(res, 403, { ok: false, code: 'forbidden', message: 'cross-origin requests are refused' })
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    return send(res, 403, { ok: false, code: 'forbidden', message: 'cross-site requests are refused' })
  }
  const auth = req.headers.authorization ?? ''
  const given = auth.startsWith('Bearer ') ? auth.slice(7) : ''
  if (!given || !sameSecret(given, ctx.token)) {
    return send(res, 401, { ok: false, code: 'unauthorized', message: 'a valid token is required' })
  }
  if (req.method !== 'POST') return send(res, 405, { ok: false, code: 'validation', message: 'API calls are POST' })
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return send(res, 415, { ok: false, code: 'validation', message: 'API calls send application/json' })
  }
  const body = await readBody(req)
  if (body === null)
    return send(res, 413, { ok: false, code: 'validation', message: `request body over ${MAX_BODY_BYTES} bytes` })
  let input: unknown
  try {
    input = body.length === 0 ? {} : JSON.parse(body)
  } catch {
    return send(res, 400, { ok: false, code: 'validation', message: 'request body is not valid JSON' })
  }
  const method = path.slice('/api/'.length)
  const result = await ctx.dispatch(method, input)
  send(res, result.ok ? 200 : ERROR_STATUS[result.code], result)
}

/** The decoded path, or null when its percent-encoding is malformed (`%zz`, a cut-off `%e2%82`). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        resolve(null)
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff'
  })
  res.end(json)
}

/** Serves a file of the renderer folder; `path` is already decoded. */
function serveStatic(res: ServerResponse, root: string, path: string, headOnly: boolean): void {
  const relative = path === '/' ? 'index.html' : path.replace(/^\/+/, '')
  const file = normalize(join(root, relative))
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep))
    return send(res, 404, { ok: false, code: 'not_found', message: 'not found' })
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new Error('not a file')
    size = stat.size
  } catch {
    return send(res, 404, { ok: false, code: 'not_found', message: 'not found' })
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': file.endsWith('.html') ? 'no-store' : 'max-age=3600'
  })
  if (headOnly) return void res.end()
  createReadStream(file).pipe(res)
}
