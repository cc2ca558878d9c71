// Test-side helpers: hex in, frames out, and a line in the trace for every frame and header block
// the learner's reader produced, so the trace view shows the conversation HTTP/2 had.
import assert from 'node:assert/strict'
import { note } from 'retransmit:test'
import { Http2Error, type ConnectionEvent, type ErrorCode, type HeaderField, type HpackDecoder } from './solution'

/** Hex with spaces and newlines allowed, as the RFC prints it. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex')
export const spaced = (b: Buffer): string =>
  b
    .toString('hex')
    .replace(/(....)/g, '$1 ')
    .trim()

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

/** A frame on the wire: 9-octet header (24-bit length, type, flags, R + 31-bit stream), payload. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9)
  head.writeUIntBE(payload.length, 0, 3)
  head[3] = type
  head[4] = flags
  head.writeUInt32BE(streamId >>> 0, 5)
  return Buffer.concat([head, payload])
}

export const fields = (list: HeaderField[]): string =>
  list.map(([n, v]) => `${n}: ${v.length > 60 ? `${v.slice(0, 57)}...(${v.length} octets)` : v}`).join(', ')

export function describeEvent(e: ConnectionEvent): string {
  if (e.type === 'settings')
    return `SETTINGS${e.ack ? ' ACK' : ''} ${e.settings.map(([id, v]) => `${SETTING_NAMES[id] ?? `0x${id.toString(16)}`}=${v}`).join(' ') || '(empty)'}`
  if (e.type === 'headers')
    return `HEADERS stream ${e.streamId}${e.endStream ? ' END_STREAM' : ''}: ${fields(e.headers)}`
  return `${TYPE_NAMES[e.frame.type] ?? `type 0x${e.frame.type.toString(16)}`} stream ${e.frame.streamId}, ${e.frame.length} octets`
}

/** Notes a decoder's table the way RFC 7541 Appendix C prints it. */
export function noteTable(label: string, d: HpackDecoder): void {
  const rows = d.dynamicTable.map(([n, v], i) => `[${i + 1}] (s=${n.length + v.length + 32}) ${n}: ${v}`)
  note(`${label}: dynamic table ${rows.length ? rows.join('; ') : '(empty)'}; size ${d.tableSize}`)
}

/** Decodes one block, notes it, compares the header list and then the table, newest first. */
export function checkBlock(
  label: string,
  d: HpackDecoder,
  block: string,
  expected: HeaderField[],
  table: HeaderField[],
  size: number
): void {
  const bytes = hex(block)
  let got: HeaderField[]
  try {
    got = d.decode(bytes)
  } catch (err) {
    throw new Error(`${label}: decoding ${spaced(bytes)} threw ${err instanceof Error ? err.message : String(err)}`)
  }
  note(`${label}: ${spaced(bytes)} -> ${fields(got)}`)
  noteTable(label, d)
  assert.deepEqual(
    got,
    expected,
    `${label}: the header list from ${spaced(bytes)}\n  got:    ${fields(got)}\n  wanted: ${fields(expected)}`
  )
  assert.deepEqual(
    d.dynamicTable,
    table,
    `${label}: the dynamic table after this block, newest first (RFC 7541 §2.3.3: a new entry takes index 62 and pushes the others up; the oldest are evicted first, §4.4)\n  got:    ${fields(d.dynamicTable)}\n  wanted: ${fields(table)}`
  )
  assert.equal(
    d.tableSize,
    size,
    `${label}: table size ${d.tableSize}, wanted ${size} (each entry counts name + value + 32 octets, RFC 7541 §4.1)`
  )
}

/** Runs `fn` and requires an Http2Error with this code; `why` says what the RFC requires. */
export function expectError(code: ErrorCode, why: string, fn: () => unknown): void {
  let thrown: unknown = null
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  assert.ok(thrown !== null, `${why}: expected an Http2Error ${code}, but nothing was thrown`)
  assert.ok(
    thrown instanceof Http2Error,
    `${why}: expected an Http2Error ${code}, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`
  )
  assert.equal(thrown.code, code, `${why}: expected ${code}, got ${thrown.code} (${thrown.message})`)
  note(`refused as ${code}: ${why}`)
}
