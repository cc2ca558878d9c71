// Test-side helpers: the hierarchy, a fake clock for TTLs, your resolver pointed at the root, and
// readable lists of what came back.
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import dns from 'node:dns'
import { note, withTimeout } from 'retransmit:test'
import { startHierarchy, type Hierarchy } from './authorities'
import { startResolver, type DnsRecord, type RecursiveResolver, type Resolution } from './solution'

const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 28: 'AAAA' }
export const show = (rs: DnsRecord[]): string =>
  rs.length
    ? rs.map((r) => `${r.name} ${r.ttl} ${TYPE_NAMES[r.type] ?? r.type} ${r.address ?? r.target ?? ''}`).join('; ')
    : '(none)'

export interface Setup {
  h: Hierarchy
  r: RecursiveResolver
  /** Moves the resolver's clock on, seconds. */
  advance(seconds: number): void
  resolve(name: string, type: number): Promise<Resolution>
  close(): Promise<void>
}

export async function setup(): Promise<Setup> {
  const h = await startHierarchy(note)
  let t = 1_700_000_000_000
  let r: RecursiveResolver
  try {
    r = await startResolver({ roots: h.roots, port: h.port, now: () => t, timeoutMs: 2000 })
  } catch (err) {
    await h.close()
    throw err
  }
  return {
    h,
    r,
    advance: (seconds) => {
      t += seconds * 1000
      note(`(the clock moves on ${seconds} s)`)
    },
    resolve: async (name, type) => {
      const got = await withTimeout(
        r.resolve(name, type),
        6000,
        `resolve('${name}', ${TYPE_NAMES[type]}) did not settle within 6 s`
      )
      note(`resolve ${name} ${TYPE_NAMES[type]} -> rcode ${got.rcode}: ${show(got.answers)}`)
      return got
    },
    close: async () => {
      await r.close()
      await h.close()
    }
  }
}

/** The query counts per server, compared in one go so the message shows the whole walk. */
export function expectCounts(
  s: Setup,
  expected: Partial<Record<keyof Hierarchy['queries'], number>>,
  why: string
): void {
  const counts = s.h.counts()
  const got = Object.fromEntries(Object.keys(expected).map((k) => [k, counts[k as keyof typeof counts]]))
  assert.deepEqual(
    got,
    expected,
    `${why}\n  queries so far: ${Object.entries(s.h.queries)
      .map(([k, v]) => `${k}: [${v.join(', ')}]`)
      .join('; ')}`
  )
}

export function nodeResolver(port: number): dns.promises.Resolver {
  const resolver = new dns.promises.Resolver({ timeout: 5000, tries: 1 })
  resolver.setServers([`127.0.0.1:${port}`])
  return resolver
}

/** One raw query to the resolver; resolves the raw reply. */
export async function rawQuery(port: number, query: Buffer): Promise<Buffer> {
  const socket = dgram.createSocket('udp4')
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const reply = new Promise<Buffer>((resolve) => socket.once('message', (m) => resolve(m)))
    socket.send(query, port, '127.0.0.1')
    return await withTimeout(reply, 6000, `no reply from your resolver within 6 s to ${query.toString('hex')}`)
  } finally {
    socket.close()
  }
}

/** A query as a stub resolver sends it: this ID, RD set, one question (name case kept), type A. */
export function stubQuery(id: number, name: string): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]))
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])])
}
