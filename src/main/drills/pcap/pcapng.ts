// A pcapng writer for the blocks the trace export needs (draft-ietf-opsawg-pcapng): Section
// Header, Interface Description, Decryption Secrets and Enhanced Packet blocks, little-endian.

const SHB = 0x0a0d0d0a
const IDB = 0x00000001
const EPB = 0x00000006
const DSB = 0x0000000a
/** Secrets Type of a TLS key log in NSS format ("TLSK"). */
export const DSB_TLS_KEY_LOG = 0x544c534b
export const LINKTYPE_ETHERNET = 1

const pad4 = (n: number): number => (4 - (n % 4)) % 4

/** Options: code, length, value padded to 32 bits; opt_endofopt last. */
function options(list: [number, Uint8Array][]): Buffer {
  if (list.length === 0) return Buffer.alloc(0)
  const parts: Buffer[] = []
  for (const [code, value] of list) {
    const head = Buffer.alloc(4)
    head.writeUInt16LE(code, 0)
    head.writeUInt16LE(value.length, 2)
    parts.push(head, Buffer.from(value), Buffer.alloc(pad4(value.length)))
  }
  parts.push(Buffer.alloc(4))
  return Buffer.concat(parts)
}

/** Type, total length, body (padded), total length again. */
function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc(pad4(body.length))])
  const total = 12 + padded.length
  const out = Buffer.alloc(total)
  out.writeUInt32LE(type, 0)
  out.writeUInt32LE(total, 4)
  padded.copy(out, 8)
  out.writeUInt32LE(total, total - 4)
  return out
}

export function sectionHeader(application: string, comment?: string): Buffer {
  const fixed = Buffer.alloc(16)
  fixed.writeUInt32LE(0x1a2b3c4d, 0) // byte-order magic
  fixed.writeUInt16LE(1, 4) // major version
  fixed.writeUInt16LE(0, 6) // minor version
  fixed.writeBigInt64LE(-1n, 8) // section length: not given
  const opts: [number, Uint8Array][] = [[4, Buffer.from(application)]] // shb_userappl
  if (comment) opts.unshift([1, Buffer.from(comment)]) // opt_comment
  return block(SHB, Buffer.concat([fixed, options(opts)]))
}

/** One interface; timestamps in microseconds (the default if_tsresol). */
export function interfaceDescription(linkType: number, name: string): Buffer {
  const fixed = Buffer.alloc(8)
  fixed.writeUInt16LE(linkType, 0)
  fixed.writeUInt32LE(0, 4) // snaplen: no limit
  return block(IDB, Buffer.concat([fixed, options([[2, Buffer.from(name)]])])) // if_name
}

export function decryptionSecrets(secretsType: number, data: Uint8Array): Buffer {
  const fixed = Buffer.alloc(8)
  fixed.writeUInt32LE(secretsType, 0)
  fixed.writeUInt32LE(data.length, 4)
  return block(DSB, Buffer.concat([fixed, Buffer.from(data), Buffer.alloc(pad4(data.length))]))
}

/** A packet on interface 0: `captured` may be shorter than `originalLength` (a payload kept only in part). */
export function enhancedPacket(
  timestampUs: bigint,
  captured: Uint8Array,
  originalLength: number,
  comment?: string
): Buffer {
  const fixed = Buffer.alloc(20)
  fixed.writeUInt32LE(0, 0) // interface id
  fixed.writeUInt32LE(Number((timestampUs >> 32n) & 0xffffffffn), 4)
  fixed.writeUInt32LE(Number(timestampUs & 0xffffffffn), 8)
  fixed.writeUInt32LE(captured.length, 12)
  fixed.writeUInt32LE(originalLength, 16)
  const data = Buffer.concat([Buffer.from(captured), Buffer.alloc(pad4(captured.length))])
  return block(EPB, Buffer.concat([fixed, data, options(comment ? [[1, Buffer.from(comment)]] : [])]))
}
