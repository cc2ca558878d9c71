// ArrayBuffer/Buffer memory lives outside the V8 heap, so --max-old-space-size does not bound it
// and a Buffer bomb could take gigabytes before the host's RSS watchdog (a poll) notices. These
// wrappers check the budget before a large allocation happens, so a bomb stops near the limit.
// The host's RSS watchdog stays as the backstop for whatever this misses.
import { refuse } from './refusal'

/** Allocations at least this big check memoryUsage() first (bytes); smaller ones are batched. */
const CHECK_AT_BYTES = 64 * 1024
/** Small allocations add up; check after this many bytes of them (bytes). */
const SMALL_BATCH_BYTES = 1024 * 1024

export function installMemoryGuard(limitBytes: number): void {
  let smallSinceCheck = 0
  const check = (requested: number) => {
    if (!(requested >= 0)) return
    if (requested < CHECK_AT_BYTES) {
      smallSinceCheck += requested
      if (smallSinceCheck < SMALL_BATCH_BYTES) return
      smallSinceCheck = 0
    }
    const usage = process.memoryUsage()
    const used = usage.heapUsed + usage.arrayBuffers
    if (used + requested > limitBytes) {
      const mb = (n: number) => Math.round(n / (1024 * 1024))
      refuse(`memory limit exceeded: allocating ${mb(requested)} MB more would pass ${mb(limitBytes)} MB (heap ${mb(usage.heapUsed)} MB + buffers ${mb(usage.arrayBuffers)} MB)`)
    }
  }
  const sizeOf = (arg: unknown, bytesPerElement = 1): number =>
    typeof arg === 'number' ? arg * bytesPerElement : 0

  const B = Buffer as unknown as Record<string, (...a: unknown[]) => unknown>
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const orig = B[name] as (...a: unknown[]) => unknown
    B[name] = function (this: unknown, ...args: unknown[]) {
      check(sizeOf(args[0]))
      return orig.apply(this, args)
    }
  }
  const origFrom = Buffer.from as (...a: unknown[]) => Buffer
  ;(Buffer as unknown as { from: unknown }).from = function (this: unknown, ...args: unknown[]) {
    const source = args[0] as { length?: number; byteLength?: number } | string
    // A string may take up to 3 bytes per UTF-16 unit once encoded.
    check(typeof source === 'string' ? source.length * 3 : Number(source?.byteLength ?? source?.length ?? 0))
    return origFrom.apply(Buffer, args)
  }
  const origConcat = Buffer.concat
  Buffer.concat = function (list: readonly Uint8Array[], totalLength?: number) {
    check(totalLength ?? list.reduce((n, b) => n + (b?.byteLength ?? 0), 0))
    return origConcat.call(Buffer, list, totalLength)
  }
  // Strings live on the V8 heap: --max-old-space-size covers them.

  const g = globalThis as unknown as Record<string, unknown>
  const guardConstructor = (name: string, bytesPerElement: number) => {
    const Orig = g[name] as (abstract new (...a: unknown[]) => object) | undefined
    if (!Orig) return
    g[name] = new Proxy(Orig, {
      construct(target, args, newTarget) {
        check(sizeOf(args[0], bytesPerElement))
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget)
      }
    })
  }
  guardConstructor('ArrayBuffer', 1)
  guardConstructor('SharedArrayBuffer', 1)
  for (const [name, size] of [
    ['Uint8Array', 1], ['Int8Array', 1], ['Uint8ClampedArray', 1], ['Uint16Array', 2], ['Int16Array', 2],
    ['Uint32Array', 4], ['Int32Array', 4], ['Float32Array', 4], ['Float64Array', 8], ['BigInt64Array', 8], ['BigUint64Array', 8]
  ] as const) {
    guardConstructor(name, size)
  }
}
