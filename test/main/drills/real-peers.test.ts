// The reference solutions against real peers nobody here wrote: curl for the HTTP server,
// OpenSSL's s_client and s_server for TLS, dig and kdig for DNS. They run on the host (the
// solutions only use Node built-ins), on loopback. .ci/run installs dnsutils and knot-dnsutils;
// curl and openssl come with the machine. A missing tool skips its test with the reason.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterAll, describe, expect, it } from 'vitest'
import { startHttpServer } from '../../../content/drills/http-server-raw/solution'
import { connectTls, startTlsEchoServer } from '../../../content/drills/tls-echo/solution'
import { startDnsServer } from '../../../content/drills/dns-server/solution'
import { startSniRouter } from '../../../content/drills/sni-router/solution'
import { createTestCertificates } from '../../../src/main/drills/sandbox/certificates'
import { has, run } from './helpers/run-tool'

const [curl, openssl, dig, kdig] = await Promise.all(['curl', 'openssl', 'dig', 'kdig'].map(has))

const dir = mkdtempSync(join(tmpdir(), 'retransmit-peers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!curl)('http-server-raw reference against curl', () => {
  it('GET, HEAD, a chunked POST, a 100-continue POST and keep-alive reuse', async () => {
    const server = await startHttpServer()
    const url = `http://127.0.0.1:${server.port}`
    try {
      const get = await run('curl', ['-sS', '--http1.1', `${url}/`])
      expect(get.stdout).toBe('hello\n')
      const head = await run('curl', ['-sS', '--http1.1', '-I', `${url}/`])
      expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
      expect(head.stdout).toMatch(/\r\nContent-Length: 6\r\n/i)
      const chunked = await run(
        'curl',
        ['-sS', '--http1.1', '-H', 'Transfer-Encoding: chunked', '--data-binary', '@-', `${url}/echo`],
        'streamed through curl'
      )
      expect(chunked.stdout).toBe('streamed through curl')
      // curl waits --expect100-timeout seconds for "100 Continue": 20 s here, longer than this
      // command may run, so only a server that sends it gets the echo back in time.
      const body = 'x'.repeat(2000)
      const expect100 = await run(
        'curl',
        [
          '-sS',
          '--http1.1',
          '-H',
          'Expect: 100-continue',
          '--expect100-timeout',
          '20',
          '--data-binary',
          '@-',
          `${url}/echo`
        ],
        body,
        6000
      )
      expect(expect100.stdout).toBe(body)
      const reuse = await run('curl', ['-sS', '-v', '--http1.1', `${url}/`, `${url}/missing`])
      expect(reuse.stderr).toMatch(/Re-using existing connection|Reusing existing/)
      expect(reuse.stdout).toBe('hello\nnot found\n')
    } finally {
      await server.close()
    }
  })
})

describe.skipIf(!openssl)('tls-echo reference against OpenSSL', () => {
  it('s_client with TLS 1.3, the CA and SNI gets the echo; a TLS 1.2-only s_client is refused', async () => {
    const certs = await createTestCertificates()
    writeFileSync(join(dir, 'ca.pem'), certs.ca)
    const server = await startTlsEchoServer(certs)
    const port = (server.address() as net.AddressInfo).port
    try {
      const ok = await run(
        'openssl',
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-tls1_3',
          '-CAfile',
          join(dir, 'ca.pem'),
          '-servername',
          'localhost',
          '-verify_return_error',
          '-quiet'
        ],
        'echo through openssl\n',
        8000,
        'echo through openssl'
      )
      expect(ok.stdout).toContain('echo through openssl')
      const old = await run(
        'openssl',
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-tls1_2',
          '-CAfile',
          join(dir, 'ca.pem'),
          '-servername',
          'localhost',
          '-verify_return_error',
          '-quiet'
        ],
        'should not get through\n'
      )
      expect(old.code).not.toBe(0)
      expect(old.stdout).not.toContain('should not get through')
    } finally {
      server.close()
    }
  })

  it('connectTls refuses OpenSSL s_server limited to TLS 1.2 and accepts it at TLS 1.3', async () => {
    const certs = await createTestCertificates()
    writeFileSync(join(dir, 'cert.pem'), certs.cert)
    writeFileSync(join(dir, 'key.pem'), certs.key)
    for (const [version, expected] of [
      ['-tls1_2', 'refused'],
      ['-tls1_3', 'connected']
    ] as const) {
      const port = await freePort()
      const server = spawn(
        'openssl',
        [
          's_server',
          '-accept',
          `127.0.0.1:${port}`,
          '-cert',
          join(dir, 'cert.pem'),
          '-key',
          join(dir, 'key.pem'),
          version,
          '-quiet'
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] }
      )
      try {
        await waitForListening(port)
        const outcome = await connectTls({ port, ca: certs.ca, servername: 'localhost' }).then(
          (socket) => (socket.destroy(), 'connected'),
          () => 'refused'
        )
        expect(outcome, `s_server ${version}`).toBe(expected)
      } finally {
        server.kill()
      }
    }
  })
})

