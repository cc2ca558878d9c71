// Devices as child processes (child/device.ts) driven by JSON lines, for the sync tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect } from 'vitest'
import { startSyncServer } from '../../../src/main/sync/server'
import { fixtureContent } from '../../helpers/collection'
import { tempDir } from '../../helpers/temp'
import { bundleChild } from '../app/child/bundle'

let bundled: Promise<string> | null = null
/** The device script, bundled once per test file. */
export const deviceScript = () => (bundled ??= bundleChild(join(import.meta.dirname, 'child', 'device.ts')))

export interface Device {
  name: string
  child: ChildProcess
  /** Sends one command; resolves with its result, rejects with the device's error. */
  send<T = unknown>(command: Record<string, unknown>): Promise<T>
  /** Resolves with the next `step` line the device prints during a sync. */
  nextStep(): Promise<string>
  /** Resolves when the process has exited. */
  exited: Promise<number | null>
  close(): Promise<void>
  /** What the device wrote on stderr so far. */
  stderr(): string
}

export async function startDevice(name: string, dataDir: string, contentDir: string): Promise<Device> {
  const child = spawn(process.execPath, [await deviceScript(), dataDir, contentDir], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const replies: ((line: Record<string, unknown>) => void)[] = []
  const steps: ((step: string) => void)[] = []
  let ready: () => void
  const isReady = new Promise<void>((resolve) => (ready = resolve))
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>
    if (line.ready) ready()
    else if ('step' in line) steps.shift()?.(line.step as string)
    else if ('ok' in line) replies.shift()?.(line)
  })
  await Promise.race([
    isReady,
    exited.then((code) => Promise.reject(new Error(`${name} exited (${code}) before it was ready: ${stderr}`)))
  ])
  return {
    name,
    child,
    exited,
    send<T>(command: Record<string, unknown>) {
      return new Promise<T>((resolve, reject) => {
        replies.push((line) =>
          line.ok ? resolve(line.result as T) : reject(new Error(`${name}: ${String(line.error)}`))
        )
        exited.then((code) => reject(new Error(`${name} exited (${code}): ${stderr}`)))
        child.stdin!.write(JSON.stringify(command) + '\n')
      })
    },
    stderr: () => stderr,
    nextStep: () => new Promise<string>((resolve) => steps.push(resolve)),
    async close() {
      child.stdin!.write('{"cmd":"close"}\n')
      await exited
    }
  }
}

export interface ServerProcess {
  child: ChildProcess
  server: { server: string; token: string; dataDir: string }
  /** Stops it with SIGTERM (as Ctrl-C would) and resolves when it has exited. */
  stop(): Promise<void>
}

let cliBundled: Promise<string> | null = null

/** `retransmit sync-server --json` in its own process, once it has printed where it listens. */
export async function startServerProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const script = await (cliBundled ??= bundleChild(join(import.meta.dirname, 'child', 'cli.ts')))
  const child = spawn(process.execPath, [script, 'sync-server', '--port', '0', '--data-dir', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env }
  })
  // --json prints one object over several lines; it ends with a line that is just `}`.
  let text = ''
  for await (const line of createInterface({ input: child.stdout! })) {
    text += line + '\n'
    if (line === '}') break
  }
  return {
    child,
    server: JSON.parse(text) as ServerProcess['server'],
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

/** Sets the device's clock to `time` (ms), then sends `command`. */
export async function at(device: Device, time: number, command: Record<string, unknown>): Promise<unknown> {
  await device.send({ cmd: 'clock', at: time })
  return device.send(command)
}

export interface Pair {
  laptop: Device
  desktop: Device
  /** Runs a round on each device in turn; fails the test with the device's error if one fails. */
  sync(...devices: Device[]): Promise<void>
  /** Both devices' dumps, laptop first. */
  dumps<T>(): Promise<T[]>
  close(): Promise<void>
}

/** A sync server in this process and two device processes, `laptop` and `desktop`, set up to use it. */
export async function startPair(label: string, token: string, contentDir = fixtureContent()): Promise<Pair> {
  const server = await startSyncServer({ port: 0, dataDir: tempDir(`retransmit-${label}-server-`), token })
  const laptop = await startDevice('laptop', tempDir(`retransmit-${label}-laptop-`), contentDir)
  const desktop = await startDevice('desktop', tempDir(`retransmit-${label}-desktop-`), contentDir)
  for (const device of [laptop, desktop])
    await device.send({ cmd: 'configure', server: `http://127.0.0.1:${server.port}`, token })
  return {
    laptop,
    desktop,
    async sync(...devices) {
      for (const device of devices) {
        const status = await device.send<{ lastError: string | null }>({ cmd: 'sync' })
        expect(status.lastError, `${device.name}'s sync`).toBe('')
      }
    },
    dumps: async <T>() => [await laptop.send<T>({ cmd: 'dump' }), await desktop.send<T>({ cmd: 'dump' })],
    async close() {
      for (const device of [laptop, desktop]) await device.close()
      await server.close()
    }
  }
}
