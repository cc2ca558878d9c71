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
}

export function installOutputCapture(limitBytes: number): OutputCapture {
  const realWrite = process.stdout.write.bind(process.stdout) as (chunk: Uint8Array) => boolean
  let written = 0
  let total = 0
  const take = (chunk: unknown, encoding?: unknown): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk))
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
  for (const stream of [process.stdout, process.stderr]) {
    ;(stream as unknown as { write: unknown }).write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      take(chunk, encoding)
      const cb = typeof encoding === 'function' ? encoding : callback
      if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)())
      return true
    }
  }
  ;(globalThis as { console: Console }).console = new Console({ stdout: sink, stderr: sink, colorMode: false })
  return { totalBytes: () => total, keptBytes: () => written }
}
