// DNS messages (RFC 1035 section 4.1), with name compression, for the trace and for tests.

const TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  41: 'OPT',
  255: 'ANY'
}
const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED'
}

export interface DnsQuestion {
  name: string
  type: string
  class: number
}

export interface DnsRecord {
  name: string
  type: string
  class: number
  ttl: number
  /** A/AAAA: the address; CNAME/NS/PTR: the name; TXT: the text; others: hex. */
  data: string
}

export interface DnsMessage {
  id: number
  isResponse: boolean
  opcode: number
  rcode: string
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean }
  questions: DnsQuestion[]
  answers: DnsRecord[]
  authorities: DnsRecord[]
  additionals: DnsRecord[]
}

export class DnsParseError extends Error {}

export function parseDnsMessage(bytes: Uint8Array): DnsMessage {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length < 12) throw new DnsParseError(`a DNS header is 12 bytes, got ${b.length}`)
  const need = (at: number, n: number) => {
    if (at + n > b.length) throw new DnsParseError(`message ends early at byte ${at}`)
  }
  const readName = (start: number): { name: string; next: number } => {
    const labels: string[] = []
    let at = start
    let next = -1
    // Each pointer must go strictly backwards, so a malicious loop cannot spin forever.
    let limit = start
    for (;;) {
      need(at, 1)
      const len = b[at] ?? 0
      if (len === 0) {
        at += 1
        break
      }
      if ((len & 0xc0) === 0xc0) {
        need(at, 2)
        const target = b.readUInt16BE(at) & 0x3fff
        if (target >= limit) throw new DnsParseError(`compression pointer at byte ${at} does not point backwards`)
        if (next < 0) next = at + 2
        limit = target
        at = target
        continue
      }
      if (len > 63) throw new DnsParseError(`label length ${len} at byte ${at} is over 63`)
      need(at + 1, len)
      labels.push(b.toString('latin1', at + 1, at + 1 + len))
      at += 1 + len
    }
    return { name: labels.join('.') || '.', next: next < 0 ? at : next }
  }
  const flags = b.readUInt16BE(2)
  const counts = [b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt16BE(8), b.readUInt16BE(10)]
  let at = 12
  const questions: DnsQuestion[] = []
  for (let i = 0; i < (counts[0] ?? 0); i++) {
    const { name, next } = readName(at)
    need(next, 4)
    questions.push({ name, type: typeName(b.readUInt16BE(next)), class: b.readUInt16BE(next + 2) })
    at = next + 4
  }
  const sections: DnsRecord[][] = [[], [], []]
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < (counts[s + 1] ?? 0); i++) {
      const { name, next } = readName(at)
      need(next, 10)
      const type = b.readUInt16BE(next)
      const rdLength = b.readUInt16BE(next + 8)
      need(next + 10, rdLength)
      const rdStart = next + 10
      sections[s]?.push({
        name,
        type: typeName(type),
        class: b.readUInt16BE(next + 2),
        ttl: b.readUInt32BE(next + 4),
        data: rdata(type, rdStart, rdLength)
      })
      at = rdStart + rdLength
    }
  }
  function rdata(type: number, start: number, length: number): string {
    if (type === 1 && length === 4) return [...b.subarray(start, start + 4)].join('.')
    if (type === 28 && length === 16) {
      const groups: string[] = []
      for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(start + i).toString(16))
      return groups.join(':')
    }
    if (type === 5 || type === 2 || type === 12) return readName(start).name
    if (type === 16) return b.toString('utf8', start + 1, start + 1 + Math.min(b[start] ?? 0, length - 1))
    return b.toString('hex', start, start + length)
  }
  return {
    id: b.readUInt16BE(0),
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rcode: RCODES[flags & 0xf] ?? String(flags & 0xf),
    flags: {
      aa: (flags & 0x400) !== 0,
      tc: (flags & 0x200) !== 0,
      rd: (flags & 0x100) !== 0,
      ra: (flags & 0x80) !== 0
    },
    questions,
    answers: sections[0] ?? [],
    authorities: sections[1] ?? [],
    additionals: sections[2] ?? []
  }
}

function typeName(t: number): string {
  return TYPES[t] ?? `TYPE${t}`
}

/** Parse or null: for telling DNS datagrams apart from other UDP payloads in a trace. */
export function tryParseDnsMessage(bytes: Uint8Array): DnsMessage | null {
  try {
    const m = parseDnsMessage(bytes)
    // A datagram that parses but asks nothing and answers nothing is almost surely not DNS.
    return m.questions.length > 0 && m.opcode === 0 ? m : null
  } catch {
    return null
  }
}

export function dnsSummary(m: DnsMessage): string {
  const q = m.questions.map((x) => `${x.name} ${x.type}`).join(', ')
  if (!m.isResponse) return `query id=${m.id} ${q}`
  const a = m.answers.map((x) => `${x.type} ${x.data}`).join(', ')
  return `answer id=${m.id} ${m.rcode} ${q}${a ? ` -> ${a}` : ''}`
}
