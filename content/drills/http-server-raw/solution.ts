import net from 'node:net'

export interface ServerOptions {
  /** Most bytes for the request line plus header lines (default 8192). Over it: 431. */
  maxHeaderBytes?: number
  /** Most bytes for a request body (default 65536). Over it: 413. */
  maxBodyBytes?: number
  /** Stretch: a request head must be whole this long after its first byte, ms (default 10000). Late: 408. */
  headersTimeoutMs?: number
}

interface Request {
  method: string
  target: string
  version: string
  headers: Map<string, string[]>
  body: Buffer
}

interface Response {
  status: number
  headers?: Record<string, string>
  body?: Buffer | string
  /** Close the connection after this response. */
  close?: boolean
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported'
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Thrown by the parser: answer with this status and close the connection. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** The application: two resources. */
function route(req: Request): Response {
  if (req.target === '/') {
    if (req.method === 'GET' || req.method === 'HEAD')
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hello\n' }
    return { status: 405, headers: { Allow: 'GET, HEAD' }, body: 'use GET or HEAD\n' }
  }
  if (req.target === '/echo') {
    if (req.method === 'POST')
      return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: req.body }
    return { status: 405, headers: { Allow: 'POST' }, body: 'use POST\n' }
  }
  return { status: 404, body: 'not found\n' }
}

function serialize(res: Response, headOnly: boolean): Buffer {
  const body = typeof res.body === 'string' ? Buffer.from(res.body) : (res.body ?? Buffer.alloc(0))
  const headers: Record<string, string> = {
    ...(res.body !== undefined && !res.headers?.['Content-Type'] ? { 'Content-Type': 'text/plain' } : {}),
    ...res.headers
  }
  headers['Content-Length'] = String(body.length) // every response is framed by its length (RFC 9112 §6.3)
  if (res.close) headers['Connection'] = 'close'
  let head = `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\r\n`
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
  return Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), headOnly ? Buffer.alloc(0) : body])
}

/** Parse the request line and header fields (RFC 9112 §3, §5). */
function parseHead(text: string): Omit<Request, 'body'> {
  const [requestLine = '', ...lines] = text.split('\r\n')
  const parts = requestLine.split(' ')
  if (parts.length !== 3) throw new HttpError(400, 'request line must be: method SP target SP version')
  const [method = '', target = '', version = ''] = parts
  const v = /^HTTP\/(\d)\.(\d)$/.exec(version)
  const path = originForm(target)
  if (!TOKEN.test(method) || !v || path === null) throw new HttpError(400, 'malformed request line')
  if (v[1] !== '1') throw new HttpError(505, `HTTP major version ${v[1]} is not supported`)

  const headers = new Map<string, string[]>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon)
    // No obs-fold, and no whitespace between the name and the colon (RFC 9112 §5.1, §5.2).
    if (colon <= 0 || !TOKEN.test(name)) throw new HttpError(400, `malformed header line ${JSON.stringify(line)}`)
    const value = line.slice(colon + 1).trim()
    const key = name.toLowerCase()
    headers.set(key, [...(headers.get(key) ?? []), value])
  }
  if (version === 'HTTP/1.1' && headers.get('host')?.length !== 1)
    throw new HttpError(400, 'HTTP/1.1 needs exactly one Host header')
  if (!KNOWN_METHODS.has(method)) throw new HttpError(501, `method ${method} is not implemented`)
  return { method, target: path, version, headers }
}

/**
 * The path of an origin-form target (`/a?b`), or of an absolute-form one (`http://host/a?b`),
 * which a server must accept too (RFC 9112 §3.2.2); null for anything else.
 */
function originForm(target: string): string | null {
  if (target.startsWith('/')) return target
  if (!/^http:\/\/[^/?#\s]+/i.test(target)) return null
  try {
    const url = new URL(target)
    return url.pathname + url.search
  } catch {
    return null
  }
}

type BodyPlan = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' }

/** Decide how the body is framed (RFC 9112 §6.1, §6.3). */
function bodyPlan(headers: Map<string, string[]>, maxBody: number): BodyPlan {
  const te = headers.get('transfer-encoding')
  const cl = headers.get('content-length')
  if (te && cl) throw new HttpError(400, 'both Transfer-Encoding and Content-Length')
  if (te) {
    const codings = te
      .join(',')
      .split(',')
      .map((c) => c.trim().toLowerCase())
    if (codings[codings.length - 1] !== 'chunked') throw new HttpError(400, 'chunked must be the final transfer coding')
    if (codings.length !== 1) throw new HttpError(501, `transfer coding ${codings[0]} is not implemented`)
    return { kind: 'chunked' }
  }
  if (cl) {
    const values = new Set(
      cl
        .join(',')
        .split(',')
        .map((s) => s.trim())
    )
    const [only] = values
    if (values.size !== 1 || only === undefined || !/^\d+$/.test(only))
      throw new HttpError(400, 'invalid Content-Length')
    const length = Number(only)
    if (length > maxBody) throw new HttpError(413, 'body too large')
    return length === 0 ? { kind: 'none' } : { kind: 'length', length }
  }
  return { kind: 'none' }
}

/**
 * Try to read a whole chunked body from `buf` (RFC 9112 §7.1). Returns the body and how many bytes
 * it used, or null if more bytes are needed.
 */
function readChunked(buf: Buffer, maxBody: number): { body: Buffer; used: number } | null {
  const parts: Buffer[] = []
  let size = 0
  let at = 0
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at)
    if (lineEnd === -1) {
      if (buf.length - at > 1024) throw new HttpError(400, 'chunk size line too long')
      return null
    }
    const sizeText = buf.subarray(at, lineEnd).toString('latin1').split(';')[0]?.trim() ?? ''
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw new HttpError(400, `bad chunk size ${JSON.stringify(sizeText)}`)
    const chunkSize = parseInt(sizeText, 16)
    at = lineEnd + 2
    if (chunkSize === 0) {
      // Trailer section: field lines until an empty line.
      for (;;) {
        const end = buf.indexOf('\r\n', at)
        if (end === -1) return null
        const empty = end === at
        at = end + 2
        if (empty) return { body: Buffer.concat(parts), used: at }
      }
    }
    size += chunkSize
    if (size > maxBody) throw new HttpError(413, 'body too large')
    if (buf.length < at + chunkSize + 2) return null
    if (buf[at + chunkSize] !== 0x0d || buf[at + chunkSize + 1] !== 0x0a)
      throw new HttpError(400, 'chunk data not followed by CRLF')
    parts.push(buf.subarray(at, at + chunkSize))
    at += chunkSize + 2
  }
}

