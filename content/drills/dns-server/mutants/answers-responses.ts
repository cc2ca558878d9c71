// Bug: answers messages with QR set too, so two servers pointed at each other loop forever.
// An authoritative DNS server over UDP (RFC 1035): query encoding, answer parsing with name
// compression, A records with round-robin rotation and TTLs, NXDOMAIN for unknown names.
import dgram from 'node:dgram'

export const TYPE_A = 1
export const TYPE_AAAA = 28
export const CLASS_IN = 1
export const RCODE_NOERROR = 0
export const RCODE_FORMERR = 1
export const RCODE_NXDOMAIN = 3
export const RCODE_NOTIMP = 4

export interface DnsQuestion {
  name: string
  type: number
  class: number
}

export interface DnsRecord {
  name: string
  type: number
  class: number
  ttl: number
  /** RDATA as it was on the wire. */
  data: Buffer
  /** For A records: the dotted IPv4 address. */
  address?: string
}

export interface DnsMessage {
  id: number
  /** The whole 16-bit flags word: QR, Opcode, AA, TC, RD, RA, Z, RCODE. */
  flags: number
  rcode: number
  questions: DnsQuestion[]
  answers: DnsRecord[]
}

/** name -> the A records to serve for it, all with one TTL (RFC 2181 §5.2: one TTL per RRset). */
export type Zone = Record<string, { addresses: string[]; ttl: number }>

export interface DnsServer {
  port: number
  close(): Promise<void>
}

const FLAG_QR = 0x8000
const FLAG_AA = 0x0400
const FLAG_RD = 0x0100

/** Wire form of a name: length-prefixed labels, then a zero byte (RFC 1035 §3.1). */
export function encodeName(name: string): Buffer {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l.length > 0)
  const parts: Buffer[] = []
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii')
    if (bytes.length > 63) throw new RangeError(`label '${label}' is longer than 63 bytes`)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

/**
 * Read a name at `offset`, following compression pointers (RFC 1035 §4.1.4). `next` is where the
 * field after the name starts: right after the first pointer if there was one.
 */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = []
  let pos = offset
  let next = -1
  let jumps = 0
  for (;;) {
    if (pos >= buf.length) throw new RangeError('name runs past the end of the message')
    const len = buf[pos]!
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new RangeError('truncated compression pointer')
      if (++jumps > 32) throw new RangeError('compression pointer loop')
      if (next < 0) next = pos + 2
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!
      continue
    }
    if ((len & 0xc0) !== 0) throw new RangeError(`unsupported label type 0x${len.toString(16)}`)
    if (len === 0) {
      if (next < 0) next = pos + 1
      break
    }
    if (pos + 1 + len > buf.length) throw new RangeError('label runs past the end of the message')
    labels.push(buf.toString('ascii', pos + 1, pos + 1 + len))
    pos += 1 + len
  }
  return { name: labels.join('.'), next }
}

function header(id: number, flags: number, qd: number, an: number): Buffer {
  const h = Buffer.alloc(12)
  h.writeUInt16BE(id, 0)
  h.writeUInt16BE(flags, 2)
  h.writeUInt16BE(qd, 4)
  h.writeUInt16BE(an, 6)
  return h // NSCOUNT and ARCOUNT stay 0
}

function question(name: string, type: number, klass = CLASS_IN): Buffer {
  const tail = Buffer.alloc(4)
  tail.writeUInt16BE(type, 0)
  tail.writeUInt16BE(klass, 2)
  return Buffer.concat([encodeName(name), tail])
}

/** A standard query with recursion desired (RD) and one question. */
export function encodeQuery(id: number, name: string, type = TYPE_A): Buffer {
  return Buffer.concat([header(id, FLAG_RD, 1, 0), question(name, type)])
}

