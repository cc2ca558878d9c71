// HTTP/1.1 request and response heads (RFC 9112 sections 2-5), enough to label a trace.

export interface HttpHead {
  kind: 'request' | 'response'
  /** Request: method; response: empty. */
  method: string
  /** Request: request-target; response: empty. */
  target: string
  version: string
  /** Response: status code; request: 0. */
  status: number
  reason: string
  headers: Array<[name: string, value: string]>
  /** Bytes up to and including the blank line. */
  headLength: number
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']
/** Heads longer than this are not treated as HTTP (bytes; Node's own limit is 16 KiB). */
const MAX_HEAD_BYTES = 16 * 1024

/** True when the bytes start like an HTTP/1.x request line or status line. */
export function looksLikeHttp(bytes: Uint8Array): boolean {
  const start = Buffer.from(bytes.subarray(0, 12)).toString('latin1')
  return start.startsWith('HTTP/1.') || METHODS.some((m) => start.startsWith(`${m} `))
}

/** Parse one head from the front of `bytes`; null while the blank line has not arrived yet. */
export function parseHttpHead(bytes: Uint8Array): HttpHead | null {
  const text = Buffer.from(bytes.subarray(0, MAX_HEAD_BYTES)).toString('latin1')
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return null
  const [first = '', ...rest] = text.slice(0, end).split('\r\n')
  const headers: Array<[string, string]> = []
  for (const line of rest) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  const headLength = end + 4
  if (first.startsWith('HTTP/')) {
    const m = /^(HTTP\/\d\.\d) (\d{3}) ?(.*)$/.exec(first)
    if (!m) return null
    return {
      kind: 'response',
      method: '',
      target: '',
      version: m[1] ?? '',
      status: Number(m[2]),
      reason: m[3] ?? '',
      headers,
      headLength
    }
  }
  const m = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/.exec(first)
  if (!m) return null
  return {
    kind: 'request',
    method: m[1] ?? '',
    target: m[2] ?? '',
    version: m[3] ?? '',
    status: 0,
    reason: '',
    headers,
    headLength
  }
}

export function headerValue(head: HttpHead, name: string): string | undefined {
  const lower = name.toLowerCase()
  return head.headers.find(([n]) => n.toLowerCase() === lower)?.[1]
}

/** True for a request or 101 response that switches the connection to WebSocket frames. */
export function isWebSocketUpgrade(head: HttpHead): boolean {
  const upgrade = headerValue(head, 'upgrade')?.toLowerCase() === 'websocket'
  return head.kind === 'request' ? upgrade : head.status === 101 && upgrade
}

export function headSummary(head: HttpHead): string {
  const host = headerValue(head, 'host')
  const length = headerValue(head, 'content-length')
  const extra = [host ? `Host: ${host}` : '', length ? `Content-Length: ${length}` : ''].filter(Boolean).join(', ')
  const line =
    head.kind === 'request'
      ? `${head.method} ${head.target} ${head.version}`
      : `${head.version} ${head.status} ${head.reason}`
  return extra ? `${line} (${extra})` : line
}
