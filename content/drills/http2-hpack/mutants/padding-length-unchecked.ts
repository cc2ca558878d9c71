// Bug: trusts the Pad Length of a HEADERS frame, so padding as long as the payload is read as an empty block instead of a PROTOCOL_ERROR.
// An HTTP/2 frame reader and HPACK decoder (RFC 9113 §3.4, §4, §6; RFC 7541).
/** One header field: [name, value]. HPACK strings are octets; read them as latin1 (one char per octet). */
export type HeaderField = [name: string, value: string]

/** RFC 7541 Appendix A: the 61 static entries; index 1 is STATIC_TABLE[0]. */
export const STATIC_TABLE: readonly HeaderField[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', '']
]

/**
 * RFC 7541 Appendix B, as code lengths in bits: HUFFMAN_LENGTHS[s] for octet s (0-255) and for EOS
 * (256). The code is canonical: sort the symbols by (length, symbol); the first gets the all-zero
 * code, and each next one the previous code + 1, shifted left by the growth in length.
 */
// prettier-ignore
export const HUFFMAN_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0x00
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 0x10
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, //         ' ' to '/'
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, //             '0' to '?'
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, //               '@' to 'O'
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, //            'P' to '_'
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, //               '`' to 'o'
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, //           'p' to 0x7f
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 0x80
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 0x90
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 0xa0
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 0xb0
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 0xc0
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 0xd0
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 0xe0
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 0xf0
  30 //                                                              EOS
]

export const FRAME_TYPES = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9
} as const
export const FLAGS = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const

/** The client connection preface (RFC 9113 §3.4): 24 octets, then a SETTINGS frame. */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

export type ErrorCode = 'PROTOCOL_ERROR' | 'FRAME_SIZE_ERROR' | 'COMPRESSION_ERROR'

/** A connection error (RFC 9113 §5.4.1): the code the reader would send in GOAWAY. */
export class Http2Error extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(`${code}: ${message}`)
    this.code = code
  }
}

export interface Frame {
  /** Payload length, 24 bits. */
  length: number
  type: number
  flags: number
  /** 31 bits: the reserved bit is ignored on receipt. */
  streamId: number
  payload: Buffer
}

export type ConnectionEvent =
  | { type: 'settings'; ack: boolean; settings: Array<[id: number, value: number]> }
  | { type: 'headers'; streamId: number; endStream: boolean; headers: HeaderField[] }
  /** Any other complete frame (DATA, WINDOW_UPDATE, PING, PRIORITY, an unknown type...). */
  | { type: 'frame'; frame: Frame }

/** A prefixed integer (RFC 7541 §5.1) at `offset`, whose first octet keeps `prefixBits` low bits. */
export function decodeInteger(buf: Buffer, offset: number, prefixBits: number): { value: number; next: number } {
  if (offset >= buf.length) throw new Http2Error('COMPRESSION_ERROR', 'integer cut off at the end of the block')
  const max = (1 << prefixBits) - 1
  let value = buf[offset]! & max
  let pos = offset + 1
  if (value < max) return { value, next: pos }
  // Continuation octets: 7 bits each, least significant first, while the top bit is set.
  for (let shift = 0; ; shift += 7) {
    if (pos >= buf.length) throw new Http2Error('COMPRESSION_ERROR', 'integer cut off at the end of the block')
    if (shift > 28) throw new Http2Error('COMPRESSION_ERROR', 'integer too large')
    const b = buf[pos++]!
    value += (b & 0x7f) * 2 ** shift
    if ((b & 0x80) === 0) return { value, next: pos }
  }
}

/** (length << 32 | code) -> symbol, built once from the canonical lengths. */
const HUFFMAN_DECODE = buildHuffmanDecode()

function buildHuffmanDecode(): Map<number, number> {
  const order = HUFFMAN_LENGTHS.map((len, sym) => [len, sym] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const map = new Map<number, number>()
  let code = 0
  let prevLen = order[0]![0]
  for (const [len, sym] of order) {
    code *= 2 ** (len - prevLen)
    prevLen = len
    map.set(len * 2 ** 32 + code, sym)
    code += 1
  }
  return map
}

/** RFC 7541 §5.2 and Appendix B. Padding: at most 7 bits, all ones (a prefix of EOS). */
export function decodeHuffman(bytes: Buffer): string {
  let out = ''
  let code = 0
  let len = 0
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1)
      len += 1
      const sym = HUFFMAN_DECODE.get(len * 2 ** 32 + code)
      if (sym === undefined) {
        if (len >= 30) throw new Http2Error('COMPRESSION_ERROR', 'no Huffman code matches these bits')
        continue
      }
      if (sym === 256) throw new Http2Error('COMPRESSION_ERROR', 'EOS inside a Huffman string')
      out += String.fromCharCode(sym)
      code = 0
      len = 0
    }
  }
  if (len > 7) throw new Http2Error('COMPRESSION_ERROR', `Huffman padding of ${len} bits (at most 7 allowed)`)
  if (code !== 2 ** len - 1) throw new Http2Error('COMPRESSION_ERROR', 'Huffman padding is not all ones')
  return out
}