export function parseMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new RangeError(`a DNS message has a 12-byte header, got ${buf.length} bytes`)
  const id = buf.readUInt16BE(0)
  const flags = buf.readUInt16BE(2)
  const qdcount = buf.readUInt16BE(4)
  const ancount = buf.readUInt16BE(6)
  let offset = 12
  const questions: DnsQuestion[] = []
  for (let i = 0; i < qdcount; i++) {
    const { name, next } = readName(buf, offset)
    if (next + 4 > buf.length) throw new RangeError('question runs past the end of the message')
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) })
    offset = next + 4
  }
  const answers: DnsRecord[] = []
  for (let i = 0; i < ancount; i++) {
    const { name, next } = readName(buf, offset)
    if (next + 10 > buf.length) throw new RangeError('resource record runs past the end of the message')
    const type = buf.readUInt16BE(next)
    const klass = buf.readUInt16BE(next + 2)
    const ttl = buf.readUInt32BE(next + 4)
    const rdlength = buf.readUInt16BE(next + 8)
    const start = next + 10
    if (start + rdlength > buf.length) throw new RangeError('RDATA runs past the end of the message')
    const data = buf.subarray(start, start + rdlength)
    const record: DnsRecord = { name, type, class: klass, ttl, data }
    if (type === TYPE_A && rdlength === 4) record.address = [...data].join('.')
    answers.push(record)
    offset = start + rdlength
  }
  return { id, flags, rcode: flags & 0x000f, questions, answers }
}

const normalize = (name: string) => name.replace(/\.$/, '').toLowerCase()

export function startDnsServer(zone: Zone): Promise<DnsServer> {
  const records = new Map(Object.entries(zone).map(([name, rrset]) => [normalize(name), rrset]))
  const turn = new Map<string, number>() // round-robin position per name
  const socket = dgram.createSocket('udp4')

  const answer = (query: Buffer): Buffer | null => {
    if (query.length < 12) return null
    const id = query.readUInt16BE(0)
    const flags = query.readUInt16BE(2)
    const opcode = (flags >> 11) & 0xf
    const reply = (rcode: number, q: Buffer | null, answers: Buffer[] = []) => {
      // QR, same opcode, AA (we are the authority), copy RD, RA=0 (no recursion here).
      const out = FLAG_QR | (opcode << 11) | FLAG_AA | (flags & FLAG_RD) | rcode
      return Buffer.concat([header(id, out, q ? 1 : 0, answers.length), ...(q ? [q] : []), ...answers])
    }
    if (opcode !== 0) return reply(RCODE_NOTIMP, null)
    let parsed: DnsMessage
    try {
      parsed = parseMessage(query)
    } catch {
      return reply(RCODE_FORMERR, null)
    }
    const q = parsed.questions[0]
    if (parsed.questions.length !== 1 || !q) return reply(RCODE_FORMERR, null)
    const echoed = question(q.name, q.type, q.class)
    const rrset = records.get(normalize(q.name))
    if (!rrset) return reply(RCODE_NXDOMAIN, echoed)
    if (q.type !== TYPE_A || q.class !== CLASS_IN) return reply(RCODE_NOERROR, echoed) // the name exists, no such data
    const n = rrset.addresses.length
    const start = n ? (turn.get(normalize(q.name)) ?? 0) % n : 0
    turn.set(normalize(q.name), start + 1)
    const rotated = [...rrset.addresses.slice(start), ...rrset.addresses.slice(0, start)]
    const answers = rotated.map((address) => {
      const rr = Buffer.alloc(16)
      rr.writeUInt16BE(0xc00c, 0) // pointer to the question's name at offset 12
      rr.writeUInt16BE(TYPE_A, 2)
      rr.writeUInt16BE(CLASS_IN, 4)
      rr.writeUInt32BE(rrset.ttl, 6)
      rr.writeUInt16BE(4, 10)
      address.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i))
      return rr
    })
    return reply(RCODE_NOERROR, echoed, answers)
  }

  socket.on('message', (msg, rinfo) => {
    const response = answer(msg)
    if (response) socket.send(response, rinfo.port, rinfo.address)
  })
  socket.on('error', () => {})
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () =>
      resolve({ port: socket.address().port, close: () => new Promise<void>((done) => socket.close(() => done())) })
    )
  })
}
