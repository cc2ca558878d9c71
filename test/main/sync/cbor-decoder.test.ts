// cbor-x (under automerge-repo) runs on its JavaScript decoder: the native cbor-extract is replaced
// by vendor/no-cbor-extract, which throws when loaded (README, CI).
import { decode, encode, isNativeAccelerationEnabled } from 'cbor-x'
import { describe, expect, it } from 'vitest'

describe('cbor-x without its native decoder', () => {
  it('reports no native acceleration and still round-trips a sync-shaped message', () => {
    expect(isNativeAccelerationEnabled).toBe(false)
    const message = { type: 'sync', documentId: 'abc', data: new Uint8Array([1, 2, 3]), targetId: 'peer-1' }
    expect(decode(encode(message))).toEqual(message)
  })
})
