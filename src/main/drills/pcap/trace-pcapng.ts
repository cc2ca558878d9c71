// A run's trace as a pcapng file: TCP connections with their handshake, data (whole payloads from
// the capture), FIN and RST as synthesized segments with consistent sequence and acknowledgment
// numbers; UDP datagrams; and the run's TLS key log in a Decryption Secrets Block, so Wireshark
// and tshark open the TLS 1.3 records without a separate key file.
import type { TraceEvent } from '../types'
import { payloadOf, type RunCapture } from '../capture'
import {
  DSB_TLS_KEY_LOG,
  LINKTYPE_ETHERNET,
  decryptionSecrets,
  enhancedPacket,
  interfaceDescription,
  sectionHeader
} from './pcapng'
import {
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  parseEndpoint,
  tcpFrame,
  udpFrame,
  type Endpoint,
  type TcpSegment
} from './frames'

/** Payload bytes per synthesized segment (an IPv4 packet holds at most 65,535 bytes). */
const SEGMENT_BYTES = 16_384

type Side = 'client' | 'server'

interface Connection {
  ends: Record<Side, Endpoint>
  names: Record<Side, string>
  /** Initial sequence numbers. */
  isn: Record<Side, number>
  /** Sequence space used after the ISN: SYN, data bytes, FIN. */
  used: Record<Side, number>
  finSent: Record<Side, boolean>
  reset: boolean
}

export interface PcapngExport {
  file: Buffer
  packets: number
  /** Events with a payload that could not be written whole (kept only in part, or no address). */
  partial: number
}

export function traceToPcapng(trace: TraceEvent[], capture: RunCapture): PcapngExport {
  const blocks: Buffer[] = [
    sectionHeader(
      'Retransmit',
      'Synthesized from a drill trace: the bytes are what the sockets read; TCP/IP headers are made up to carry them.'
    ),
    interfaceDescription(LINKTYPE_ETHERNET, 'loopback (drill sandbox)')
  ]
  if (capture.keyLog.length)
    blocks.push(decryptionSecrets(DSB_TLS_KEY_LOG, Buffer.from(capture.keyLog.join('\n') + '\n')))
  const connections = new Map<number, Connection>()
  let packets = 0
  let partial = 0
  let ipId = 1
  const base = BigInt(Math.round(capture.startedAtMs)) * 1000n
  const emit = (event: TraceEvent, frame: Buffer, capturedBytes = frame.length, comment?: string) => {
    blocks.push(
      enhancedPacket(
        base + BigInt(Math.round(event.tMs * 1000)),
        frame.subarray(0, capturedBytes),
        frame.length,
        comment
      )
    )
    packets += 1
    ipId += 1
  }

  const open = (event: TraceEvent, conn: number, client: string, server: string): Connection | null => {
    const found = connections.get(conn)
    if (found) return found
    const c = parseEndpoint(client)
    const s = parseEndpoint(server)
    if (!c || !s || c.ip.length !== s.ip.length) return null
    // Distinct, fixed ISNs per connection: readable and the same for every export of a trace.
    const isn = { client: (conn * 0x01000193) >>> 0, server: (conn * 0x01000193 + 0x40000000) >>> 0 }
    const connection: Connection = {
      ends: { client: c, server: s },
      names: { client, server },
      isn,
      used: { client: 1, server: 1 },
      finSent: { client: false, server: false },
      reset: false
    }
    connections.set(conn, connection)
    emit(event, tcpFrame(c, s, { seq: isn.client, ack: 0, flags: TCP_SYN, payload: new Uint8Array(0) }, ipId))
    emit(
      event,
      tcpFrame(
        s,
        c,
        { seq: isn.server, ack: isn.client + 1, flags: TCP_SYN | TCP_ACK, payload: new Uint8Array(0) },
        ipId
      )
    )
    emit(
      event,
      tcpFrame(c, s, { seq: isn.client + 1, ack: isn.server + 1, flags: TCP_ACK, payload: new Uint8Array(0) }, ipId)
    )
    return connection
  }
  const send = (
    event: TraceEvent,
    c: Connection,
    side: Side,
    flags: number,
    payload: Uint8Array,
    known = payload.length,
    comment?: string
  ) => {
    const other: Side = side === 'client' ? 'server' : 'client'
    const segment: TcpSegment = { seq: c.isn[side] + c.used[side], ack: c.isn[other] + c.used[other], flags, payload }
    const frame = tcpFrame(c.ends[side], c.ends[other], segment, ipId)
    emit(event, frame, frame.length - payload.length + Math.min(known, payload.length), comment)
    c.used[side] += payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)
  }

  for (const event of trace) {
    if (event.kind === 'udp-datagram') {
      const src = parseEndpoint(event.from)
      const dst = parseEndpoint(event.to)
      const payload = payloadOf(capture, event)
      if (!src || !dst || src.ip.length !== dst.ip.length) continue
      if (payload) emit(event, udpFrame(src, dst, payload, ipId))
      else {
        partial += 1
        const first = Buffer.from(event.payloadBase64 ?? '', 'base64')
        const frame = udpFrame(
          src,
          dst,
          Buffer.concat([first, Buffer.alloc(Math.max(0, (event.bytes ?? 0) - first.length))]),
          ipId
        )
        emit(event, frame, frame.length - (event.bytes ?? 0) + first.length, 'payload kept only in part')
      }
      continue
    }
    if (event.conn === undefined) continue
    // Connect and accept both name the client first; data, FIN and RST name their sender first.
    if (event.kind === 'tcp-connect' || event.kind === 'tcp-accept') {
      open(event, event.conn, event.from, event.to)
      continue
    }
    if (event.kind !== 'tcp-data' && event.kind !== 'tcp-fin' && event.kind !== 'tcp-rst') continue
    const c = open(event, event.conn, event.from, event.to)
    if (!c) {
      if (event.kind === 'tcp-data') partial += 1
      continue
    }
    const side: Side = event.from === c.names.client ? 'client' : 'server'
    if (c.reset) continue
    if (event.kind === 'tcp-rst') {
      c.reset = true
      send(event, c, side, TCP_RST | TCP_ACK, new Uint8Array(0))
    } else if (event.kind === 'tcp-fin') {
      if (!c.finSent[side]) send(event, c, side, TCP_FIN | TCP_ACK, new Uint8Array(0))
      c.finSent[side] = true
    } else {
      const whole = payloadOf(capture, event)
      const first = whole ?? Buffer.from(event.payloadBase64 ?? '', 'base64')
      const total = whole ? whole.length : (event.bytes ?? first.length)
      if (!whole) partial += 1
      const bytes = whole ?? Buffer.concat([first, Buffer.alloc(Math.max(0, total - first.length))])
      for (let at = 0; at < total; at += SEGMENT_BYTES) {
        const piece = bytes.subarray(at, Math.min(total, at + SEGMENT_BYTES))
        const known = whole ? piece.length : Math.max(0, Math.min(piece.length, first.length - at))
        send(event, c, side, TCP_PSH | TCP_ACK, piece, known, whole ? undefined : 'payload kept only in part')
      }
    }
  }
  return { file: Buffer.concat(blocks), packets, partial }
}
