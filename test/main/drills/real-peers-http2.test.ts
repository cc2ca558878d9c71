// The http2-hpack reference against curl's HTTP/2 (nghttp2, prior knowledge over cleartext): the
// reader decodes what curl sends, on loopback. A missing curl (or one without HTTP/2) skips.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { ConnectionReader, type ConnectionEvent, type HeaderField } from '../../../content/drills/http2-hpack/solution'
import { has, run } from './helpers/run-tool'

const curl = (await has('curl')) && /\bHTTP2\b/.test((await run('curl', ['--version'])).stdout)

describe.skipIf(!curl)('http2-hpack reference against curl --http2-prior-knowledge', () => {
  it("decodes curl's preface, SETTINGS and request headers", async () => {
    const events: ConnectionEvent[] = []
    const errors: unknown[] = []
    const server = net.createServer((socket) => {
      const reader = new ConnectionReader({ headerTableSize: 256 })
      socket.on('error', () => {})
      socket.write(Buffer.from('000006040000000000000100000100', 'hex')) // SETTINGS HEADER_TABLE_SIZE=256
      socket.on('data', (chunk: Buffer) => {
        try {
          events.push(...reader.push(chunk))
        } catch (err) {
          errors.push(err)
          socket.destroy()
        }
        if (events.some((e) => e.type === 'headers')) socket.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as net.AddressInfo
    try {
      await run('curl', [
        '-sS',
        '--http2-prior-knowledge',
        '--max-time',
        '3',
        '-H',
        'X-Drill: hpack',
        '-H',
        'Cookie: session=abc123',
        `http://127.0.0.1:${port}/hello?x=1`
      ])
      expect(errors).toEqual([])
      expect(events[0]).toMatchObject({ type: 'settings', ack: false })
      const headers = events.find((e) => e.type === 'headers')
      expect(headers).toMatchObject({ type: 'headers', streamId: 1, endStream: true })
      const list = (headers as { headers: HeaderField[] }).headers
      expect(list).toEqual(
        expect.arrayContaining([
          [':method', 'GET'],
          [':scheme', 'http'],
          [':authority', `127.0.0.1:${port}`],
          [':path', '/hello?x=1'],
          ['x-drill', 'hpack'],
          ['cookie', 'session=abc123'],
          ['accept', '*/*']
        ])
      )
      expect(list.find(([n]) => n === 'user-agent')?.[1]).toMatch(/^curl\//)
    } finally {
      server.close()
    }
  })
})