describe.skipIf(!openssl)('sni-router reference between OpenSSL clients and servers', () => {
  it('s_client -servername reaches the s_server or Node backend for its name; unknown and missing names get the unrecognized_name alert', async () => {
    const certsA = await createTestCertificates({ commonName: 'a.test', altNames: ['a.test'] })
    const certsB = await createTestCertificates({ commonName: 'b.test', altNames: ['b.test'] })
    writeFileSync(join(dir, 'a-cert.pem'), certsA.cert)
    writeFileSync(join(dir, 'a-key.pem'), certsA.key)
    writeFileSync(join(dir, 'a-ca.pem'), certsA.ca)
    writeFileSync(join(dir, 'b-ca.pem'), certsB.ca)
    // Backend a is OpenSSL's s_server (-rev sends each line back reversed); backend b is a Node
    // TLS server that names itself. The router between them holds no key.
    const portA = await freePort()
    const serverA = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        `127.0.0.1:${portA}`,
        '-cert',
        join(dir, 'a-cert.pem'),
        '-key',
        join(dir, 'a-key.pem'),
        '-rev',
        '-quiet'
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] }
    )
    const serverB = tls.createServer({ key: certsB.key, cert: certsB.cert }, (s) => s.end('I am b\n'))
    await new Promise<void>((resolve) => serverB.listen(0, '127.0.0.1', resolve))
    const router = await startSniRouter({
      routes: { 'a.test': portA, 'B.TEST': (serverB.address() as net.AddressInfo).port }
    })
    const via = `127.0.0.1:${(router.address() as net.AddressInfo).port}`
    const client = (name: string[], ca: string, input: string, until?: string) =>
      run(
        'openssl',
        ['s_client', '-connect', via, ...name, '-CAfile', join(dir, ca), '-verify_return_error', '-quiet'],
        input,
        8000,
        until
      )
    try {
      await waitForListening(portA)
      const a = await client(['-servername', 'a.test'], 'a-ca.pem', 'through the router\n', 'retuor eht hguorht')
      expect(a.stdout).toContain('retuor eht hguorht')
      const b = await client(['-servername', 'b.test'], 'b-ca.pem', '', 'I am b')
      expect(b.stdout).toContain('I am b')
      // The wrong CA for the name's backend: only the backend that holds b.test's key passes.
      const crossed = await client(['-servername', 'b.test'], 'a-ca.pem', '')
      expect(crossed.code).not.toBe(0)
      const unknown = await client(['-servername', 'c.test'], 'a-ca.pem', 'never\n')
      expect(unknown.code).not.toBe(0)
      expect(unknown.stderr).toMatch(/unrecognized name|alert number 112/i)
      const none = await client(['-noservername'], 'a-ca.pem', 'never\n')
      expect(none.stderr).toMatch(/unrecognized name|alert number 112/i)
    } finally {
      router.close()
      serverB.close()
      serverA.kill()
    }
  })
})

describe.skipIf(!dig || !kdig)('dns-server reference against dig and kdig', () => {
  it('answers A queries with AA, every record and the TTL; NXDOMAIN for unknown names', async () => {
    const server = await startDnsServer({ 'www.example.test': { addresses: ['192.0.2.1', '192.0.2.2'], ttl: 60 } })
    try {
      const once = { dig: ['+tries=1', '+time=2'], kdig: ['+retry=0', '+timeout=2'] }
      for (const tool of ['dig', 'kdig'] as const) {
        const a = await run(tool, ['@127.0.0.1', '-p', String(server.port), 'www.example.test', 'A', ...once[tool]])
        expect(a.stdout, tool).toMatch(/status: NOERROR/)
        expect(a.stdout, tool).toMatch(/flags:[^;]*\baa\b/i)
        expect(a.stdout, tool).toMatch(/www\.example\.test\.\s+60\s+IN\s+A\s+192\.0\.2\.1/)
        expect(a.stdout, tool).toMatch(/www\.example\.test\.\s+60\s+IN\s+A\s+192\.0\.2\.2/)
        const nx = await run(tool, ['@127.0.0.1', '-p', String(server.port), 'nope.example.test', 'A', ...once[tool]])
        expect(nx.stdout, tool).toMatch(/status: NXDOMAIN/)
      }
    } finally {
      await server.close()
    }
  })
})

/** A port nothing listens on right now (bound, read, released). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** Resolves once a TCP connect to the port succeeds (s_server takes a moment to start). */
async function waitForListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tls
        .connect({ host: '127.0.0.1', port, rejectUnauthorized: false })
        .once('secureConnect', () => (s.destroy(), resolve(true)))
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nothing listened on ${port}`)
}
