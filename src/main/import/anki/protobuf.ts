// The few protobuf messages an Anki package holds (its `meta`, its media map, note type and
// template configs) read field by field: varints and length-delimited fields are decoded,
// fixed-width ones skipped. Wire format: https://protobuf.dev/programming-guides/encoding/

export type ProtoValue = { wire: 0; value: bigint } | { wire: 2; bytes: Uint8Array } | { wire: 1 | 5 }

export interface ProtoField {
  field: number
  value: ProtoValue
}

export class ProtobufError extends Error {}

/** A varint at `at`; returns the value and the offset after it. 10 bytes at most (64 bits). */
function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let result = 0n
  let shift = 0n
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.length) throw new ProtobufError('a varint runs past the end of the message')
    const byte = bytes[at++]!
    result |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return [result, at]
    shift += 7n
  }
  throw new ProtobufError('a varint is longer than 10 bytes')
}

/** Every field of one message, in order. Unknown wire types (3, 4: groups; 6, 7) are refused. */
export function* protoFields(bytes: Uint8Array): Generator<ProtoField> {
  let at = 0
  while (at < bytes.length) {
    const [key, next] = readVarint(bytes, at)
    at = next
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (field === 0) throw new ProtobufError('field number 0')
    switch (wire) {
      case 0: {
        const [value, after] = readVarint(bytes, at)
        at = after
        yield { field, value: { wire: 0, value } }
        break
      }
      case 1:
      case 5: {
        at += wire === 1 ? 8 : 4
        if (at > bytes.length) throw new ProtobufError('a fixed-width field runs past the end of the message')
        yield { field, value: { wire } }
        break
      }
      case 2: {
        const [length, after] = readVarint(bytes, at)
        const end = after + Number(length)
        if (length > BigInt(bytes.length) || end > bytes.length)
          throw new ProtobufError('a length-delimited field runs past the end of the message')
        yield { field, value: { wire: 2, bytes: bytes.subarray(after, end) } }
        at = end
        break
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire}`)
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false })

/** The last value of a varint field (proto3: the last one wins), or `fallback`. */
export function varintField(bytes: Uint8Array, field: number, fallback = 0): number {
  let found = fallback
  for (const f of protoFields(bytes))
    if (f.field === field && f.value.wire === 0) found = Number(BigInt.asIntN(64, f.value.value))
  return found
}

/** The last value of a string field, or ''. */
export function stringField(bytes: Uint8Array, field: number): string {
  let found = ''
  for (const f of protoFields(bytes)) if (f.field === field && f.value.wire === 2) found = utf8.decode(f.value.bytes)
  return found
}

/** Every occurrence of a length-delimited (message) field, in order. */
export function messageFields(bytes: Uint8Array, field: number): Uint8Array[] {
  const found: Uint8Array[] = []
  for (const f of protoFields(bytes)) if (f.field === field && f.value.wire === 2) found.push(f.value.bytes)
  return found
}
