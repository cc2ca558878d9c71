// IPv4 subnet arithmetic (CIDR, RFC 4632 §3.1): network and broadcast address, usable host range,
// prefix length from a dotted mask, and whether an address lies in a prefix.
import type { Random } from '../../../shared/seeded-random'
import { between, formatIPv4, integerMatches, maskOf, readIPv4, readYesNo } from './answers'
import type { PracticeItem, PracticeKind } from './types'

interface Drawn {
  address: number
  prefix: number
  mask: number
  network: number
  broadcast: number
}

/** A unicast-looking address (first octet 1-223, not 127) and a prefix length in [low, high]. */
function draw(random: Random, low: number, high: number): Drawn {
  let first = between(random, 1, 223)
  if (first === 127) first = 10
  const address = ((first << 24) | between(random, 0, 0xffffff)) >>> 0
  const prefix = between(random, low, high)
  const mask = maskOf(prefix)
  const network = (address & mask) >>> 0
  const broadcast = (network | ~mask) >>> 0
  return { address, prefix, mask, network, broadcast }
}

/** The octet where the prefix ends (0-3), or -1 when the prefix ends on an octet boundary. */
function boundaryOctet(prefix: number): number {
  return prefix % 8 === 0 ? -1 : Math.floor(prefix / 8)
}

function octet(n: number, index: number): number {
  return (n >>> (24 - 8 * index)) & 255
}

/** The shared first part of every subnet explanation: the mask, and the block size in the octet that matters. */
function workedMask(d: Drawn): string {
  const lines = [`/${d.prefix} keeps the first ${d.prefix} bits: mask ${formatIPv4(d.mask)}.`]
  const index = boundaryOctet(d.prefix)
  if (index === -1) {
    lines.push(`The prefix ends on an octet boundary, so whole octets are either kept or zeroed.`)
  } else {
    const block = 256 - octet(d.mask, index)
    const value = octet(d.address, index)
    const start = value - (value % block)
    lines.push(
      `In octet ${index + 1} the mask is ${octet(d.mask, index)}, so subnets there step in blocks of 256 - ${octet(d.mask, index)} = ${block}.`,
      `${formatIPv4(d.address)} has ${value} in that octet; the block holding it runs from ${start} to ${start + block - 1}.`
    )
  }
  lines.push(
    `Network: host bits all zero, ${formatIPv4(d.network)}. Broadcast: host bits all one, ${formatIPv4(d.broadcast)}.`
  )
  return lines.map((l) => `- ${l}`).join('\n')
}

function addressItem(kind: PracticeKind, d: Drawn, question: string, answer: number, last: string): PracticeItem {
  return {
    kind,
    inputs: { address: formatIPv4(d.address), prefix: d.prefix },
    question,
    expected: formatIPv4(answer),
    worked: `${workedMask(d)}\n- ${last}`,
    check: (text) => {
      // "10.1.4.0" or "10.1.4.0/22" (the prefix, if given, must be the one asked about).
      const [addr, prefix, ...rest] = text.trim().split('/')
      if (rest.length || (prefix !== undefined && !integerMatches(prefix, d.prefix))) return false
      return readIPv4(addr ?? '') === answer
    }
  }
}

export function subnetNetwork(random: Random): PracticeItem {
  const d = draw(random, 8, 30)
  return addressItem(
    'subnet-network',
    d,
    `What is the network address of **${formatIPv4(d.address)}/${d.prefix}**?`,
    d.network,
    `The answer is the network address, ${formatIPv4(d.network)}.`
  )
}

export function subnetBroadcast(random: Random): PracticeItem {
  const d = draw(random, 8, 30)
  return addressItem(
    'subnet-broadcast',
    d,
    `What is the broadcast address of the subnet **${formatIPv4(d.address)}/${d.prefix}**?`,
    d.broadcast,
    `The answer is the broadcast address, ${formatIPv4(d.broadcast)}.`
  )
}

