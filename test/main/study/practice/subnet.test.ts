// Subnet generators, checked against Node's own address matcher (net.BlockList) and a
// bit-string computation that shares no code with the generators.
import { BlockList } from 'node:net'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../src/shared/seeded-random'
import { generatePractice, type PracticeItem, type PracticeKind } from '../../../../src/main/study/practice'

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 7919 + 1)

function make(kind: PracticeKind, seed: number): PracticeItem {
  return generatePractice(kind, seededRandom(seed))
}

/** The address as 32 characters of 0 and 1. */
function bits(address: string): string {
  return address
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('')
}

function fromBits(b: string): string {
  return [0, 8, 16, 24].map((i) => parseInt(b.slice(i, i + 8), 2)).join('.')
}

function networkOf(address: string, prefix: number): string {
  return fromBits(bits(address).slice(0, prefix).padEnd(32, '0'))
}

function broadcastOf(address: string, prefix: number): string {
  return fromBits(bits(address).slice(0, prefix).padEnd(32, '1'))
}

function step(address: string, by: number): string {
  return fromBits((parseInt(bits(address), 2) + by).toString(2).padStart(32, '0'))
}

describe('subnet practice', () => {
  it.each(['subnet-network', 'subnet-broadcast', 'subnet-hosts', 'subnet-prefix', 'subnet-member'] as const)(
    '%s: the same seed gives the same item, and other seeds give other numbers',
    (kind) => {
      const a = make(kind, 42)
      const b = make(kind, 42)
      expect({ ...b, check: null }).toEqual({ ...a, check: null })
      const questions = new Set(SEEDS.slice(0, 20).map((s) => make(kind, s).question))
      expect(questions.size).toBeGreaterThan(10)
    }
  )

  it('network and broadcast addresses match a bit-string computation and Node’s BlockList', () => {
    for (const seed of SEEDS) {
      const net = make('subnet-network', seed)
      const { address, prefix } = net.inputs as { address: string; prefix: number }
      expect(net.expected).toBe(networkOf(address, prefix))
      expect(net.check(net.expected)).toBe(true)
      expect(net.check(`${net.expected}/${prefix}`)).toBe(true)
      expect(net.check(address === net.expected ? step(address, 1) : address)).toBe(false)
      expect(net.check(`${net.expected}/${prefix === 30 ? 29 : prefix + 1}`)).toBe(false)

      const bc = make('subnet-broadcast', seed)
      const drawn = bc.inputs as { address: string; prefix: number }
      expect(bc.expected).toBe(broadcastOf(drawn.address, drawn.prefix))
      const list = new BlockList()
      list.addSubnet(networkOf(drawn.address, drawn.prefix), drawn.prefix, 'ipv4')
      expect(list.check(drawn.address, 'ipv4')).toBe(true)
      expect(list.check(bc.expected, 'ipv4')).toBe(true)
      if (bc.expected !== '255.255.255.255') expect(list.check(step(bc.expected, 1), 'ipv4')).toBe(false)
      expect(bc.check(bc.expected)).toBe(true)
      expect(bc.check(step(bc.expected, -1))).toBe(false)
    }
  })

  it('the host range is network + 1 to broadcast - 1, in any of the accepted separators', () => {
    for (const seed of SEEDS) {
      const item = make('subnet-hosts', seed)
      const { address, prefix } = item.inputs as { address: string; prefix: number }
      const first = step(networkOf(address, prefix), 1)
      const last = step(broadcastOf(address, prefix), -1)
      expect(item.expected).toBe(`${first} - ${last}`)
      for (const typed of [
        `${first} - ${last}`,
        `${first}-${last}`,
        `${first} to ${last}`,
        `${first}, ${last}`,
        `${first} – ${last}`
      ]) {
        expect(item.check(typed)).toBe(true)
      }
      expect(item.check(`${networkOf(address, prefix)} - ${broadcastOf(address, prefix)}`)).toBe(false)
      expect(item.check(`${last} - ${first}`)).toBe(false)
      expect(item.check(first)).toBe(false)
    }
  })

  it('the prefix length is the count of one bits in the mask', () => {
    for (const seed of SEEDS) {
      const item = make('subnet-prefix', seed)
      const { mask } = item.inputs as { mask: string }
      const ones = [...bits(mask)].filter((b) => b === '1').length
      expect(bits(mask)).toBe('1'.repeat(ones).padEnd(32, '0'))
      expect(item.expected).toBe(`/${ones}`)
      expect(item.check(`/${ones}`)).toBe(true)
      expect(item.check(String(ones))).toBe(true)
      expect(item.check(`${ones} bits`)).toBe(true)
      expect(item.check(`${ones} hosts`)).toBe(false)
      expect(item.check(String(ones + 1))).toBe(false)
      expect(item.check(mask)).toBe(false)
    }
  })

  it('membership agrees with BlockList, and both answers occur', () => {
    const seen = new Set<string>()
    for (const seed of SEEDS) {
      const item = make('subnet-member', seed)
      const { network, prefix, candidate } = item.inputs as { network: string; prefix: number; candidate: string }
      const list = new BlockList()
      list.addSubnet(network, prefix, 'ipv4')
      const inside = list.check(candidate, 'ipv4')
      expect(item.expected).toBe(inside ? 'yes' : 'no')
      expect(item.check(inside ? 'Yes' : 'no.')).toBe(true)
      expect(item.check(inside ? 'no' : 'yes')).toBe(false)
      expect(item.check('maybe')).toBe(false)
      seen.add(item.expected)
    }
    expect(seen).toEqual(new Set(['yes', 'no']))
  })
})
