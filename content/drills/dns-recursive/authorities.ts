// Test side: a small DNS hierarchy on loopback, written apart from the learner's code. Every
// server listens on one UDP port (as all listen on 53 in the wild), each on its own loopback
// address: the root, the TLDs `test` and `example`, the zone `shop.test`, and a host serving
// `dnshost.example` and `cdn.test`, one that never answers, and one that lies. Each server counts the queries it gets and logs them (to the
// trace, in the tests), so a test can tell a cache hit from a walk down the tree. Node built-ins
// only: real-peers-resolver.test.ts runs it on the host for dig and kdig.
import dgram from 'node:dgram'

type Rr = { name: string; type: 'A' | 'NS' | 'CNAME' | 'SOA'; ttl: number; value: string }
const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6 } as const
const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 28: 'AAAA' }

export const ADDR = {
  root: '127.0.0.10',
  test: '127.0.0.20',
  example: '127.0.0.21',
  shop: '127.0.0.30',
  dnshost: '127.0.0.40',
  silent: '127.0.0.31',
  evil: '127.0.0.66'
}

const soa = (zone: string, ttl: number, minimum: number): Rr => ({
  name: zone,
  type: 'SOA',
  ttl,
  value: `ns1.${zone || 'root'} hostmaster.${zone || 'root'} 2026120301 7200 900 1209600 ${minimum}`
})

/** Zones per server: which names each is authoritative for, and the records (delegations too). */
const SERVERS: Record<keyof typeof ADDR, { zones: string[]; records: Rr[] }> = {
  root: {
    zones: [''],
    records: [
      soa('', 86400, 3600),
      { name: 'test', type: 'NS', ttl: 172800, value: 'ns1.nic.test' },
      { name: 'ns1.nic.test', type: 'A', ttl: 172800, value: ADDR.test },
      { name: 'example', type: 'NS', ttl: 172800, value: 'ns1.nic.example' },
      { name: 'ns1.nic.example', type: 'A', ttl: 172800, value: ADDR.example }
    ]
  },
  test: {
    zones: ['test'],
    records: [
      soa('test', 3600, 300),
      { name: 'shop.test', type: 'NS', ttl: 3600, value: 'ns1.shop.test' },
      { name: 'ns1.shop.test', type: 'A', ttl: 3600, value: ADDR.shop },
      // Out-of-bailiwick "glue": the test. servers have no say over names under example.
      { name: 'ns.dnshost.example', type: 'A', ttl: 86400, value: ADDR.evil },
      { name: 'cdn.test', type: 'NS', ttl: 3600, value: 'ns.dnshost.example' },
      // Two servers for backup.test: the first is down (bound, never answers).
      { name: 'backup.test', type: 'NS', ttl: 3600, value: 'ns-a.backup.test' },
      { name: 'backup.test', type: 'NS', ttl: 3600, value: 'ns-b.backup.test' },
      { name: 'ns-a.backup.test', type: 'A', ttl: 3600, value: ADDR.silent },
      { name: 'ns-b.backup.test', type: 'A', ttl: 3600, value: ADDR.shop }
    ]
  },
  example: {
    zones: ['example'],
    records: [
      soa('example', 3600, 300),
      { name: 'dnshost.example', type: 'NS', ttl: 3600, value: 'ns.dnshost.example' },
      { name: 'ns.dnshost.example', type: 'A', ttl: 3600, value: ADDR.dnshost }
    ]
  },
  shop: {
    zones: ['shop.test', 'backup.test'],
    records: [
      soa('shop.test', 3600, 60),
      { name: 'shop.test', type: 'NS', ttl: 3600, value: 'ns1.shop.test' },
      { name: 'ns1.shop.test', type: 'A', ttl: 3600, value: ADDR.shop },
      { name: 'www.shop.test', type: 'A', ttl: 300, value: '192.0.2.10' },
      { name: 'www.shop.test', type: 'A', ttl: 300, value: '192.0.2.11' },
      { name: 'alias.shop.test', type: 'CNAME', ttl: 600, value: 'www.shop.test' },
      { name: 'cdn-alias.shop.test', type: 'CNAME', ttl: 600, value: 'edge.cdn.test' },
      { name: 'loop1.shop.test', type: 'CNAME', ttl: 600, value: 'loop2.shop.test' },
      { name: 'loop2.shop.test', type: 'CNAME', ttl: 600, value: 'loop1.shop.test' },
      { name: 'spoofed.shop.test', type: 'A', ttl: 300, value: '192.0.2.99' },
      soa('backup.test', 3600, 60),
      { name: 'backup.test', type: 'NS', ttl: 3600, value: 'ns-a.backup.test' },
      { name: 'backup.test', type: 'NS', ttl: 3600, value: 'ns-b.backup.test' },
      { name: 'www.backup.test', type: 'A', ttl: 300, value: '192.0.2.77' }
    ]
  },
  dnshost: {
    zones: ['dnshost.example', 'cdn.test'],
    records: [
      soa('dnshost.example', 3600, 300),
      soa('cdn.test', 3600, 300),
      { name: 'dnshost.example', type: 'NS', ttl: 3600, value: 'ns.dnshost.example' },
      { name: 'ns.dnshost.example', type: 'A', ttl: 3600, value: ADDR.dnshost },
      { name: 'cdn.test', type: 'NS', ttl: 3600, value: 'ns.dnshost.example' },
      { name: 'edge.cdn.test', type: 'A', ttl: 60, value: '198.51.100.7' }
    ]
  },
  // Down: takes every query and never answers.
  silent: { zones: [''], records: [] },
  // Answers every question with a lie: only a resolver that believed the bad glue comes here.
  evil: { zones: [''], records: [] }
}

