// The synthesized framing checked by tshark on a small hand-made trace: IPv6 and IPv4, TCP with
// its handshake, data both ways and FINs, a UDP datagram; checksums verified, seq/ack consistent.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../../../src/main/drills/types'
import type { RunCapture } from '../../../../src/main/drills/capture'
import { traceToPcapng } from '../../../../src/main/drills/pcap/trace-pcapng'
import { parseEndpoint } from '../../../../src/main/drills/pcap/frames'
import { tempDir } from '../../../helpers/temp'

const tshark = await new Promise<boolean>((resolve) =>
  execFile('sh', ['-c', 'command -v tshark'], (err) => resolve(!err))
)

const C = '[::1]:40000'
const S = '[::1]:7'
const big = Buffer.alloc(40_000, 0x61)
const ev = (kind: TraceEvent['kind'], from: string, to: string, payload?: Buffer, conn = 1): TraceEvent => ({
  tMs: 1,
  from,
  to,
  kind,
  summary: kind,
  conn,
  ...(payload ? { bytes: payload.length, payloadBase64: payload.subarray(0, 256).toString('base64') } : {})
})

describe('pcapng framing', () => {
  it('reads IPv4 and IPv6 endpoints as the trace writes them', () => {
    expect(parseEndpoint('127.0.0.1:80')).toEqual({ ip: Buffer.from([127, 0, 0, 1]), port: 80 })
    expect(parseEndpoint('[::1]:443')?.ip.toString('hex')).toBe('00000000000000000000000000000001')
    expect(parseEndpoint('[fe80::1:2]:1')?.ip.toString('hex')).toBe('fe800000000000000000000000010002')
    expect(parseEndpoint('resolver')).toBeNull()
    expect(parseEndpoint('127.0.0.1:70000')).toBeNull()
  })

  it.skipIf(!tshark)('gives tshark valid checksums and consistent sequence numbers', async () => {
    const data = ev('tcp-data', S, C, big)
    const udp: TraceEvent = {
      tMs: 2,
      from: '127.0.0.1:5353',
      to: '127.0.0.1:53',
      kind: 'udp-datagram',
      summary: 'udp',
      bytes: 3,
      payloadBase64: Buffer.from('abc').toString('base64')
    }
    const trace: TraceEvent[] = [
      ev('tcp-connect', C, S),
      ev('tcp-accept', C, S),
      ev('tcp-data', C, S, Buffer.from('hello')),
      data,
      ev('tcp-fin', C, S),
      ev('tcp-fin', S, C),
      ev('tcp-fin', S, C),
      udp
    ]
    const capture: RunCapture = {
      startedAtMs: Date.UTC(2026, 0, 1),
      wire: new Map([[data, big]]),
      keyLog: [],
      cut: false
    }
    const exported = traceToPcapng(trace, capture)
    // SYN, SYN-ACK, ACK, "hello", 40,000 bytes in three segments, two FINs (the repeated one dropped), the datagram.
    expect(exported.packets).toBe(10)
    const file = join(tempDir(), 'frames.pcapng')
    writeFileSync(file, exported.file)
    const checks = ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE']
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'tshark',
        [
          '-r',
          file,
          ...checks,
          '-T',
          'fields',
          '-E',
          'separator=|',
          '-e',
          'ipv6.src',
          '-e',
          'ip.src',
          '-e',
          'tcp.flags.str',
          '-e',
          'tcp.seq',
          '-e',
          'tcp.ack',
          '-e',
          'tcp.len',
          '-e',
          'tcp.checksum.status',
          '-e',
          'udp.checksum.status',
          '-e',
          'ip.checksum.status',
          '-e',
          'tcp.analysis.flags'
        ],
        (err, stdout) => (err ? reject(err) : resolve(stdout))
      )
    )
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split('|'))
    expect(rows.map((r) => r[0])).toEqual([...Array(9).fill('::1'), ''])
    expect(rows[9]?.[1]).toBe('127.0.0.1')
    // Relative sequence numbers: the client's data starts at 1, the server's 40,000 bytes at 1, the FINs after them.
    expect(rows.map((r) => [r[3], r[4], r[5]])).toEqual([
      ['0', '0', '0'],
      ['0', '1', '0'],
      ['1', '1', '0'],
      ['1', '1', '5'],
      ['1', '6', '16384'],
      ['16385', '6', '16384'],
      ['32769', '6', '7232'],
      ['6', '40001', '0'],
      ['40001', '7', '0'],
      ['', '', '']
    ])
    // Checksums good (status 1 = good), and no TCP analysis warnings.
    for (const r of rows.slice(0, 9)) expect(r[6]).toBe('1')
    expect(rows[9]?.[7]).toBe('1')
    expect(rows[9]?.[8]).toBe('1')
    expect(rows.map((r) => r[9]).filter(Boolean)).toEqual([])
  })
})