/** An HPACK decoder: one per connection and direction, its dynamic table lives across blocks. */
export class HpackDecoder {
  /** Newest first: index 62 is dynamicTable[0]. */
  dynamicTable: HeaderField[] = []
  /** Sum of entry sizes, octets (name + value + 32 each, RFC 7541 §4.1). */
  tableSize = 0
  /** The current limit, changed by size updates (RFC 7541 §4.2, §6.3). */
  maxSize: number

  /** SETTINGS_HEADER_TABLE_SIZE as this decoder's side advertised it: no size update may exceed it. */
  readonly limit: number

  constructor(limit = 4096) {
    this.limit = limit
    this.maxSize = limit
  }

  decode(block: Buffer): HeaderField[] {
    const fields: HeaderField[] = []
    let pos = 0
    while (pos < block.length) {
      const b = block[pos]!
      if (b & 0x80) {
        const { value, next } = decodeInteger(block, pos, 7)
        fields.push(this.entry(value))
        pos = next
      } else if (b & 0x40) {
        const field = this.literal(block, pos, 6)
        fields.push(field.field)
        this.add(field.field)
        pos = field.next
      } else if (b & 0x20) {
        // A size update belongs before the first field of a block (RFC 7541 §4.2).
        if (fields.length > 0)
          throw new Http2Error('COMPRESSION_ERROR', 'dynamic table size update after a header field')
        const { value, next } = decodeInteger(block, pos, 5)
        if (value > this.limit)
          throw new Http2Error('COMPRESSION_ERROR', `size update to ${value} above the advertised ${this.limit}`)
        this.maxSize = value
        this.evict(0)
        pos = next
      } else {
        // 0000: without indexing, 0001: never indexed. Neither touches the table.
        const field = this.literal(block, pos, 4)
        fields.push(field.field)
        pos = field.next
      }
    }
    return fields
  }

  private entry(index: number): HeaderField {
    if (index === 0) throw new Http2Error('COMPRESSION_ERROR', 'index 0 is not a header field')
    if (index <= STATIC_TABLE.length) return [...STATIC_TABLE[index - 1]!] as HeaderField
    const field = this.dynamicTable[index - STATIC_TABLE.length - 1]
    if (!field)
      throw new Http2Error(
        'COMPRESSION_ERROR',
        `index ${index} is past the dynamic table (${this.dynamicTable.length} entries)`
      )
    return [...field] as HeaderField
  }

  private literal(block: Buffer, pos: number, prefixBits: number): { field: HeaderField; next: number } {
    const { value: nameIndex, next } = decodeInteger(block, pos, prefixBits)
    let name: string
    let at = next
    if (nameIndex === 0) {
      const s = readString(block, at)
      name = s.text
      at = s.next
    } else {
      name = this.entry(nameIndex)[0]
    }
    const v = readString(block, at)
    return { field: [name, v.text], next: v.next }
  }

  private add(field: HeaderField): void {
    const size = field[0].length + field[1].length + 32
    this.evict(size)
    // An entry larger than the table empties it and is not added (RFC 7541 §4.4).
    if (size > this.maxSize) return
    this.dynamicTable.unshift(field)
    this.tableSize += size
  }

  /** Evicts oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.dynamicTable.length > 0 && this.tableSize + room > this.maxSize) {
      const [name, value] = this.dynamicTable.pop()!
      this.tableSize -= name.length + value.length + 32
    }
  }
}

/** A string literal (RFC 7541 §5.2): H bit, 7-bit prefixed length, then the octets. */
function readString(block: Buffer, pos: number): { text: string; next: number } {
  if (pos >= block.length) throw new Http2Error('COMPRESSION_ERROR', 'string literal cut off')
  const huffman = (block[pos]! & 0x80) !== 0
  const { value: length, next } = decodeInteger(block, pos, 7)
  if (next + length > block.length)
    throw new Http2Error('COMPRESSION_ERROR', `string of ${length} octets runs past the block`)
  const raw = block.subarray(next, next + length)
  return { text: huffman ? decodeHuffman(raw) : raw.toString('latin1'), next: next + length }
}

/** Splits a byte stream into frames (RFC 9113 §4.1); bytes may arrive in any chunks. */
export class FrameReader {
  private buffered = Buffer.alloc(0)

  /** SETTINGS_MAX_FRAME_SIZE this side advertised (default 16384, RFC 9113 §6.5.2). */
  readonly maxFrameSize: number

  constructor(maxFrameSize = 16384) {
    this.maxFrameSize = maxFrameSize
  }

