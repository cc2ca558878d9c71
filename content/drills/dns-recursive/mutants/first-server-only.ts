// Bug: asks only the first server of a zone and gives up (SERVFAIL) when it does not answer, ignoring the others in the NS set.
// A recursive DNS resolver (RFC 1034 §5.3.3, RFC 1035 §4, RFC 2308): iterates from the root through
// referrals and glue, follows CNAMEs, and caches answers and negative answers for their TTLs.
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

/** Sends one query (RD clear: we iterate ourselves) and resolves the first reply with its ID, or null. */
export function queryUpstream(
  address: string,
  port: number,
  question: DnsQuestion,
  timeoutMs: number
): Promise<DnsMessage | null> {
  const id = Math.floor(Math.random() * 0x10000)
  const socket = dgram.createSocket('udp4')
  return new Promise((resolve) => {
    const done = (m: DnsMessage | null) => {
      clearTimeout(timer)
      socket.close()
      resolve(m)
    }
    const timer = setTimeout(() => done(null), timeoutMs)
    socket.on('error', () => done(null))
    socket.on('message', (msg, rinfo) => {
      let m: DnsMessage
      try {
        m = parseMessage(msg)
      } catch {
        return
      }
      // Only the server we asked, answering the ID we sent (RFC 5452 §9.1): anything else is a forgery.
      if (rinfo.address !== address || rinfo.port !== port || m.id !== id || !(m.flags & FLAG.QR)) return
      done(m)
    })
    socket.send(encodeMessage({ id, flags: 0, questions: [question] }), port, address)
  })
}

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

/** Longest CNAME chain followed before giving up (SERVFAIL): also what stops a loop. */
const MAX_CNAMES = 8
/** Referrals followed for one name before giving up. */
const MAX_REFERRALS = 16
/** How deep a glueless delegation may nest (resolving a server's name to reach a server). */
const MAX_DEPTH = 4

interface Entry {
  records: DnsRecord[]
  /** Clock time (ms) when the RRset stops being usable. */
  expires: number
}

type Lookup = { rcode: number; records: DnsRecord[]; cname?: DnsRecord }

