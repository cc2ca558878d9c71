// A recursive DNS resolver (RFC 1034 §5.3.3). The DNS message codec is given (RFC 1035 §4, as in
// the dns-server drill); the resolver below is yours. Replace the `throw` with a real implementation.
import dgram from 'node:dgram'

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28 } as const
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const
export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080 } as const
export const CLASS_IN = 1

export interface DnsQuestion {
  name: string
  type: number
  class: number
}

export interface DnsRecord {
  /** As on the wire (compare with normalize()), no trailing dot; the root is ''. */
  name: string
  type: number
  class: number
  /** Seconds. */
  ttl: number
  /** A: the dotted address. NS, CNAME: the target name. SOA: its seven fields (below). */
  address?: string
  target?: string
  soa?: {
    mname: string
    rname: string
    serial: number
    refresh: number
    retry: number
    expire: number
    minimum: number
  }
  /** RDATA as on the wire (names inside it may be compression pointers: use the fields above). */
  data: Buffer
}

export interface DnsMessage {
  id: number
  /** The 16-bit flags word: QR, Opcode, AA, TC, RD, RA, Z, RCODE (see FLAG). */
  flags: number
  rcode: number
  questions: DnsQuestion[]
  answers: DnsRecord[]
  authority: DnsRecord[]
  additional: DnsRecord[]
}

/** Lowercase, without the trailing dot (RFC 4343: names compare case-insensitively). */
export const normalize = (name: string): string => name.toLowerCase().replace(/\.$/, '')

/** Wire form of a name, case kept: length-prefixed labels and a zero octet (RFC 1035 §3.1). */
export function encodeName(name: string): Buffer {
  const parts: Buffer[] = []
  for (const label of name.replace(/\.$/, '').split('.').filter(Boolean)) {
    const bytes = Buffer.from(label, 'ascii')
    if (bytes.length > 63) throw new RangeError(`label '${label}' is longer than 63 octets`)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  return Buffer.concat([...parts, Buffer.from([0])])
}

/** A name at `offset`, following compression pointers (RFC 1035 §4.1.4); `next` follows the name. */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = []
  let pos = offset
  let next = -1
  for (let jumps = 0; ;) {
    if (pos >= buf.length) throw new RangeError('a name runs past the end of the message')
    const len = buf[pos]!
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new RangeError('a pointer runs past the end of the message')
      if (++jumps > 32) throw new RangeError('too many compression pointers (a loop?)')
      if (next < 0) next = pos + 2
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!
    } else if (len === 0) {
      return { name: labels.join('.'), next: next < 0 ? pos + 1 : next }
    } else {
      if (len > 63 || pos + 1 + len > buf.length) throw new RangeError('a label runs past the end of the message')
      labels.push(buf.toString('ascii', pos + 1, pos + 1 + len))
      pos += 1 + len
    }
  }
}

function readRecord(buf: Buffer, offset: number): { record: DnsRecord; next: number } {
  const { name, next } = readName(buf, offset)
  if (next + 10 > buf.length) throw new RangeError('a record header runs past the end of the message')
  const type = buf.readUInt16BE(next)
  const rdlength = buf.readUInt16BE(next + 8)
  const start = next + 10
  if (start + rdlength > buf.length) throw new RangeError('RDATA runs past the end of the message')
  const record: DnsRecord = {
    name,
    type,
    class: buf.readUInt16BE(next + 2),
    ttl: buf.readUInt32BE(next + 4),
    data: buf.subarray(start, start + rdlength)
  }
  if (type === TYPE.A && rdlength === 4) record.address = [...record.data].join('.')
  if (type === TYPE.NS || type === TYPE.CNAME) record.target = readName(buf, start).name
  if (type === TYPE.SOA) {
    const m = readName(buf, start)
    const r = readName(buf, m.next)
    const n = (i: number) => buf.readUInt32BE(r.next + 4 * i)
    record.soa = { mname: m.name, rname: r.name, serial: n(0), refresh: n(1), retry: n(2), expire: n(3), minimum: n(4) }
  }
  return { record, next: start + rdlength }
}

