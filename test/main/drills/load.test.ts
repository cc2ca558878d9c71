// The sandbox under sustained use: 100 runs one after another each give their own right result,
// and what every run opened (its listening server) is gone once it ends.
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { runDrill, shutdownRunner } from '../../../src/main/drills/index'
import { codeOnlyDrill } from './helpers/drill-builder'

afterAll(() => shutdownRunner())

/**
 * True when a run's server still answers on its port with that run's number. Another process may
 * have taken the same port number since (other suites run beside this one, and with the kernel
 * layer each run's ports live in its own network namespace), so a mere listener is not enough.
 */
function runStillAnswers(port: number, n: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let got = ''
    socket.setTimeout(2000, () => socket.destroy())
    socket.on('data', (d) => (got += d))
    socket.once('error', () => resolve(false))
    socket.once('close', () => resolve(got === String(n)))
  })
}

describe('load', () => {
  it('100 runs in a row all finish with their own results and leave no port open', async () => {
    // Each run echoes its own number through a real TCP server and deliberately leaves the
    // server listening; the run's end must close it.
    const code = (n: number) =>
      `import net from 'node:net'\nexport async function main() { const s = net.createServer((c) => c.end('${n}')); await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)); const port = (s.address() as net.AddressInfo).port; const c = net.connect(port, '127.0.0.1'); let got = ''; c.on('data', (d) => (got += d)); await new Promise((r) => c.on('end', r)); console.log(port + ' ' + got) }`
    const ports: number[] = []
    for (let n = 0; n < 100; n++) {
      const result = await runDrill({ drill: codeOnlyDrill({ timeLimitMs: 10_000 }), code: code(n), mode: 'run' })
      expect(result.status, result.message).toBe('pass')
      const [port, echoed] = result.output.trim().split(' ')
      expect(echoed).toBe(String(n))
      ports.push(Number(port))
    }
    const stillOpen: number[] = []
    for (const [n, port] of ports.entries()) if (await runStillAnswers(port, n)) stillOpen.push(port)
    expect(stillOpen).toEqual([])
    // Each run starts a fresh sandbox process (namespaces, lockdown): sized for a busy 2-core machine.
  }, 240_000)
})
