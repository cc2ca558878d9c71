// ArrayBuffer/Buffer memory lives outside the V8 heap, so --max-old-space-size does not bound it
// and a Buffer bomb could take gigabytes before the host's RSS watchdog (a poll) notices. These
// wrappers check the budget before a large allocation happens, so a bomb stops near the limit.
// The host's RSS watchdog stays as the backstop for whatever this misses.
import { refuse } from './refusal'

/** Allocations at least this big check memoryUsage() first (bytes); smaller ones are batched. */
const CHECK_AT_BYTES = 64 * 1024
/** Small allocations add up; check after this many bytes of them (bytes). */
const SMALL_BATCH_BYTES = 1024 * 1024

export interface MemoryGuard {
  /** The run's budget for heap + buffers, bytes (set when the job arrives). */
  setLimit(bytes: number): void
}

let limitBytes = 256 * 1024 * 1024
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
    refuse(
      `memory limit exceeded: allocating ${mb(requested)} MB more would pass ${mb(limitBytes)} MB (heap ${mb(usage.heapUsed)} MB + buffers ${mb(usage.arrayBuffers)} MB)`
    )
  }
}

const sizeOf = (arg: unknown, bytesPerElement = 1): number => (typeof arg === 'number' ? arg * bytesPerElement : 0)

/**
 * Runs before SES is loaded and lockdown (freeze-realm.ts) freezes the intrinsics and Buffer:
 * Buffer's allocating statics, and ArrayBuffer methods that allocate a new buffer (transfer,
 * resizable growth), check the budget first.
 */
export function guardBufferAllocation(): void {
  guardBufferStatics()
  guardArrayBufferGrowth()
}

function guardArrayBufferGrowth(): void {
  const proto = ArrayBuffer.prototype as unknown as Record<
    string,
    ((this: ArrayBuffer, ...a: unknown[]) => unknown) | undefined
  >
  for (const name of ['transfer', 'transferToFixedLength', 'resize']) {
    const orig = proto[name]
    if (typeof orig !== 'function') continue
    const guarded = {
      [name](this: ArrayBuffer, ...args: unknown[]) {
        // The old buffer's bytes are released (transfer detaches it), so only growth counts.
        const size = typeof args[0] === 'number' ? args[0] : this.byteLength
        check(Math.max(0, size - this.byteLength))
        return orig.apply(this, args)
      }
    }[name]
    // Loading SES may already have made these read-only: redefine rather than assign.
    Reflect.defineProperty(proto, name, { value: guarded })
  }
}

function guardBufferStatics(): void {
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
}

/** After lockdown: the global typed-array and ArrayBuffer constructors check the budget. */
export function installMemoryGuard(): MemoryGuard {
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
    ['Uint8Array', 1],
    ['Int8Array', 1],
    ['Uint8ClampedArray', 1],
    ['Uint16Array', 2],
    ['Int16Array', 2],
    ['Uint32Array', 4],
    ['Int32Array', 4],
    ['Float32Array', 4],
    ['Float64Array', 8],
    ['BigInt64Array', 8],
    ['BigUint64Array', 8]
  ] as const) {
    guardConstructor(name, size)
  }
  return {
    setLimit: (bytes) => {
      limitBytes = bytes
    }
  }
}