function serve(socket: net.Socket, maxHeader: number, maxBody: number, headersTimeoutMs: number): void {
  let buffer = Buffer.alloc(0)
  let done = false
  /**
   * Runs while a request head is incomplete. It is not reset by each read: a slowloris client
   * sends a byte every few seconds and would never look idle (RFC 9110 §15.5.9 for the 408).
   */
  let headTimer: NodeJS.Timeout | undefined

  const respond = (res: Response, headOnly = false) => {
    const bytes = serialize(res, headOnly)
    if (res.close) {
      done = true
      socket.end(bytes)
    } else socket.write(bytes)
  }

  /** Whether this request's "100 Continue" went out (RFC 9110 §10.1.1), so it is sent once. */
  let continued = false
  /** Handle every complete request in the buffer, in order; keep the rest for later. */
  const drain = () => {
    while (!done) {
      const headEnd = buffer.indexOf('\r\n\r\n')
      if (headEnd === -1) {
        if (buffer.length > maxHeader) throw new HttpError(431, 'header section too large')
        return
      }
      if (headEnd > maxHeader) throw new HttpError(431, 'header section too large')
      const head = parseHead(buffer.subarray(0, headEnd).toString('latin1'))
      const plan = bodyPlan(head.headers, maxBody)
      const bodyStart = headEnd + 4
      // The client waits for a go-ahead before sending the body: give it one (RFC 9110 §10.1.1).
      const expectContinue =
        head.version === 'HTTP/1.1' && head.headers.get('expect')?.join(',').toLowerCase() === '100-continue'
      if (expectContinue && plan.kind !== 'none' && buffer.length === bodyStart && !continued) {
        continued = true
        socket.write('HTTP/1.1 100 Continue\r\n\r\n')
      }
      let body: Buffer
      let used: number
      if (plan.kind === 'none') {
        body = Buffer.alloc(0)
        used = bodyStart
      } else if (plan.kind === 'length') {
        if (buffer.length < bodyStart + plan.length) return // wait for the rest of the body
        body = buffer.subarray(bodyStart, bodyStart + plan.length)
        used = bodyStart + plan.length
      } else {
        const chunked = readChunked(buffer.subarray(bodyStart), maxBody)
        if (!chunked) return
        body = chunked.body
        used = bodyStart + chunked.used
      }
      buffer = buffer.subarray(used) // leftover bytes are the next pipelined request
      continued = false
      const connection = (head.headers.get('connection') ?? [])
        .join(',')
        .toLowerCase()
        .split(',')
        .map((t) => t.trim())
      const close = connection.includes('close') || head.version === 'HTTP/1.0'
      respond({ ...route({ ...head, body: Buffer.from(body) }), close }, head.method === 'HEAD')
    }
  }

  socket.on('data', (chunk: Buffer) => {
    if (done) return
    buffer = Buffer.concat([buffer, chunk])
    try {
      drain()
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      respond({ status: err.status, body: `${err.message}\n`, close: true })
    }
    const waitingForHead = !done && buffer.length > 0 && buffer.indexOf('\r\n\r\n') === -1
    if (!waitingForHead) {
      clearTimeout(headTimer)
      headTimer = undefined
    } else if (!headTimer) {
      headTimer = setTimeout(() => {
        if (!done) respond({ status: 408, body: 'request head too slow\n', close: true })
      }, headersTimeoutMs)
    }
  })
  socket.on('close', () => clearTimeout(headTimer))
  socket.on('error', () => socket.destroy())
}

export function startHttpServer(options: ServerOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const maxHeader = options.maxHeaderBytes ?? 8192
  const maxBody = options.maxBodyBytes ?? 65536
  const headersTimeoutMs = options.headersTimeoutMs ?? 10000
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serve(socket, maxHeader, maxBody, headersTimeoutMs)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy()
            server.close(() => done())
          })
      })
    })
  })
}