const under = (name: string, zone: string) => zone === '' || name === zone || name.endsWith(`.${zone}`)

function nameBytes(name: string): Buffer {
  const labels = name.split('.').filter(Boolean)
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0])
  ])
}

function rrBytes(rr: Rr): Buffer {
  let rdata: Buffer
  if (rr.type === 'A') rdata = Buffer.from(rr.value.split('.').map(Number))
  else if (rr.type === 'SOA') {
    const [mname, rname, ...nums] = rr.value.split(' ')
    const tail = Buffer.alloc(20)
    nums.forEach((n, i) => tail.writeUInt32BE(Number(n), 4 * i))
    rdata = Buffer.concat([nameBytes(mname!), nameBytes(rname!), tail])
  } else rdata = nameBytes(rr.value)
  const fixed = Buffer.alloc(10)
  fixed.writeUInt16BE(TYPES[rr.type], 0)
  fixed.writeUInt16BE(1, 2)
  fixed.writeUInt32BE(rr.ttl, 4)
  fixed.writeUInt16BE(rdata.length, 8)
  return Buffer.concat([nameBytes(rr.name), fixed, rdata])
}

interface Answer {
  rcode: number
  aa: boolean
  answer: Rr[]
  authority: Rr[]
  additional: Rr[]
  summary: string
}

/** RFC 1034 §4.3.2, cut down: a referral below a zone cut, else data, CNAME, NODATA or NXDOMAIN. */
function answer(server: keyof typeof ADDR, qname: string, qtype: number): Answer {
  const { zones, records } = SERVERS[server]
  if (server === 'evil')
    return {
      rcode: 0,
      aa: true,
      answer: qtype === 1 ? [{ name: qname, type: 'A', ttl: 86400, value: '203.0.113.66' }] : [],
      authority: [],
      additional: [],
      summary: 'a forged answer'
    }
  const zone = zones.filter((z) => under(qname, z)).sort((a, b) => b.length - a.length)[0]
  if (zone === undefined)
    return { rcode: 5, aa: false, answer: [], authority: [], additional: [], summary: 'REFUSED (not my zone)' }
  const cut = records.find((r) => r.type === 'NS' && r.name !== zone && under(qname, r.name) && under(r.name, zone))
  if (cut) {
    const ns = records.filter((r) => r.type === 'NS' && r.name === cut.name)
    const glue = records.filter((r) => r.type === 'A' && ns.some((n) => n.value === r.name))
    return {
      rcode: 0,
      aa: false,
      answer: [],
      authority: ns,
      additional: glue,
      summary: `referral to ${cut.name}. (${ns.map((n) => n.value).join(', ')}${glue.length ? `; glue ${glue.map((g) => `${g.name} ${g.value}`).join(', ')}` : '; no glue'})`
    }
  }
  const own = records.filter((r) => r.name === qname && r.type !== 'SOA' && under(r.name, zone))
  const wanted = own.filter((r) => TYPES[r.type] === qtype)
  if (wanted.length)
    return {
      rcode: 0,
      aa: true,
      answer: wanted,
      authority: [],
      additional: [],
      summary: wanted.map((r) => `${r.type} ${r.value}`).join(', ')
    }
  const cname = own.find((r) => r.type === 'CNAME')
  if (cname) {
    // Follow the alias inside this server's own data, as an authoritative server does (§4.3.2 step 3a).
    const more = records.filter((r) => r.name === cname.value && TYPES[r.type] === qtype && under(r.name, zone))
    return {
      rcode: 0,
      aa: true,
      answer: [cname, ...more],
      authority: [],
      additional: [],
      summary: `CNAME ${cname.value}${more.length ? ` and its ${more.length} record(s)` : ''}`
    }
  }
  const soaRr = records.find((r) => r.type === 'SOA' && r.name === zone)!
  const exists = records.some((r) => under(r.name, qname) && r.type !== 'SOA') || qname === zone
  if (exists)
    return { rcode: 0, aa: true, answer: [], authority: [soaRr], additional: [], summary: 'NODATA (SOA in authority)' }
  return { rcode: 3, aa: true, answer: [], authority: [soaRr], additional: [], summary: 'NXDOMAIN (SOA in authority)' }
}

