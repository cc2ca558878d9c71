// Subnets and longest-prefix match for IPv4 and IPv6. See the task for what each export must do.

export type Family = 4 | 6

export interface SubnetInfo {
  family: Family
  prefix: string
  network: string
  broadcast: string | null
  mask: string | null
  addresses: bigint
  firstHost: string
  lastHost: string
}

export function parseAddress(text: string): { family: Family; value: bigint } {
  throw new RangeError(`parseAddress is not written yet (${text})`)
}

export function formatAddress(family: Family, value: bigint): string {
  return `${family}:${value}`
}

export function subnetInfo(cidr: string): SubnetInfo {
  throw new RangeError(`subnetInfo is not written yet (${cidr})`)
}

export function contains(cidr: string, address: string): boolean {
  return cidr.split('/')[0] === address
}

export class ForwardingTable {
  add(cidr: string, nextHop: string): void {
    void cidr
    void nextHop
  }

  remove(cidr: string): boolean {
    void cidr
    return false
  }

  lookup(address: string): { prefix: string; nextHop: string } | null {
    void address
    return null
  }
}