/** Header and all four sections; throws RangeError if malformed. */
export function parseMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new RangeError('shorter than a DNS header')
  const flags = buf.readUInt16BE(2)
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o))
  let pos = 12
  const questions: DnsQuestion[] = []
  for (let i = 0; i < counts[0]!; i++) {
    const { name, next } = readName(buf, pos)
    if (next + 4 > buf.length) throw new RangeError('a question runs past the end of the message')
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) })
    pos = next + 4
  }
  const sections: DnsRecord[][] = [[], [], []]
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const { record, next } = readRecord(buf, pos)
      sections[s]!.push(record)
      pos = next
    }
  }
  return {
    id: buf.readUInt16BE(0),
    flags,
    rcode: flags & 0xf,
    questions,
    answers: sections[0]!,
    authority: sections[1]!,
    additional: sections[2]!
  }
}

/** RDATA for a record built from its fields (A: address, NS/CNAME: target), else `data`. */
function rdataOf(r: Omit<DnsRecord, 'data'> & { data?: Buffer }): Buffer {
  if (r.type === TYPE.A && r.address) return Buffer.from(r.address.split('.').map(Number))
  if ((r.type === TYPE.NS || r.type === TYPE.CNAME) && r.target !== undefined) return encodeName(r.target)
  return r.data ?? Buffer.alloc(0)
}

/** A whole message, no compression. `flags` carries RCODE in its low 4 bits. */
export function encodeMessage(m: {
  id: number
  flags: number
  questions: DnsQuestion[]
  answers?: Array<Omit<DnsRecord, 'data'> & { data?: Buffer }>
  authority?: DnsRecord[]
  additional?: DnsRecord[]
}): Buffer {
  const sections = [m.answers ?? [], m.authority ?? [], m.additional ?? []]
  const header = Buffer.alloc(12)
  header.writeUInt16BE(m.id, 0)
  header.writeUInt16BE(m.flags, 2)
  header.writeUInt16BE(m.questions.length, 4)
  sections.forEach((s, i) => header.writeUInt16BE(s.length, 6 + 2 * i))
  const parts: Buffer[] = [header]
  for (const q of m.questions) {
    const fixed = Buffer.alloc(4)
    fixed.writeUInt16BE(q.type, 0)
    fixed.writeUInt16BE(q.class, 2)
    parts.push(encodeName(q.name), fixed)
  }
  for (const r of sections.flat()) {
    const rdata = rdataOf(r)
    const fixed = Buffer.alloc(10)
    fixed.writeUInt16BE(r.type, 0)
    fixed.writeUInt16BE(r.class, 2)
    fixed.writeUInt32BE(r.ttl, 4)
    fixed.writeUInt16BE(rdata.length, 8)
    parts.push(encodeName(r.name), fixed, rdata)
  }
  return Buffer.concat(parts)
}

/** Is `name` equal to `zone` or below it? ('' is the root, above everything.) */
export const isInZone = (name: string, zone: string): boolean =>
  zone === '' || name === zone || name.endsWith(`.${zone}`)

export interface ResolverOptions {
  /** The root hints: where iteration starts when the cache knows nothing closer. */
  roots: Array<{ name: string; address: string }>
  /** The UDP port every authoritative server listens on (53 in the wild). */
  port: number
  /** The clock, in milliseconds (tests pass a fake one to make TTLs run out). */
  now?: () => number
  /** How long to wait for one upstream reply before trying the next server, ms. */
  timeoutMs?: number
}

export interface Resolution {
  rcode: number
  /** The CNAME chain, in order, then the final RRset; TTLs are what is left of them in the cache. */
  answers: DnsRecord[]
}

export interface RecursiveResolver {
  /** Where it answers recursive queries: UDP on 127.0.0.1. */
  port: number
  resolve(name: string, type: number): Promise<Resolution>
  close(): Promise<void>
}

/**
 * Bind UDP on 127.0.0.1 (port 0) and answer recursive queries; resolve() is the same work without
 * the wire. Walk from options.roots, follow referrals and CNAMEs, cache by TTL (options.now).
 */
export async function startResolver(options: ResolverOptions): Promise<RecursiveResolver> {
  throw new Error('startResolver: not implemented yet')
}
