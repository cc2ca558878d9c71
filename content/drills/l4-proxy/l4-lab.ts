// Test helpers for the L4 proxy drill: named backends that can be killed and revived on the same
// port, and a client that reads each backend's greeting.
import net from 'node:net'
import { withTimeout } from 'retransmit:test'

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * A backend that greets every connection with `<name>\n`, echoes what it receives, and when the
 * client finishes sending (FIN) writes `bye <byte count>\n` and ends.
 */
export async function startBackend(name: string) {
  const sockets = new Set<net.Socket>()
  let accepted = 0
  let server: net.Server | null = null
  let port = 0
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer({ allowHalfOpen: true }, (socket) => {
        accepted += 1
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => {})
        let count = 0
        socket.write(`${name}\n`)
        socket.on('data', (chunk: Buffer) => {
          count += chunk.length
          socket.write(chunk)
        })
        socket.on('end', () => socket.end(`bye ${count}\n`))
      })
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port
        server = s
        resolve()
      })
    })
  await open()
  return {
    name,
    get port() {
      return port
    },
    get accepted() {
      return accepted
    },
    get alive() {
      return server !== null
    },
    /** Stop listening and drop every connection: the machine is gone. */
    async kill() {
      const s = server
      server = null
      for (const socket of sockets) socket.destroy()
      if (s) await new Promise<void>((r) => s.close(() => r()))
    },
    /** Listen again on the same port. */
    revive: open,
    async close() {
      await this.kill()
    }
  }
}

export type TestBackend = Awaited<ReturnType<typeof startBackend>>

export function connect(port: number): Promise<net.Socket> {
  return withTimeout(
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket))
      socket.once('error', reject)
    }),
    2000,
    `could not connect to the proxy on 127.0.0.1:${port}`
  )
}

/** Everything the socket receives until it closes (or `ms` passes), plus how it ended. */
export function collect(socket: net.Socket, ms = 3000): Promise<{ data: Buffer; ended: 'end' | 'error' | 'timeout' }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let ended: 'end' | 'error' | 'timeout' = 'timeout'
    const timer = setTimeout(() => finish(), ms)
    const finish = () => {
      clearTimeout(timer)
      resolve({ data: Buffer.concat(chunks), ended })
    }
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('end', () => (ended = 'end'))
    socket.on('error', () => (ended = 'error'))
    socket.on('close', finish)
  })
}

/** Open a connection, read the greeting line, close. Returns the backend's name. */
export async function whoAnswers(port: number): Promise<string> {
  const socket = await connect(port)
  const result = collect(socket, 2000)
  socket.end()
  const { data } = await result
  return data.toString().split('\n')[0] ?? ''
}

/** Poll until `pred()` holds; fail with `message()` after `ms`. */
export async function until(pred: () => boolean, ms: number, message: () => string): Promise<void> {
  const deadline = Date.now() + ms
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(message())
    await sleep(10)
  }
}
