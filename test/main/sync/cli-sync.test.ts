// `retransmit sync-server` as its own process, checked from outside with Node's fetch and
// WebSocket (token required on both), and the README's three steps to sync two devices with
// `retransmit sync-devices`.
import type { ChildProcess } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCollection } from '../../../src/main/app/collection'
import { runCli } from '../../helpers/cli'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { startServerProcess, type ServerProcess } from './devices'

const servers: ServerProcess[] = []
let child: ChildProcess
let server: ServerProcess['server']

async function startServer(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const started = await startServerProcess(dataDir, env)
  servers.push(started)
  return started
}

beforeAll(async () => {
  ;({ child, server } = await startServer(tempDir('retransmit-sync-cli-')))
}, 60_000)

afterAll(async () => {
  for (const started of servers) await started.stop()
})

/** Resolves with 'open' or 'refused' for a WebSocket handshake to `url`. */
function handshake(url: string): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url)
    socket.addEventListener('open', () => {
      socket.close()
      resolve('open')
    })
    socket.addEventListener('error', () => resolve('refused'))
  })
}

describe('retransmit sync-server', () => {
  it('listens on loopback and prints a token of 256 random bits, kept in DIR/token for the owner only', () => {
    expect(server.server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.token).toMatch(/^[0-9a-f]{64}$/) // 256 bits, never starting with '-'
    const file = join(server.dataDir, 'token')
    expect(readFileSync(file, 'utf8').trim()).toBe(server.token)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(child.exitCode).toBeNull()
  })

  it('takes its token from $RETRANSMIT_SYNC_TOKEN when set', async () => {
    const token = 'from-the-environment-0123456789'
    const other = await startServer(tempDir('retransmit-sync-env-'), { RETRANSMIT_SYNC_TOKEN: token })
    expect(other.server.token).toBe(token)
    const ok = await fetch(`${other.server.server}/collection`, { headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
  })

  it('refuses requests and WebSocket handshakes without the right token', async () => {
    expect((await fetch(`${server.server}/collection`)).status).toBe(401)
    const wrong = await fetch(`${server.server}/collection`, {
      headers: { authorization: `Bearer ${server.token.slice(0, -1)}x` }
    })
    expect(wrong.status).toBe(401)
    const ws = server.server.replace('http:', 'ws:')
    expect(await handshake(`${ws}/`)).toBe('refused')
    expect(await handshake(`${ws}/?token=${encodeURIComponent(server.token.slice(1))}`)).toBe('refused')
    expect(await handshake(`${ws}/?token=${encodeURIComponent(server.token)}`)).toBe('open')
    const right = await fetch(`${server.server}/collection`, { headers: { authorization: `Bearer ${server.token}` } })
    expect(right.status).toBe(200)
    expect(((await right.json()) as { index: string }).index).toMatch(/^automerge:/)
  })

  it('syncs two devices in the README three steps', async () => {
    const [laptop, desktop] = [tempDir('retransmit-laptop-'), tempDir('retransmit-desktop-')]
    const collection = openCollection({ dataDir: laptop, contentDir: fixtureContent(), door: 'cli', autoBackup: false })
    await collection.handlers.answerCard({ cardId: 'alpha-1', rating: 3, durationMs: 1000 })
    collection.close()

    const first = await runCli([
      'sync-devices',
      '--server',
      server.server,
      '--token',
      server.token,
      '--data-dir',
      laptop
    ])
    expect(first.err).toBe('')
    expect(first.out).toMatch(/1 answers sent, 0 received/)
    const second = await runCli([
      'sync-devices',
      '--server',
      server.server,
      '--token',
      server.token,
      '--data-dir',
      desktop,
      '--json'
    ])
    expect(JSON.parse(second.out)).toMatchObject({
      lastError: '',
      lastReport: { sent: 0, received: 1 },
      hasToken: true
    })
    expect(second.out).not.toContain(server.token)
    // The address and token are remembered: later rounds need neither.
    const again = await runCli(['sync-devices', '--data-dir', desktop])
    expect(again.out).toMatch(/0 answers sent, 0 received/)

    const check = openCollection({ dataDir: desktop, contentDir: fixtureContent(), door: 'cli', autoBackup: false })
    const info = await check.handlers.cardInfo({ id: 'alpha-1' })
    check.close()
    expect(info.reviews).toHaveLength(1)
  })

  it('reports a wrong token as a failed sync, exit code 1', async () => {
    const run = await runCli([
      'sync-devices',
      '--server',
      server.server,
      '--token',
      'not-the-token-0123456789',
      '--data-dir',
      tempDir('retransmit-stranger-')
    ])
    expect(run.code).toBe(1)
    expect(run.err).toMatch(/refused the token/)
  })
})
