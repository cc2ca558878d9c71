// Parsers on bytes captured from real loopback traffic (test/fixtures/drills/capture-fixtures.ts).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { looksLikeTls, parseTlsRecords } from '../../../src/main/drills/parsers/tls-records'
import {
  headerValue,
  isWebSocketUpgrade,
  looksLikeHttp,
  parseHttpHead
} from '../../../src/main/drills/parsers/http-head'
import { frameSummary, parseWsFrame } from '../../../src/main/drills/parsers/ws-frames'
import {
  DnsParseError,
  dnsSummary,
  parseDnsMessage,
  tryParseDnsMessage
} from '../../../src/main/drills/parsers/dns-message'
import { StreamAnalyzer } from '../../../src/main/drills/sandbox/stream-analyzer'

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/drills/${name}`, import.meta.url)))

describe('tls-records', () => {
  const up = fixture('tls13-client-to-server.bin')
  const down = fixture('tls13-server-to-client.bin')

  it('reads the ClientHello: SNI, offered versions, suites, key-share groups', () => {
    expect(looksLikeTls(up)).toBe(true)
    const { records, consumed } = parseTlsRecords(up)
    expect(consumed).toBe(up.length)
    const hello = records[0]?.hello
    expect(records[0]?.typeName).toBe('Handshake')
    expect(hello?.type).toBe('ClientHello')
    expect(hello?.sni).toBe('localhost')
    expect(hello?.versions).toContain('TLS1.3')
    expect(hello?.cipherSuites).toContain('TLS_AES_128_GCM_SHA256')
    expect(hello?.keyShareGroups).toContain('x25519')
    expect(records[0]?.summary).toMatch(/^ClientHello SNI=localhost versions=TLS1\.3/)
    // After the hello: the compatibility CCS, then only encrypted records.
    expect(records.slice(1).map((r) => r.typeName)).toEqual(
      expect.arrayContaining(['ChangeCipherSpec', 'ApplicationData'])
    )
    expect(records.slice(2).every((r) => r.typeName === 'ApplicationData')).toBe(true)
  })

  it('reads the ServerHello: the chosen version, suite and group', () => {
    const { records } = parseTlsRecords(down)
    const hello = records[0]?.hello
    expect(hello?.type).toBe('ServerHello')
    expect(hello?.versions).toEqual(['TLS1.3'])
    expect(hello?.cipherSuites[0]).toMatch(/^TLS_(AES|CHACHA20)/)
    expect(hello?.keyShareGroups).toHaveLength(1)
    expect(records[0]?.summary).toMatch(/^ServerHello version=TLS1\.3 cipher=TLS_/)
  })

  it('keeps a record that is cut short for the next chunk', () => {
    const cut = up.subarray(0, 100)
    const { records, consumed } = parseTlsRecords(cut)
    expect(records).toEqual([])
    expect(consumed).toBe(0)
  })
})

describe('http-head', () => {
  it('parses a captured request head', () => {
    const bytes = fixture('http-request.bin')
    expect(looksLikeHttp(bytes)).toBe(true)
    const head = parseHttpHead(bytes)
    expect(head).toMatchObject({
      kind: 'request',
      method: 'GET',
      target: '/index.html',
      version: 'HTTP/1.1',
      headLength: bytes.length
    })
    expect(head && headerValue(head, 'HOST')).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  it('parses a captured response head and leaves the body', () => {
    const bytes = fixture('http-response.bin')
    const head = parseHttpHead(bytes)
    expect(head).toMatchObject({ kind: 'response', status: 200, reason: 'OK' })
    expect(head && headerValue(head, 'content-length')).toBe('10')
    expect(bytes.subarray(head?.headLength).toString()).toBe('hello http')
  })

  it('waits for the blank line', () => {
    expect(parseHttpHead(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'))).toBeNull()
    expect(looksLikeHttp(Buffer.from([0x16, 3, 1]))).toBe(false)
  })
})

describe('ws-frames', () => {
  it('finds the upgrade, then a masked client frame', () => {
    const bytes = fixture('ws-client-to-server.bin')
    const head = parseHttpHead(bytes)
    expect(head && isWebSocketUpgrade(head)).toBe(true)
    const frame = parseWsFrame(bytes.subarray(head?.headLength))
    expect(frame).toMatchObject({ fin: true, opcodeName: 'text', masked: true, payloadLength: 4 })
    expect(frame?.payload.toString()).toBe('ping')
    expect(frame && frameSummary(frame)).toBe('text FIN masked 4 bytes "ping"')
  })

  it('reads the server frames after the 101', () => {
    const bytes = fixture('ws-server-to-client.bin')
    const head = parseHttpHead(bytes)
    expect(head?.status).toBe(101)
    let rest = bytes.subarray(head?.headLength)
    const frames = []
    for (let f = parseWsFrame(rest); f; f = parseWsFrame(rest)) {
      frames.push(f)
      rest = rest.subarray(f.frameLength)
    }
    expect(frames.map(frameSummary)).toEqual(['text FIN 5 bytes "hi ws"', 'close FIN 2 bytes code=1000'])
  })

  it('waits for a frame that has not fully arrived', () => {
    expect(parseWsFrame(Buffer.from([0x81, 5, 0x68]))).toBeNull()
    expect(parseWsFrame(Buffer.from([0x82, 126, 0]))).toBeNull()
  })
})

describe('dns-message', () => {
  it('parses the query c-ares sent', () => {
    const q = parseDnsMessage(fixture('dns-query.bin'))
    expect(q.isResponse).toBe(false)
    expect(q.flags.rd).toBe(true)
    expect(q.questions).toEqual([{ name: 'drill.test', type: 'A', class: 1 }])
    expect(dnsSummary(q)).toBe(`query id=${q.id} drill.test A`)
  })

  it('parses the answer c-ares accepted, following the name pointer', () => {
    const a = parseDnsMessage(fixture('dns-answer.bin'))
    expect(a.isResponse).toBe(true)
    expect(a.rcode).toBe('NOERROR')
    expect(a.answers).toEqual([{ name: 'drill.test', type: 'A', class: 1, ttl: 3600, data: '127.0.0.42' }])
  })

  it('rejects truncated messages and pointer loops instead of spinning', () => {
    expect(() => parseDnsMessage(fixture('dns-query.bin').subarray(0, 20))).toThrow(DnsParseError)
    const loop = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1])
    expect(() => parseDnsMessage(loop)).toThrow(/does not point backwards/)
    expect(tryParseDnsMessage(Buffer.from('hello, not dns'))).toBeNull()
  })
})

describe('stream-analyzer', () => {
  it('labels TLS records fed one byte at a time', () => {
    const analyzer = new StreamAnalyzer()
    const labels = [...fixture('tls13-client-to-server.bin')].flatMap((b) => analyzer.push(Buffer.from([b])))
    expect(labels[0]).toEqual({ kind: 'tls-record', summary: expect.stringMatching(/^ClientHello SNI=localhost/) })
    expect(labels.length).toBeGreaterThan(2)
  })

  it('labels an HTTP response and skips its body', () => {
    const analyzer = new StreamAnalyzer()
    const bytes = fixture('http-response.bin')
    const labels = [...analyzer.push(bytes.subarray(0, 30)), ...analyzer.push(bytes.subarray(30))]
    expect(labels).toEqual([{ kind: 'http-response', summary: expect.stringMatching(/^HTTP\/1\.1 200 OK/) }])
  })

  it('switches to WebSocket frames after an upgrade', () => {
    const analyzer = new StreamAnalyzer()
    const labels = analyzer.push(fixture('ws-server-to-client.bin'))
    expect(labels.map((l) => l.kind)).toEqual(['ws-upgrade', 'ws-frame', 'ws-frame'])
  })

  it('leaves other bytes alone', () => {
    const analyzer = new StreamAnalyzer()
    expect(analyzer.push(Buffer.from([0, 0, 0, 4, 1, 2, 3, 4]))).toEqual([])
    expect(analyzer.push(fixture('http-request.bin'))).toEqual([])
  })
})