  push(chunk: Buffer): Frame[] {
    this.buffered = Buffer.concat([this.buffered, chunk])
    const frames: Frame[] = []
    while (this.buffered.length >= 9) {
      const length = this.buffered.readUIntBE(0, 3)
      if (length > this.maxFrameSize)
        throw new Http2Error(
          'FRAME_SIZE_ERROR',
          `a ${length}-octet frame exceeds SETTINGS_MAX_FRAME_SIZE ${this.maxFrameSize}`
        )
      if (this.buffered.length < 9 + length) break
      frames.push({
        length,
        type: this.buffered[3]!,
        flags: this.buffered[4]!,
        streamId: this.buffered.readUInt32BE(5) & 0x7fffffff,
        payload: Buffer.from(this.buffered.subarray(9, 9 + length))
      })
      this.buffered = this.buffered.subarray(9 + length)
    }
    return frames
  }
}

/** The server side of a connection: preface, frames, header blocks decoded to header lists. */
export class ConnectionReader {
  private preface = Buffer.alloc(0)
  private sawSettings = false
  private readonly frames: FrameReader
  readonly hpack: HpackDecoder
  /** A header block waiting for CONTINUATION frames. */
  private open: { streamId: number; endStream: boolean; fragments: Buffer[] } | null = null

  constructor(options: { headerTableSize?: number; maxFrameSize?: number } = {}) {
    this.frames = new FrameReader(options.maxFrameSize ?? 16384)
    this.hpack = new HpackDecoder(options.headerTableSize ?? 4096)
  }

  push(chunk: Buffer): ConnectionEvent[] {
    if (this.preface.length < PREFACE.length) {
      const take = Math.min(PREFACE.length - this.preface.length, chunk.length)
      this.preface = Buffer.concat([this.preface, chunk.subarray(0, take)])
      if (!PREFACE.subarray(0, this.preface.length).equals(this.preface)) {
        throw new Http2Error('PROTOCOL_ERROR', 'the connection does not start with the HTTP/2 preface')
      }
      chunk = chunk.subarray(take)
    }
    const events: ConnectionEvent[] = []
    for (const frame of this.frames.push(chunk)) {
      const event = this.onFrame(frame)
      if (event) events.push(event)
    }
    return events
  }

  private onFrame(frame: Frame): ConnectionEvent | null {
    if (!this.sawSettings && frame.type !== FRAME_TYPES.SETTINGS)
      throw new Http2Error('PROTOCOL_ERROR', 'the first frame after the preface must be SETTINGS')
    if (this.open) {
      if (frame.type !== FRAME_TYPES.CONTINUATION || frame.streamId !== this.open.streamId) {
        throw new Http2Error(
          'PROTOCOL_ERROR',
          `a header block on stream ${this.open.streamId} was interrupted by another frame`
        )
      }
      this.open.fragments.push(frame.payload)
      return frame.flags & FLAGS.END_HEADERS ? this.finishBlock() : null
    }
    switch (frame.type) {
      case FRAME_TYPES.SETTINGS:
        return this.onSettings(frame)
      case FRAME_TYPES.HEADERS:
        return this.onHeaders(frame)
      case FRAME_TYPES.CONTINUATION:
        throw new Http2Error('PROTOCOL_ERROR', 'CONTINUATION without a HEADERS frame before it')
      default:
        return { type: 'frame', frame }
    }
  }

  private onSettings(frame: Frame): ConnectionEvent {
    if (frame.streamId !== 0) throw new Http2Error('PROTOCOL_ERROR', 'SETTINGS on a stream other than 0')
    const ack = (frame.flags & FLAGS.ACK) !== 0
    if (ack && frame.length !== 0) throw new Http2Error('FRAME_SIZE_ERROR', 'a SETTINGS ack with a payload')
    if (frame.length % 6 !== 0)
      throw new Http2Error('FRAME_SIZE_ERROR', 'SETTINGS payload is not a multiple of 6 octets')
    if (!ack) this.sawSettings = true
    if (!this.sawSettings) throw new Http2Error('PROTOCOL_ERROR', 'the first frame after the preface must be SETTINGS')
    const settings: Array<[number, number]> = []
    for (let i = 0; i < frame.length; i += 6)
      settings.push([frame.payload.readUInt16BE(i), frame.payload.readUInt32BE(i + 2)])
    return { type: 'settings', ack, settings }
  }

  private onHeaders(frame: Frame): ConnectionEvent | null {
    if (frame.streamId === 0) throw new Http2Error('PROTOCOL_ERROR', 'HEADERS on stream 0')
    let start = 0
    let end = frame.length
    if (frame.flags & FLAGS.PADDED) {
      const padLength = frame.payload[0] ?? 0
      start = 1
      end -= padLength
    }
    // Stream dependency (4 octets) and weight (1), deprecated by RFC 9113 §5.3.2 but still sent.
    if (frame.flags & FLAGS.PRIORITY) start += 5
    if (start > end) throw new Http2Error('FRAME_SIZE_ERROR', 'HEADERS too short for its flags')
    this.open = {
      streamId: frame.streamId,
      endStream: (frame.flags & FLAGS.END_STREAM) !== 0,
      fragments: [frame.payload.subarray(start, end)]
    }
    return frame.flags & FLAGS.END_HEADERS ? this.finishBlock() : null
  }

  private finishBlock(): ConnectionEvent {
    const { streamId, endStream, fragments } = this.open!
    this.open = null
    return { type: 'headers', streamId, endStream, headers: this.hpack.decode(Buffer.concat(fragments)) }
  }
}
