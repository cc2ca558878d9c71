// HTTP/2 frames for the trace: the client preface (RFC 9113 §3.4), the 9-octet frame header
// (§4.1) and a line per frame type (§6). Header blocks stay compressed: decoding HPACK is the
// http2-hpack drill's job, and the trace shows the frames it reads.

export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

const TYPE_NAMES = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION'
]
const SETTING_NAMES: Record<number, string> = {
  1: 'HEADER_TABLE_SIZE',
  2: 'ENABLE_PUSH',
  3: 'MAX_CONCURRENT_STREAMS',
  4: 'INITIAL_WINDOW_SIZE',
  5: 'MAX_FRAME_SIZE',
  6: 'MAX_HEADER_LIST_SIZE',
  8: 'ENABLE_CONNECT_PROTOCOL',
  9: 'NO_RFC7540_PRIORITIES'
}
/** RFC 9113 §7. */
const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED'
]
/** The largest frame SETTINGS_MAX_FRAME_SIZE allows (2^24 - 1): a longer Length is not HTTP/2. */
const MAX_FRAME_LENGTH = 0xffffff

/** 'yes' when `bytes` start with the whole preface, 'maybe' while they are a prefix of it. */
export function prefaceState(bytes: Uint8Array): 'yes' | 'maybe' | 'no' {
  const n = Math.min(bytes.length, H2_PREFACE.length)
  if (!Buffer.from(bytes.subarray(0, n)).equals(H2_PREFACE.subarray(0, n))) return 'no'
  return n === H2_PREFACE.length ? 'yes' : 'maybe'
}

/** A server's first frame (§3.4): SETTINGS on stream 0, no flags, whole 6-octet settings. */
export function looksLikeH2Settings(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false
  const b = Buffer.from(bytes.subarray(0, 9))
  return b[3] === 4 && b[4] === 0 && b.readUInt32BE(5) === 0 && b.readUIntBE(0, 3) % 6 === 0
}

export interface H2Frame {
  length: number
  type: number
  flags: number
  streamId: number
  /** The payload (the whole of it: frames on loopback are small enough). */
  payload: Buffer
  /** Header + payload octets. */
  frameLength: number
}

/** One frame from the front of `bytes`; null until it has fully arrived. */
export function parseH2Frame(bytes: Uint8Array): H2Frame | null {
  if (bytes.length < 9) return null
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = b.readUIntBE(0, 3)
  if (length > MAX_FRAME_LENGTH || b.length < 9 + length) return null
  return {
    length,
    type: b[3]!,
    flags: b[4]!,
    streamId: b.readUInt32BE(5) & 0x7fffffff,
    payload: Buffer.from(b.subarray(9, 9 + length)),
    frameLength: 9 + length
  }
}

function flagNames(f: H2Frame): string[] {
  const names: string[] = []
  const has = (bit: number) => (f.flags & bit) !== 0
  if ((f.type === 4 || f.type === 6) && has(0x1)) names.push('ACK')
  if ((f.type === 0 || f.type === 1) && has(0x1)) names.push('END_STREAM')
  if ((f.type === 1 || f.type === 5 || f.type === 9) && has(0x4)) names.push('END_HEADERS')
  if ((f.type === 0 || f.type === 1 || f.type === 5) && has(0x8)) names.push('PADDED')
  if (f.type === 1 && has(0x20)) names.push('PRIORITY')
  return names
}

/** e.g. `HTTP/2 HEADERS stream 1 [END_STREAM END_HEADERS]: 47-octet header block`. */
export function h2FrameSummary(f: H2Frame): string {
  const name = TYPE_NAMES[f.type] ?? `type 0x${f.type.toString(16)} (unknown: ignored, §5.5)`
  const flags = flagNames(f)
  const head = `HTTP/2 ${name} stream ${f.streamId}${flags.length ? ` [${flags.join(' ')}]` : ''}`
  const p = f.payload
  const error = (at: number) =>
    p.length >= at + 4 ? (ERROR_NAMES[p.readUInt32BE(at)] ?? `error ${p.readUInt32BE(at)}`) : '?'
  switch (f.type) {
    case 4: {
      const settings: string[] = []
      for (let i = 0; i + 6 <= p.length; i += 6)
        settings.push(
          `${SETTING_NAMES[p.readUInt16BE(i)] ?? `0x${p.readUInt16BE(i).toString(16)}`}=${p.readUInt32BE(i + 2)}`
        )
      return `${head}${settings.length ? `: ${settings.join(' ')}` : ''}`
    }
    case 1:
    case 9:
      return `${head}: ${f.length}-octet header block${f.type === 1 && !(f.flags & 0x4) ? ' (continued)' : ''}`
    case 0:
      return `${head}: ${f.length} octets`
    case 8:
      return `${head}: increment ${p.length >= 4 ? p.readUInt32BE(0) & 0x7fffffff : '?'}`
    case 3:
      return `${head}: ${error(0)}`
    case 7:
      return `${head}: last stream ${p.length >= 4 ? p.readUInt32BE(0) & 0x7fffffff : '?'}, ${error(4)}`
    default:
      return `${head}: ${f.length} octets`
  }
}
