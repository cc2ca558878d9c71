// HTTP/2 in the trace: both directions of a real exchange between Node's http2 client and server
// (nghttp2 on both ends), captured by a TCP relay and read by the trace's stream analyzer; and the
// http2-hpack drill's own run, whose trace labels each frame Node's client sent.
import http2 from 'node:http2'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { StreamAnalyzer } from '../../../src/main/drills/sandbox/stream-analyzer'
import { loadDrills } from '../../../src/main/content/load-drills'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'

afterAll(() => shutdownRunner())

/** One GET through a relay that keeps every byte in each direction. */
async function capture(): Promise<{ up: Buffer; down: Buffer }> {
  const up: Buffer[] = []
  const down: Buffer[] = []
  const server = http2.createServer((req, res) => res.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const relay = net.createServer((client) => {
    const upstream = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
    client.on('data', (d: Buffer) => (up.push(d), upstream.write(d)))
    upstream.on('data', (d: Buffer) => (down.push(d), client.write(d)))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.on('error', () => {})
    upstream.on('error', () => {})
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  const session = http2.connect(`http://127.0.0.1:${(relay.address() as net.AddressInfo).port}`)
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':path': '/hello', 'x-trace': 'yes' })
      let text = ''
      req.setEncoding('utf8')
      req.on('data', (d: string) => (text += d))
      req.on('end', () => resolve(text))
      req.on('error', reject)
      req.end()
    })
    expect(body).toBe('ok')
  } finally {
    await new Promise<void>((resolve) => session.close(() => resolve()))
    relay.close()
    server.close()
  }
  return { up: Buffer.concat(up), down: Buffer.concat(down) }
}

const labels = (bytes: Buffer, chunk: number) => {
  const analyzer = new StreamAnalyzer()
  const out = []
  for (let i = 0; i < bytes.length; i += chunk) out.push(...analyzer.push(bytes.subarray(i, i + chunk)))
  return out
}

describe('HTTP/2 frames in the trace', () => {
  it("labels the client's preface and frames and the server's, whatever the chunking", async () => {
    const { up, down } = await capture()
    for (const chunk of [1, 7, 4096]) {
      const client = labels(up, chunk)
      expect(client.every((l) => l.kind === 'http-h2-frame')).toBe(true)
      expect(client[0]?.summary).toMatch(/^HTTP\/2 client connection preface/)
      expect(client[1]?.summary).toMatch(/^HTTP\/2 SETTINGS stream 0/)
      expect(client.map((l) => l.summary)).toContainEqual(
        expect.stringMatching(/^HTTP\/2 HEADERS stream 1 \[END_STREAM END_HEADERS\]: \d+-octet header block$/)
      )
      expect(client.map((l) => l.summary)).toContainEqual('HTTP/2 SETTINGS stream 0 [ACK]')
      const server = labels(down, chunk).map((l) => l.summary)
      expect(server[0]).toMatch(/^HTTP\/2 SETTINGS stream 0/)
      expect(server).toContainEqual(expect.stringMatching(/^HTTP\/2 HEADERS stream 1 \[END_HEADERS\]/))
      expect(server).toContainEqual(expect.stringMatching(/^HTTP\/2 DATA stream 1( \[END_STREAM\])?: 2 octets$/))
    }
  })

  it('an HTTP/1.1 request and other bytes are not taken for HTTP/2', () => {
    expect(labels(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 1000).map((l) => l.kind)).toEqual(['http-request'])
    expect(labels(Buffer.from('PRIX'), 1)).toEqual([])
    expect(labels(Buffer.from([0, 0, 0, 5, 1, 2, 3, 4, 5, 6]), 1)).toEqual([])
  })

  it("the http2-hpack drill's trace shows the frames Node's client sent to the learner's reader", async () => {
    const contentDir = fileURLToPath(new URL('../../../content', import.meta.url))
    const drill = loadDrills(contentDir).drills.find((d) => d.id === 'http2-hpack')!
    const result = await runDrill({ drill, code: drill.solution, mode: 'submit' })
    expect(result.status).toBe('pass')
    const frames = result.trace.filter((e) => e.kind === 'http-h2-frame').map((e) => e.summary)
    expect(frames[0]).toMatch(/^HTTP\/2 client connection preface/)
    expect(frames).toContainEqual(
      expect.stringMatching(/^HTTP\/2 HEADERS stream 7 \[END_STREAM\]: 16384-octet header block \(continued\)$/)
    )
    expect(frames).toContainEqual(expect.stringMatching(/^HTTP\/2 CONTINUATION stream 7 \[END_HEADERS\]/))
    expect(frames).toContainEqual('HTTP/2 SETTINGS stream 0 [ACK]')
    expect(frames).toContainEqual(expect.stringMatching(/^HTTP\/2 HEADERS stream 9 \[END_STREAM END_HEADERS\]/))
  }, 60_000)
})
