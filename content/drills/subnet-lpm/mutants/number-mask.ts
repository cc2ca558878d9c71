// Bug: builds the IPv4 mask with 32-bit JavaScript shifts, so /0 gets the mask 255.255.255.255 (a shift by 32 is a shift by 0).
// Subnets and longest-prefix match, IPv4 and IPv6, on BigInt addresses so both families share one
// code path: parse, mask, compare. Text forms: dotted quad (RFC 791) and RFC 5952 for IPv6.

export type Family = 4 | 6

export interface SubnetInfo {
  family: Family
  /** The prefix with its host bits cleared, e.g. '192.168.10.64/26'. */
  prefix: string
  network: string
  /** IPv4 only: the all-ones host address (RFC 919). IPv6 has no broadcast (RFC 4291 §2). */
  broadcast: string | null
  /** IPv4 only: the dotted-quad mask. */
  mask: string | null
  /** How many addresses the prefix holds. */
  addresses: bigint
  /** First and last usable host: IPv4 leaves out network and broadcast except in /31 and /32 (RFC 3021). */
  firstHost: string
  lastHost: string
}

interface Parsed {
  family: Family
  value: bigint
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 }

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0n
  for (const part of parts) {
    // Decimal only: a leading zero is refused rather than guessed as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null
    value = (value << 8n) | BigInt(part)
  }
  return value
}

function parseIpv6(text: string): bigint | null {
  let rest = text
  let tail: bigint[] = []
  // An embedded IPv4 address takes the last two groups (RFC 4291 §2.2, form 3).
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(rest)
  if (dotted) {
    const v4 = parseIpv4(dotted[2] ?? '')
    if (v4 === null) return null
    tail = [v4 >> 16n, v4 & 0xffffn]
    rest = (dotted[1] ?? '').endsWith('::') ? (dotted[1] ?? '') : (dotted[1] ?? '').slice(0, -1)
  }
  const halves = rest.split('::')
  if (halves.length > 2) return null
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const head = groups(halves[0] ?? '')
  const back = halves.length === 2 ? groups(halves[1] ?? '') : []
  if ([...head, ...back].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null
  const words = [...head.map((g) => BigInt(parseInt(g, 16))), ...back.map((g) => BigInt(parseInt(g, 16)))]
  const total = words.length + tail.length
  if (halves.length === 2 ? total > 7 : total !== 8) return null
  const zeros = halves.length === 2 ? 8 - total : 0
  const all = [
    ...head.map((g) => BigInt(parseInt(g, 16))),
    ...new Array<bigint>(zeros).fill(0n),
    ...back.map((g) => BigInt(parseInt(g, 16))),
    ...tail
  ]
  return all.reduce((acc, w) => (acc << 16n) | w, 0n)
}

export function parseAddress(text: string): Parsed {
  const v4 = parseIpv4(text)
  if (v4 !== null) return { family: 4, value: v4 }
  if (text.includes(':')) {
    const v6 = parseIpv6(text)
    if (v6 !== null) return { family: 6, value: v6 }
  }
  throw new RangeError(`not an IPv4 or IPv6 address: ${JSON.stringify(text)}`)
}

/** Dotted quad, or RFC 5952: lower case, no leading zeros, the longest run of 2+ zero groups as '::' (the first if tied). */
export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.')
  // IPv4-mapped addresses keep the IPv4 part dotted (RFC 5952 §5).
  if (value >> 32n === 0xffffn) return `::ffff:${formatAddress(4, value & 0xffffffffn)}`
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn))
  let best = -1
  let bestLength = 1
  for (let i = 0; i < 8;) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      best = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`
}

function maskOf(family: Family, length: number): bigint {
  if (family === 4) return BigInt((0xffffffff << (32 - length)) >>> 0)
  const bits = BigInt(BITS[family])
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(length))) - 1n)
}

function parsePrefix(cidr: string): { family: Family; network: bigint; length: number } {
  const slash = cidr.indexOf('/')
  if (slash < 0) throw new RangeError(`missing '/length' in ${JSON.stringify(cidr)}`)
  const { family, value } = parseAddress(cidr.slice(0, slash))
  const lengthText = cidr.slice(slash + 1)
  const length = Number(lengthText)
  if (!/^\d{1,3}$/.test(lengthText) || length > BITS[family])
    throw new RangeError(`bad prefix length in ${JSON.stringify(cidr)}: 0 to ${BITS[family]}`)
  return { family, network: value & maskOf(family, length), length }
}

export function subnetInfo(cidr: string): SubnetInfo {
  const { family, network, length } = parsePrefix(cidr)
  const bits = BITS[family]
  const size = 1n << BigInt(bits - length)
  const last = network + size - 1n
  const fmt = (v: bigint) => formatAddress(family, v)
  // IPv4 reserves the network and broadcast addresses, except on /31 links and /32 host routes.
  const reserved = family === 4 && length <= 30
  return {
    family,
    prefix: `${fmt(network)}/${length}`,
    network: fmt(network),
    broadcast: family === 4 ? fmt(last) : null,
    mask: family === 4 ? fmt(maskOf(4, length)) : null,
    addresses: size,
    firstHost: fmt(reserved ? network + 1n : network),
    lastHost: fmt(reserved ? last - 1n : last)
  }
}

export function contains(cidr: string, address: string): boolean {
  const prefix = parsePrefix(cidr)
  const a = parseAddress(address)
  return a.family === prefix.family && (a.value & maskOf(a.family, prefix.length)) === prefix.network
}

interface Route {
  family: Family
  network: bigint
  length: number
  nextHop: string
}

/** A forwarding table: the most specific route that contains the address wins (RFC 1812 §5.2.4.3). */
export class ForwardingTable {
  private routes = new Map<string, Route>()

  /** Adds or replaces the route for `cidr` (host bits are cleared: '10.1.2.3/16' is 10.1.0.0/16). */
  add(cidr: string, nextHop: string): void {
    const p = parsePrefix(cidr)
    this.routes.set(`${p.family}|${p.network}|${p.length}`, { ...p, nextHop })
  }

  remove(cidr: string): boolean {
    const p = parsePrefix(cidr)
    return this.routes.delete(`${p.family}|${p.network}|${p.length}`)
  }

  lookup(address: string): { prefix: string; nextHop: string } | null {
    const a = parseAddress(address)
    let best: Route | null = null
    for (const r of this.routes.values()) {
      if (r.family !== a.family || (a.value & maskOf(r.family, r.length)) !== r.network) continue
      if (!best || r.length > best.length) best = r
    }
    return best ? { prefix: `${formatAddress(best.family, best.network)}/${best.length}`, nextHop: best.nextHop } : null
  }
}
