// An HTTP/2 frame reader and HPACK decoder (RFC 9113, RFC 7541). Replace every `throw` with a real
// implementation. The tables below are given: they are data from the RFCs, not the exercise.
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
  throw new Error('decodeInteger: not implemented yet')
}

/** A Huffman-coded string (RFC 7541 §5.2, Appendix B), decoded to latin1 text. */
export function decodeHuffman(bytes: Buffer): string {
  throw new Error('decodeHuffman: not implemented yet')
}

/** An HPACK decoder: one per connection and direction; its dynamic table lives across blocks. */
export class HpackDecoder {
  /** Newest first: index 62 is dynamicTable[0]. */
  dynamicTable: HeaderField[] = []
  /** Sum of entry sizes in octets (name + value + 32 each, RFC 7541 §4.1). */
  tableSize = 0
  /** The current maximum size, changed by dynamic table size updates (RFC 7541 §6.3). */
  maxSize: number
  /** SETTINGS_HEADER_TABLE_SIZE as this decoder's side advertised it: no size update may exceed it. */
  readonly limit: number

  constructor(limit = 4096) {
    this.limit = limit
    this.maxSize = limit
  }

  /** One complete header block -> its header list, in order. */
  decode(block: Buffer): HeaderField[] {
    throw new Error('HpackDecoder.decode: not implemented yet')
  }
}

/** Splits a byte stream into frames (RFC 9113 §4.1); bytes may arrive in any chunks. */
export class FrameReader {
  /** SETTINGS_MAX_FRAME_SIZE this side advertised (default 16384, RFC 9113 §6.5.2). */
  readonly maxFrameSize: number

  constructor(maxFrameSize = 16384) {
    this.maxFrameSize = maxFrameSize
  }

  /** The frames completed by this chunk (none if it ends mid-frame). */
  push(chunk: Buffer): Frame[] {
    throw new Error('FrameReader.push: not implemented yet')
  }
}

/** The server side of a connection: preface, frames, header blocks decoded to header lists. */
export class ConnectionReader {
  constructor(options: { headerTableSize?: number; maxFrameSize?: number } = {}) {}

  /** The events this chunk completes; throws Http2Error on a connection error. */
  push(chunk: Buffer): ConnectionEvent[] {
    throw new Error('ConnectionReader.push: not implemented yet')
  }
}
