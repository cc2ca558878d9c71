import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { checkBackend, startProxy } from './solution'
import { collect, connect, startBackend, until, whoAnswers, type TestBackend } from './l4-lab'

const FAST = { healthCheckIntervalMs: 50, healthCheckTimeoutMs: 300, fall: 1, rise: 1 }
const backendsOf = (list: TestBackend[]) => list.map((b) => ({ host: '127.0.0.1', port: b.port }))

test('checkBackend: a TCP connect is the probe', async () => {
  const b = await startBackend('b1')
  const port = b.port
  try {
    assert.equal(
      await checkBackend({ host: '127.0.0.1', port }, 500),
      true,
      `a backend listening on 127.0.0.1:${port} should pass the check`
    )
    await b.kill()
    assert.equal(
      await checkBackend({ host: '127.0.0.1', port }, 500),
      false,
      `nothing listens on ${port} any more (connect gets ECONNREFUSED): the check must resolve false, not throw`
    )
  } finally {
    await b.close()
  }
})

test(
  'bytes pass through both ways, and half-close works',
  async () => {
    const b = await startBackend('b1')
    const proxy = await startProxy({ backends: backendsOf([b]), ...FAST })
    try {
      const socket = await connect(proxy.port)
      const result = collect(socket)
      socket.write('hello ')
      socket.end('proxy')
      const { data, ended } = await result
      assert.equal(
        data.toString(),
        'b1\nhello proxy' + 'bye 11\n',
        `expected the greeting, the echo and 'bye 11' (the backend answers after your FIN reaches it), got ${JSON.stringify(data.toString())}. If 'bye' is missing, the proxy closed the client before the backend finished: use allowHalfOpen and forward FIN with end()`
      )
      assert.equal(ended, 'end', `the connection should end cleanly with a FIN, it ended by ${ended}`)
    } finally {
      await proxy.close()
      await b.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'round robin over three backends, in order',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')]
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST })
    try {
      const order: string[] = []
      for (let i = 0; i < 6; i++) order.push(await whoAnswers(proxy.port))
      assert.deepEqual(
        order,
        ['b1', 'b2', 'b3', 'b1', 'b2', 'b3'],
        `six connections should go b1 b2 b3 b1 b2 b3, got ${order.join(' ')}: keep one cursor and advance it per connection`
      )
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'a dead backend is detected and skipped',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2'), await startBackend('b3')]
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST })
    try {
      assert.deepEqual(
        proxy.healthy(),
        [true, true, true],
        `all three backends are up when the proxy starts, healthy() says ${JSON.stringify(proxy.healthy())}`
      )
      await bs[1]!.kill()
      await until(
        () => proxy.healthy()[1] === false,
        2000,
        () =>
          `b2 was killed, but 2 s later healthy() still says ${JSON.stringify(proxy.healthy())}: probe every healthCheckIntervalMs and mark a backend down after 'fall' failed probes`
      )
      const order: string[] = []
      for (let i = 0; i < 4; i++) order.push(await whoAnswers(proxy.port))
      assert.ok(
        !order.includes('b2') && !order.includes(''),
        `with b2 down every connection must reach b1 or b3, got ${order.map((o) => o || '(nothing)').join(' ')}`
      )
      assert.deepEqual(
        [...new Set(order)].sort(),
        ['b1', 'b3'],
        `the remaining backends should share the load, got ${order.join(' ')}`
      )
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a recovered backend is brought back',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST })
    try {
      await bs[1]!.kill()
      await until(
        () => proxy.healthy()[1] === false,
        2000,
        () => `b2 was killed but is still marked healthy: ${JSON.stringify(proxy.healthy())}`
      )
      await bs[1]!.revive()
      await until(
        () => proxy.healthy()[1] === true,
        2000,
        () =>
          `b2 is listening again but 2 s later healthy() says ${JSON.stringify(proxy.healthy())}: keep probing backends that are down`
      )
      const order: string[] = []
      for (let i = 0; i < 4; i++) order.push(await whoAnswers(proxy.port))
      assert.ok(order.includes('b2'), `b2 is healthy again and should get connections, got ${order.join(' ')}`)
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 8000 }
)
