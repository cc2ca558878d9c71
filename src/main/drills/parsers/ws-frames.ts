// WebSocket frames (RFC 6455 section 5.2).

const OPCODES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' }

export interface WsFrame {
  fin: boolean
  opcode: number
  opcodeName: string
  masked: boolean
  payloadLength: number
  /** Unmasked payload (at most `previewBytes`). */
  payload: Buffer
  /** Header + payload bytes this frame used. */
  frameLength: number
}

/** Parse one frame from the front of `bytes`; null until it has fully arrived. */
export function parseWsFrame(bytes: Uint8Array, previewBytes = 256): WsFrame | null {
  if (bytes.length < 2) return null
  const b0 = bytes[0] ?? 0
  const b1 = bytes[1] ?? 0
  let length = b1 & 0x7f
  let at = 2
  if (length === 126) {
    if (bytes.length < 4) return null
    length = ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)
    at = 4
  } else if (length === 127) {
    if (bytes.length < 10) return null
    // 64-bit length; anything past 2^53 is not a frame we will ever see on loopback.
    length = Number(Buffer.from(bytes.subarray(2, 10)).readBigUInt64BE())
    at = 10
  }
  const masked = (b1 & 0x80) !== 0
  const mask = masked ? bytes.subarray(at, at + 4) : null
  if (masked) at += 4
  if (bytes.length < at + length) return null
  const shown = Buffer.from(bytes.subarray(at, at + Math.min(length, previewBytes)))
  if (mask) for (let i = 0; i < shown.length; i++) shown[i] = (shown[i] ?? 0) ^ (mask[i % 4] ?? 0)
  const opcode = b0 & 0x0f
  return {
    fin: (b0 & 0x80) !== 0,
    opcode,
    opcodeName: OPCODES[opcode] ?? `opcode ${opcode}`,
    masked,
    payloadLength: length,
    payload: shown,
    frameLength: at + length
  }
}

export function frameSummary(f: WsFrame): string {
  const flags = `${f.fin ? 'FIN ' : ''}${f.masked ? 'masked ' : ''}`
  let detail = `${f.payloadLength} bytes`
  if (f.opcode === 1) detail += ` "${f.payload.toString('utf8').slice(0, 60)}"`
  if (f.opcode === 8 && f.payload.length >= 2) detail += ` code=${f.payload.readUInt16BE(0)}`
  return `${f.opcodeName} ${flags}${detail}`
}