export async function startResolver(options: ResolverOptions): Promise<RecursiveResolver> {
  const now = options.now ?? (() => Date.now())
  const timeoutMs = options.timeoutMs ?? 1000
  /** `name|type` -> RRset; `name|NX` -> NXDOMAIN; an empty RRset is NODATA. */
  const cache = new Map<string, Entry>()

  const key = (name: string, type: number | 'NX') => `${normalize(name)}|${type}`
  const remember = (k: string, records: DnsRecord[], ttl: number) =>
    cache.set(k, { records, expires: now() + ttl * 1000 })
  /** An RRset still alive, its TTLs counted down to what is left (RFC 1035 §3.2.1). */
  function recall(k: string): DnsRecord[] | null {
    const e = cache.get(k)
    if (!e) return null
    const left = Math.floor((e.expires - now()) / 1000)
    if (left <= 0) {
      cache.delete(k)
      return null
    }
    return e.records.map((r) => ({ ...r, ttl: left }))
  }
  /** Caches every RRset in `records`, one TTL per set (the lowest, RFC 2181 §5.2). */
  function cacheSets(records: DnsRecord[]): void {
    const sets = new Map<string, DnsRecord[]>()
    for (const r of records) {
      const k = key(r.name, r.type)
      sets.set(k, [...(sets.get(k) ?? []), { ...r, name: normalize(r.name) }])
    }
    for (const [k, set] of sets) remember(k, set, Math.min(...set.map((r) => r.ttl)))
  }
  /** RFC 2308 §5: a negative answer lives min(SOA TTL, SOA MINIMUM); none without an SOA. */
  function cacheNegative(k: string, authority: DnsRecord[]): void {
    const soa = authority.find((r) => r.type === TYPE.SOA && r.soa)
    if (soa) remember(k, [], Math.min(soa.ttl, soa.soa!.minimum))
  }

  /** The closest enclosing zone whose servers' addresses are cached, else the root. */
  function closestServers(name: string): { zone: string; addresses: string[] } {
    const labels = normalize(name).split('.').filter(Boolean)
    for (let i = 0; i < labels.length; i++) {
      const zone = labels.slice(i).join('.')
      const ns = recall(key(zone, TYPE.NS))
      const addresses = (ns ?? []).flatMap((r) => (recall(key(r.target ?? '', TYPE.A)) ?? []).map((a) => a.address!))
      if (addresses.length > 0) return { zone, addresses }
    }
    return { zone: '', addresses: options.roots.map((r) => r.address) }
  }

  async function ask(addresses: string[], question: DnsQuestion): Promise<DnsMessage | null> {
    for (const address of addresses.slice(0, 1)) {
      const reply = await queryUpstream(address, options.port, question, timeoutMs)
      if (reply && (reply.rcode === RCODE.NOERROR || reply.rcode === RCODE.NXDOMAIN)) return reply
    }
    return null
  }

  /** One name, one type, no CNAME following: the cache, else iteration from the closest servers. */
  async function lookup(name: string, type: number, depth: number): Promise<Lookup> {
    const hit = recall(key(name, type))
    if (hit) return { rcode: RCODE.NOERROR, records: hit }
    const alias = type === TYPE.CNAME ? null : recall(key(name, TYPE.CNAME))
    if (alias?.[0]) return { rcode: RCODE.NOERROR, records: [], cname: alias[0] }
    if (recall(key(name, 'NX'))) return { rcode: RCODE.NXDOMAIN, records: [] }

    let servers = closestServers(name)
    for (let step = 0; step < MAX_REFERRALS; step++) {
      const reply = await ask(servers.addresses, { name, type, class: CLASS_IN })
      if (!reply) return { rcode: RCODE.SERVFAIL, records: [] }
      // Only data inside the zone we asked about is believed (the bailiwick rule).
      const trusted = (r: DnsRecord) => isInZone(normalize(r.name), servers.zone)
      const mine = (r: DnsRecord) => normalize(r.name) === normalize(name)
      cacheSets(reply.answers.filter(trusted))
      if (reply.answers.some((r) => mine(r) && r.type === type))
        return { rcode: RCODE.NOERROR, records: recall(key(name, type)) ?? [] }
      const cname = reply.answers.find((r) => mine(r) && r.type === TYPE.CNAME)
      if (cname) return { rcode: RCODE.NOERROR, records: [], cname: recall(key(name, TYPE.CNAME))?.[0] ?? cname }
      if (reply.rcode === RCODE.NXDOMAIN) {
        cacheNegative(key(name, 'NX'), reply.authority)
        return { rcode: RCODE.NXDOMAIN, records: [] }
      }
      const cut = reply.authority.find(
        (r) =>
          r.type === TYPE.NS &&
          trusted(r) &&
          normalize(r.name) !== servers.zone &&
          isInZone(normalize(name), normalize(r.name))
      )
      if (!cut) {
        // NOERROR, no answer, no referral: NODATA (RFC 2308 §2.2).
        cacheNegative(key(name, type), reply.authority)
        return { rcode: RCODE.NOERROR, records: [] }
      }
      const zone = normalize(cut.name)
      const nsSet = reply.authority.filter((r) => r.type === TYPE.NS && normalize(r.name) === zone)
      cacheSets(nsSet)
      const targets = new Set(nsSet.map((r) => normalize(r.target ?? '')))
      cacheSets(reply.additional.filter((r) => r.type === TYPE.A && trusted(r) && targets.has(normalize(r.name))))
      const known = closestServers(name)
      let addresses = known.zone === zone ? known.addresses : []
      if (addresses.length === 0 && depth < MAX_DEPTH) {
        // Glueless: find a server's address first, from the root if need be.
        for (const target of targets) {
          const found = await resolveChain(target, TYPE.A, depth + 1)
          addresses = found.answers.filter((r) => r.type === TYPE.A).map((r) => r.address!)
          if (addresses.length > 0) break
        }
      }
      if (addresses.length === 0) return { rcode: RCODE.SERVFAIL, records: [] }
      servers = { zone, addresses }
    }
    return { rcode: RCODE.SERVFAIL, records: [] }
  }

  /** Follows CNAMEs (RFC 1034 §5.3.3 step 3): the chain goes first in the answer. */
  async function resolveChain(name: string, type: number, depth: number): Promise<Resolution> {
    const chain: DnsRecord[] = []
    let current = normalize(name)
    for (let hops = 0; hops <= MAX_CNAMES; hops++) {
      const found = await lookup(current, type, depth)
      if (found.rcode !== RCODE.NOERROR)
        return { rcode: found.rcode, answers: found.rcode === RCODE.NXDOMAIN ? chain : [] }
      if (!found.cname) return { rcode: RCODE.NOERROR, answers: [...chain, ...found.records] }
      chain.push(found.cname)
      current = normalize(found.cname.target ?? '')
    }
    return { rcode: RCODE.SERVFAIL, answers: [] }
  }

  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg, rinfo) => {
    let query: DnsMessage
    try {
      query = parseMessage(msg)
    } catch {
      return
    }
    const q = query.questions[0]
    if (query.flags & FLAG.QR || !q) return
    const reply = (rcode: number, answers: DnsRecord[]) => {
      const flags = FLAG.QR | (query.flags & (0x7800 | FLAG.RD)) | FLAG.RA | rcode
      socket.send(encodeMessage({ id: query.id, flags, questions: [q], answers }), rinfo.port, rinfo.address)
    }
    if ((query.flags & 0x7800) !== 0) return reply(RCODE.NOTIMP, [])
    resolveChain(q.name, q.type, 0).then(
      (r) => reply(r.rcode, r.answers),
      () => reply(RCODE.SERVFAIL, [])
    )
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  return {
    port: socket.address().port,
    resolve: (name, type) => resolveChain(name, type, 0),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve()))
  }
}
