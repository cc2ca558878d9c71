// The protobuf reader for Anki's package metadata, media maps and note type configs: what a
// writer encodes reads back field for field, and arbitrary bytes give ProtobufError (which the
// importer turns into a ContentError naming the damage), never another exception or a hang.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  messageFields,
  protoFields,
  ProtobufError,
  stringField,
  varintField
} from '../../../src/main/import/anki/protobuf'
import { proto } from '../../fixtures/import/anki-package'
import { budget } from './budget'

const field = fc.tuple(
  fc.integer({ min: 1, max: 536_870_911 }),
  fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 })
  )
)

describe('protobuf reader', () => {
  it('reads back every field a writer encodes, in order', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), (fields) => {
        const read = [...protoFields(proto(fields))]
        expect(read.map((f) => f.field)).toEqual(fields.map(([n]) => n))
        read.forEach((f, i) => {
          const value = fields[i]![1]
          if (typeof value === 'bigint') expect(f.value).toEqual({ wire: 0, value })
          else
            expect(f.value).toEqual({
              wire: 2,
              bytes: typeof value === 'string' ? new TextEncoder().encode(value) : value
            })
        })
      }),
      budget(500)
    )
  })

  it('decodes the media map shape Anki writes', () => {
    const entry = (name: string, size: number) =>
      proto([
        [1, name],
        [2, size],
        [3, new Uint8Array(20).fill(7)]
      ])
    const map = proto([
      [1, entry('a.png', 10)],
      [1, entry('b c.jpg', 2 ** 31)]
    ])
    const entries = messageFields(map, 1)
    expect(entries.map((e) => [stringField(e, 1), varintField(e, 2), varintField(e, 255, -1)])).toEqual([
      ['a.png', 10, -1],
      ['b c.jpg', 2 ** 31, -1]
    ])
  })

  it('refuses arbitrary bytes only with ProtobufError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          for (const f of protoFields(bytes)) void f
        } catch (error) {
          expect(error).toBeInstanceOf(ProtobufError)
        }
      }),
      budget(2000)
    )
  })

  it('refuses a length that runs past the end, even a 64-bit one', () => {
    expect(() => [
      ...protoFields(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
    ]).toThrow(ProtobufError)
    expect(() => [...protoFields(Uint8Array.from([0x0a, 0x05, 0x61]))]).toThrow(/past the end/)
  })
})
