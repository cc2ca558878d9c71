// Console and stdout/stderr output from a run, capped. Bytes under the cap go straight to the real
// stdout pipe (synchronous for pipes on Linux), so output written before a time-limit kill still
// reaches the host; past the cap they are only counted.
import { Console } from 'node:console'
import { Writable } from 'node:stream'

export interface OutputCapture {
  /** Bytes the run tried to write, including what was dropped. */
  totalBytes(): number
  /** Bytes written to the real stdout pipe (what the host will read). */
  keptBytes(): number
  /** The run's output limit, bytes (set when the job arrives). */
  setLimit(bytes: number): void
  /** process.stdout.write's shape, for drill code's process.stdout/stderr. */
  write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean
}

export function installOutputCapture(): OutputCapture {
  let limitBytes = 1024 * 1024
  const realWrite = process.stdout.write.bind(process.stdout) as (chunk: Uint8Array) => boolean
  let written = 0
  let total = 0
  const take = (chunk: unknown, encoding?: unknown): void => {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding)
        : chunk instanceof Uint8Array
          ? chunk
          : Buffer.from(String(chunk))
    total += bytes.byteLength
    if (written >= limitBytes) return
    const room = limitBytes - written
    const part = bytes.byteLength > room ? bytes.subarray(0, room) : bytes
    written += part.byteLength
    realWrite(part)
  }
  const sink = new Writable({
    write(chunk, encoding, callback) {
      take(chunk, encoding)
      callback()
    }
  })
  const write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
    take(chunk, encoding)
    const cb = typeof encoding === 'function' ? encoding : callback
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)())
    return true
  }
  for (const stream of [process.stdout, process.stderr]) (stream as unknown as { write: unknown }).write = write
  ;(globalThis as { console: Console }).console = new Console({ stdout: sink, stderr: sink, colorMode: false })
  return {
    totalBytes: () => total,
    keptBytes: () => written,
    setLimit: (bytes) => {
      limitBytes = bytes
    },
    write
  }
}
