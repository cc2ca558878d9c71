import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { sameSecret, startHttpServer, type RunningServer } from '../../../src/main/doors/http-server'
import { testCollection } from '../../helpers/collection'
import { tempDir, writeTree } from '../../helpers/temp'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so tests can send any Host and Origin (fetch would not let us). */
function send(
  server: RunningServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })
        )
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('browser-mode HTTP server', () => {
  let server: RunningServer
  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    send(server, `/api/${method}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers }
    })

  beforeAll(async () => {
    const rendererDir = tempDir('retransmit-renderer-')
    writeTree(rendererDir, {
      'index.html': '<!doctype html><title>Retransmit</title>',
      'assets/app.js': 'console.log(1)'
    })
    server = await startHttpServer({ dispatch: createDispatch(testCollection().handlers), rendererDir, port: 0 })
  })
  afterAll(() => server.close())

  it('listens on 127.0.0.1 only', () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' })
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
  })

  it('answers an API call that carries the token', async () => {
    const reply = await api('listDecks', {})
    expect(reply.status).toBe(200)
    const body = JSON.parse(reply.body)
    expect(body.ok).toBe(true)
    expect(body.value.map((d: { id: string }) => d.id)).toEqual(['alpha', 'beta'])
  })

  it('refuses an API call without the token or with a wrong one (401)', async () => {
    const none = await send(server, '/api/listDecks', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' }
    })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, code: 'unauthorized' })
    expect((await api('listDecks', {}, { authorization: `Bearer ${server.token}x` })).status).toBe(401)
    expect((await api('listDecks', {}, { authorization: server.token })).status).toBe(401)
  })

  it('refuses a foreign Host header, as in DNS rebinding (403)', async () => {
    const reply = await api('listDecks', {}, { host: `evil.example:${server.port}` })
    expect(reply.status).toBe(403)
    expect((await send(server, '/', { headers: { host: 'evil.example' } })).status).toBe(403)
  })

  it('refuses another site as Origin, as in CSRF (403), and accepts its own', async () => {
    expect((await api('listDecks', {}, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await api('listDecks', {}, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403)
    expect((await api('listDecks', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await api('listDecks', {}, { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200)
  })

  it('refuses non-JSON bodies, unknown methods and invalid input with typed errors', async () => {
    const form = await send(server, '/api/listDecks', {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${server.token}` }
    })
    expect(form.status).toBe(415)
    const unknown = await api('dropEverything', {})
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, code: 'not_found' })
    const invalid = await api('search', { query: 42 })
    expect(invalid.status).toBe(400)
    expect(JSON.parse(invalid.body)).toMatchObject({
      ok: false,
      code: 'validation',
      message: expect.stringContaining('query')
    })
    const extra = await api('listDecks', { sneaky: true })
    expect(extra.status).toBe(400)
    const huge = await api('search', { query: 'x'.repeat(600) })
    expect(huge.status).toBe(400)
  })

  it('serves the app with a strict Content-Security-Policy', async () => {
    const page = await send(server, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Retransmit</title>')
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect((await send(server, '/assets/app.js')).headers['content-type']).toMatch(/javascript/)
  })

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const reply = await send(server, path)
      expect(reply.status).toBe(404)
      expect(reply.body).not.toContain('root:')
    }
  })

  it('answers 400, not 500, to a malformed percent-encoding in the address (issue 15)', async () => {
    for (const path of ['/%zz', '/assets/%e2%82', '/%', '/api/%E0%A4%A']) {
      const reply = await send(
        server,
        path,
        path.startsWith('/api/')
          ? {
              method: 'POST',
              body: '{}',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }
            }
          : {}
      )
      expect(reply.status, path).toBe(400)
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, code: 'validation' })
    }
    // A well-formed encoding still decodes (%61 is "a").
    expect((await send(server, '/%61ssets/app.js')).status).toBe(200)
  })

  it('compares secrets in full', () => {
    expect(sameSecret('abc', 'abc')).toBe(true)
    expect(sameSecret('abc', 'abd')).toBe(false)
    expect(sameSecret('', 'abc')).toBe(false)
  })
})
