import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { stripHostPaths } from '../../../src/main/drills/host-paths'

describe('stripHostPaths', () => {
  it('keeps only the file name of host paths', () => {
    expect(stripHostPaths('at /tmp/retransmit-drills-x1/drill-child.cjs:3:9')).toBe('at drill-child.cjs:3:9')
    expect(stripHostPaths(`error in ${tmpdir()}/a/b/solution.ts`)).toBe('error in solution.ts')
    expect(stripHostPaths('file:///home/ana/app/out/main/cli.js')).toBe('cli.js')
    expect(stripHostPaths('C:\\Users\\ana\\app\\child.cjs:1')).toBe('child.cjs:1')
  })

  it('leaves URL paths and request targets alone (regression: `GET /api/orders` lost its path)', () => {
    expect(stripHostPaths('expected GET /api/orders?limit=2 to reach pool b')).toBe(
      'expected GET /api/orders?limit=2 to reach pool b'
    )
    expect(stripHostPaths('http://127.0.0.1:8080/api/v1/users')).toBe('http://127.0.0.1:8080/api/v1/users')
    expect(stripHostPaths('routes /static/app.js and /health')).toBe('routes /static/app.js and /health')
  })
})