function readQuestion(msg: Buffer): { name: string; type: number; end: number } | null {
  const labels: string[] = []
  let pos = 12
  while (pos < msg.length && msg[pos]! !== 0) {
    const len = msg[pos]!
    if (len > 63) return null
    labels.push(msg.toString('ascii', pos + 1, pos + 1 + len))
    pos += 1 + len
  }
  if (pos + 5 > msg.length) return null
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(pos + 1), end: pos + 5 }
}

export interface Hierarchy {
  port: number
  roots: Array<{ name: string; address: string }>
  /** Queries each server got, as 'name TYPE'. */
  queries: Record<keyof typeof ADDR, string[]>
  /** How many queries each server has had so far. */
  counts(): Record<keyof typeof ADDR, number>
  close(): Promise<void>
}

/** `log` gets one line per query (the tests pass `note`, so the trace shows the walk). */
export async function startHierarchy(log: (line: string) => void = () => {}): Promise<Hierarchy> {
  const queries = Object.fromEntries(Object.keys(ADDR).map((k) => [k, [] as string[]])) as Record<
    keyof typeof ADDR,
    string[]
  >
  const sockets: dgram.Socket[] = []
  let port = 0
  for (const server of Object.keys(ADDR) as Array<keyof typeof ADDR>) {
    const socket = dgram.createSocket('udp4')
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        socket.bind(port, ADDR[server], () => resolve())
      })
    } catch (err) {
      sockets.forEach((s) => s.close())
      throw new Error(
        `could not bind ${ADDR[server]}:${port} (${(err as Error).message}). This drill puts each server on its own loopback address; Linux and Windows route all of 127.0.0.0/8 to loopback, macOS needs 'sudo ifconfig lo0 alias ${ADDR[server]}'`
      )
    }
    if (port === 0) port = socket.address().port
    sockets.push(socket)
    socket.on('message', (msg, rinfo) => {
      const q = msg.length >= 12 && !(msg[2]! & 0x80) ? readQuestion(msg) : null
      if (!q) return
      if (server === 'silent') {
        queries[server].push(`${q.name} ${TYPE_NAMES[q.type] ?? q.type}`)
        log(
          `silent server ${ADDR[server]} asked ${q.name} ${TYPE_NAMES[q.type] ?? q.type}: no reply (this server is down)`
        )
        return
      }
      const a = answer(server, q.name, q.type)
      queries[server].push(`${q.name} ${TYPE_NAMES[q.type] ?? q.type}`)
      log(
        `${server} server ${ADDR[server]} asked ${q.name || '.'} ${TYPE_NAMES[q.type] ?? q.type}${msg[2]! & 0x01 ? ' (RD set: servers do not recurse)' : ''}: ${a.summary}`
      )
      const header = Buffer.alloc(12)
      msg.copy(header, 0, 0, 2)
      header.writeUInt16BE(0x8000 | (a.aa ? 0x0400 : 0) | (msg.readUInt16BE(2) & 0x0100) | a.rcode, 2)
      header.writeUInt16BE(1, 4)
      header.writeUInt16BE(a.answer.length, 6)
      header.writeUInt16BE(a.authority.length, 8)
      header.writeUInt16BE(a.additional.length, 10)
      const reply = Buffer.concat([
        header,
        msg.subarray(12, q.end),
        ...[...a.answer, ...a.authority, ...a.additional].map(rrBytes)
      ])
      if (server === 'shop' && q.name === 'spoofed.shop.test') {
        // An off-path forger races the real answer: right server and port, wrong ID.
        const forged = Buffer.from(answerWithAddress(reply, '203.0.113.99'))
        forged.writeUInt16BE(forged.readUInt16BE(0) ^ 0x5a5a, 0)
        socket.send(forged, rinfo.port, rinfo.address)
      }
      socket.send(reply, rinfo.port, rinfo.address)
    })
  }
  return {
    port,
    roots: [{ name: 'a.root.test', address: ADDR.root }],
    queries,
    counts: () =>
      Object.fromEntries(Object.entries(queries).map(([k, v]) => [k, v.length])) as Record<keyof typeof ADDR, number>,
    close: async () => {
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
    }
  }
}

/** The same reply with its (last) A record's address replaced. */
function answerWithAddress(reply: Buffer, address: string): Buffer {
  const copy = Buffer.from(reply)
  Buffer.from(address.split('.').map(Number)).copy(copy, copy.length - 4)
  return copy
}
