// Attacks on `retransmit serve` itself, from drill code and from another process of the same user:
// the escape that opened Node's inspector inside serve (SIGUSR1) and read its API token, and drill
// code talking to serve's own port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { callApi } from './api'
import { serve, type Served } from './harness'

interface RunResult {
  status: string
  message: string
  tests: Array<{ message: string }>
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('retransmit serve under attack', () => {
  let served: Served

  beforeAll(async () => {
    served = await serve()
  })
  afterAll(async () => {
    await served?.stop()
  })

  it('SIGUSR1 opens no inspector in the serve process, and serve keeps answering', async () => {
    // Node's inspector listens on 9229 by default; nothing may be there before the signal either.
    const before = await listening(9229)
    served.child.kill('SIGUSR1')
    // A request answered after the signal proves the signal was handled (in order) and serve lives.
    const stats = await callApi<unknown[]>(served, 'listDecks', {})
    expect(Array.isArray(stats)).toBe(true)
    expect(served.logs().stderr).not.toMatch(/Debugger listening/)
    expect(await listening(9229)).toBe(before)
    expect(served.child.exitCode).toBeNull()
  })

  it("drill code cannot reach serve's own port (its API, its token check)", async () => {
    const port = Number(new URL(served.origin).port)
    const starter = (await callApi<{ starter: string }>(served, 'getDrill', { id: 'tcp-echo' })).starter
    const code = `void fetch('http://127.0.0.1:${port}/api/listDecks', { method: 'POST', body: '{}' }).catch(() => {})\n${starter}`
    const result = await callApi<RunResult>(served, 'runDrill', { id: 'tcp-echo', code })
    expect(result.status).toBe('error')
    expect(result.message).toMatch(new RegExp(`port ${port} was not opened by this run`))
  })
})