export function subnetHosts(random: Random): PracticeItem {
  const d = draw(random, 16, 30)
  const first = d.network + 1
  const last = d.broadcast - 1
  const count = 2 ** (32 - d.prefix) - 2
  return {
    kind: 'subnet-hosts',
    inputs: { address: formatIPv4(d.address), prefix: d.prefix },
    question:
      `What is the usable host range of **${formatIPv4(d.address)}/${d.prefix}**? ` +
      `Type the first and the last usable address, separated by a dash (\`a.b.c.d - e.f.g.h\`).`,
    expected: `${formatIPv4(first)} - ${formatIPv4(last)}`,
    worked:
      `${workedMask(d)}\n- Usable hosts lie strictly between them: ${formatIPv4(first)} to ${formatIPv4(last)}, ` +
      `2^${32 - d.prefix} - 2 = ${count.toLocaleString('en-US')} addresses.`,
    check: (text) => {
      const parts = text
        .trim()
        .split(/\s*(?:-|–|—|\bto\b|,)\s*|\s+/)
        .filter(Boolean)
      return parts.length === 2 && readIPv4(parts[0]!) === first && readIPv4(parts[1]!) === last
    }
  }
}

export function subnetPrefix(random: Random): PracticeItem {
  const prefix = between(random, 8, 30)
  const mask = maskOf(prefix)
  const index = boundaryOctet(prefix)
  const ones = index === -1 ? null : octet(mask, index).toString(2).padStart(8, '0')
  return {
    kind: 'subnet-prefix',
    inputs: { mask: formatIPv4(mask), prefix },
    question: `What prefix length does the subnet mask **${formatIPv4(mask)}** stand for? (Type it as \`/n\` or \`n\`.)`,
    expected: `/${prefix}`,
    worked: [
      `- Count the one bits: each 255 octet gives 8.`,
      ones === null
        ? `- ${prefix / 8} octets of 255 give ${prefix} bits; the rest are zero.`
        : `- ${Math.floor(prefix / 8)} octets of 255 give ${8 * Math.floor(prefix / 8)}; the next octet, ${octet(mask, index)} = ${ones} in binary, adds ${prefix % 8}.`,
      `- Total: /${prefix}.`
    ].join('\n'),
    check: (text) => integerMatches(text, prefix, { bit: 1, bits: 1 })
  }
}

export function subnetMember(random: Random): PracticeItem {
  const d = draw(random, 12, 29)
  const size = d.broadcast - d.network + 1
  // Half the time an address inside; otherwise one just outside, the case people get wrong.
  const inside = random() < 0.5
  let candidate: number
  if (inside) candidate = d.network + between(random, 0, size - 1)
  else {
    const gap = between(random, 1, Math.min(size, 256))
    const below = d.network - gap
    const above = d.broadcast + gap
    candidate = (random() < 0.5 && below >= 0) || above > 0xffffffff ? below : above
  }
  candidate >>>= 0
  const belongs = (candidate & d.mask) >>> 0 === d.network
  return {
    kind: 'subnet-member',
    inputs: { network: formatIPv4(d.network), prefix: d.prefix, candidate: formatIPv4(candidate) },
    question: `Does **${formatIPv4(candidate)}** belong to **${formatIPv4(d.network)}/${d.prefix}**? (yes or no)`,
    expected: belongs ? 'yes' : 'no',
    worked: [
      `- /${d.prefix} means mask ${formatIPv4(d.mask)}; the subnet runs from ${formatIPv4(d.network)} to ${formatIPv4(d.broadcast)}.`,
      `- ${formatIPv4(candidate)} AND ${formatIPv4(d.mask)} = ${formatIPv4((candidate & d.mask) >>> 0)}, ` +
        (belongs
          ? `which is the network address: it belongs.`
          : `which is not ${formatIPv4(d.network)}: it does not belong.`)
    ].join('\n'),
    check: (text) => readYesNo(text) === belongs
  }
}
