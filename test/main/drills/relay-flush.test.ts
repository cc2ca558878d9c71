// Regression: after the client half-closed, the server sent its last bytes and FIN and the
// connection closed while the relay still held some of those bytes (latency, fragmenting); the
// relay dropped the rest and the FIN.
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { createRelay, type Relay } from '../../../src/main/drills'

const servers: net.Server[] = []
const relays: Relay[] = []
afterAll(async () => {
  for (const relay of relays) await relay.close()
  for (const server of servers) server.close()
})

describe('TCP relay', () => {
  it('delivers every queued byte and the FIN after the server has closed', async () => {
    const payload = Buffer.alloc(1012, 7)
    // The server answers once the client has finished sending (a half-close), then ends.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.resume()
      socket.on('end', () => socket.end(payload))
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const relay = await createRelay({
      target: (server.address() as net.AddressInfo).port,
      latencyMs: 30,
      maxSegmentBytes: 100,
      seed: 3
    })
    relays.push(relay)
    const received = await new Promise<{ bytes: number; ended: boolean }>((resolve, reject) => {
      const client = net.connect({ port: relay.port, host: '127.0.0.1', allowHalfOpen: true })
      client.end('request')
      let bytes = 0
      client.on('data', (chunk) => (bytes += chunk.length))
      client.on('end', () => resolve({ bytes, ended: true }))
      client.on('error', reject)
    })
    expect(received).toEqual({ bytes: 1012, ended: true })
  })
})
