import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'retransmit:test'
import { startHttpServer } from './solution'

interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  localPort: number
}

/** One request with node:http; `chunks` are written one by one (no Content-Length means chunked). */
function request(
  port: number,
  options: {
    method?: string
    path?: string
    headers?: Record<string, string>
    chunks?: string[]
    agent?: http.Agent | false
  } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers ?? {},
        agent: options.agent ?? false
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, localPort: res.socket?.localPort ?? 0 })
        )
      }
    )
    req.setTimeout(2500, () =>
      req.destroy(
        new Error(
          `no complete response to ${options.method ?? 'GET'} ${options.path ?? '/'} within 2.5 s: does every response have a Content-Length and the exact number of body bytes?`
        )
      )
    )
    req.on('error', reject)
    for (const c of options.chunks ?? []) req.write(c)
    req.end()
  })
}

test(
  'GET / answers 200 "hello\\n" with a Content-Length',
  async () => {
    const server = await startHttpServer()
    try {
      const r = await request(server.port)
      assert.equal(r.status, 200, `GET / should be 200, got ${r.status}`)
      assert.equal(r.body, 'hello\n', `GET / should return "hello\\n", got ${JSON.stringify(r.body)}`)
      assert.equal(
        r.headers['content-length'],
        '6',
        `the response needs "Content-Length: 6" so the client knows where the body ends, got ${JSON.stringify(r.headers['content-length'])}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'POST /echo returns a Content-Length body',
  async () => {
    const server = await startHttpServer()
    try {
      const payload = 'framed by Content-Length, nothing more'
      const r = await request(server.port, {
        method: 'POST',
        path: '/echo',
        headers: { 'Content-Length': String(Buffer.byteLength(payload)) },
        chunks: [payload]
      })
      assert.equal(r.status, 200, `POST /echo should be 200, got ${r.status}`)
      assert.equal(
        r.body,
        payload,
        `POST /echo should return the request body, got ${JSON.stringify(r.body)}: read exactly Content-Length bytes after the blank line`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'POST /echo decodes a chunked body',
  async () => {
    const server = await startHttpServer()
    try {
      const chunks = ['first chunk, ', 'second, ', 'and a third']
      const r = await request(server.port, { method: 'POST', path: '/echo', chunks })
      assert.equal(r.status, 200, `a chunked POST /echo should be 200, got ${r.status}`)
      assert.equal(
        r.body,
        chunks.join(''),
        `node:http sent the body with Transfer-Encoding: chunked (3 chunks); the echo should be the decoded body ${JSON.stringify(chunks.join(''))}, got ${JSON.stringify(r.body)}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'unknown paths get 404; wrong methods get 405 with Allow',
  async () => {
    const server = await startHttpServer()
    try {
      const missing = await request(server.port, { path: '/nope' })
      assert.equal(missing.status, 404, `GET /nope should be 404, got ${missing.status}`)
      const getEcho = await request(server.port, { path: '/echo' })
      assert.equal(getEcho.status, 405, `GET /echo should be 405 (only POST is allowed there), got ${getEcho.status}`)
      assert.equal(
        getEcho.headers['allow'],
        'POST',
        `a 405 must list the allowed methods in Allow (RFC 9110 §15.5.6); expected "POST", got ${JSON.stringify(getEcho.headers['allow'])}`
      )
      const postRoot = await request(server.port, { method: 'POST', path: '/', headers: { 'Content-Length': '0' } })
      assert.equal(postRoot.status, 405, `POST / should be 405, got ${postRoot.status}`)
      assert.equal(
        postRoot.headers['allow'],
        'GET, HEAD',
        `Allow for / should be "GET, HEAD", got ${JSON.stringify(postRoot.headers['allow'])}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'keep-alive: several requests share one connection',
  async () => {
    const server = await startHttpServer()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const ports: number[] = []
      for (let i = 0; i < 3; i++) {
        const r = await request(server.port, {
          agent,
          method: 'POST',
          path: '/echo',
          headers: { 'Content-Length': '1' },
          chunks: [String(i)]
        })
        assert.equal(
          r.body,
          String(i),
          `request ${i + 1} on the kept-alive connection should echo "${i}", got ${JSON.stringify(r.body)}`
        )
        ports.push(r.localPort)
      }
      assert.equal(
        new Set(ports).size,
        1,
        `3 requests used ${new Set(ports).size} connections: HTTP/1.1 connections are persistent by default (RFC 9112 §9.3), so keep reading the next request instead of closing`
      )
    } finally {
      agent.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)
