// The dns-recursive reference against dig and kdig: they ask the resolver (RD set), which walks
// the drill's own hierarchy of authoritative servers (content/drills/dns-recursive/authorities.ts,
// Node built-ins only) on loopback. A missing tool skips its test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHierarchy, type Hierarchy } from '../../../content/drills/dns-recursive/authorities'
import { startResolver, type RecursiveResolver } from '../../../content/drills/dns-recursive/solution'
import { has, run } from './helpers/run-tool'

const [dig, kdig] = await Promise.all(['dig', 'kdig'].map(has))
const once = { dig: ['+tries=1', '+time=3'], kdig: ['+retry=0', '+timeout=3'] }

describe.skipIf(!dig || !kdig)('dns-recursive reference against dig and kdig', () => {
  let hierarchy: Hierarchy
  let resolver: RecursiveResolver
  beforeAll(async () => {
    hierarchy = await startHierarchy()
    resolver = await startResolver({ roots: hierarchy.roots, port: hierarchy.port, timeoutMs: 500 })
  })
  afterAll(async () => {
    await resolver.close()
    await hierarchy.close()
  })

  it.each(['dig', 'kdig'] as const)('%s: recursion available, a CNAME chain across zones, NXDOMAIN', async (tool) => {
    const ask = (name: string) => run(tool, ['@127.0.0.1', '-p', String(resolver.port), name, 'A', ...once[tool]])
    const www = await ask('www.shop.test')
    expect(www.stdout).toMatch(/status: NOERROR/)
    expect(www.stdout).toMatch(/flags:[^;]*\bra\b/i)
    expect(www.stdout).not.toMatch(/flags:[^;]*\baa\b/i)
    expect(www.stdout).toMatch(/www\.shop\.test\.\s+\d+\s+IN\s+A\s+192\.0\.2\.10/)
    const alias = await ask('cdn-alias.shop.test')
    expect(alias.stdout).toMatch(/cdn-alias\.shop\.test\.\s+\d+\s+IN\s+CNAME\s+edge\.cdn\.test\./)
    expect(alias.stdout).toMatch(/edge\.cdn\.test\.\s+\d+\s+IN\s+A\s+198\.51\.100\.7/)
    const nx = await ask('nope.shop.test')
    expect(nx.stdout).toMatch(/status: NXDOMAIN/)
    expect(hierarchy.counts().evil).toBe(0)
  })
})
