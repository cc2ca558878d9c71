import { afterAll, expect, it } from 'vitest'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'

afterAll(() => shutdownRunner())

it('smoke', async () => {
  const r = await runDrill({ drill: codeOnlyDrill(), code: "import net from 'node:net'\nexport async function main() { console.log('hi'); const s = net.createServer(c => c.end('yo')); await new Promise<void>(r => s.listen(0, r)); const p = (s.address() as net.AddressInfo).port; const c = net.connect(p, '127.0.0.1'); c.resume(); await new Promise(r => c.on('end', r)); s.close() }\n", mode: 'run' })
  expect(r.status).toBe('pass')
  for (const code of ["import fs from 'node:fs'\nexport function main() {}", "export function main() { let x: = 1 }", "export async function main() { await import('node:fs' + '') }", "export function main() { process.exit(1) }", "export function main() { throw new TypeError('boom') }", "import net from 'node:net'\nexport function main() { net.connect(53, '8.8.8.8') }", "export function main() { while (true) {} }"]) {
    const t0 = Date.now()
    const r2 = await runDrill({ drill: codeOnlyDrill({ timeLimitMs: 1500 }), code, mode: 'run' })
    console.log(Date.now() - t0, r2.status, JSON.stringify(r2.message), JSON.stringify(r2.tests))
  }
})
