import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../shared/errors'
import { Request } from './request.svelte'

/** A promise and the functions that settle it, so a test decides when a call ends. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('Request', () => {
  it('is busy while a call is out and answers its value', async () => {
    const request = new Request()
    const call = deferred<number>()
    const running = request.run(() => call.promise)
    expect(request.busy).toBe(true)
    call.resolve(42)
    expect(await running).toBe(42)
    expect(request.busy).toBe(false)
    expect(request.error).toBe(null)
  })

  it('keeps a failure (answering undefined) until the next call starts', async () => {
    const request = new Request()
    const failure = new ApiError('validation', 'no such deck')
    expect(await request.run(() => Promise.reject(failure))).toBeUndefined()
    expect(request.error).toBe(failure)
    expect(request.message).toBe('no such deck')
    expect(request.busy).toBe(false)
    const next = deferred<string>()
    const running = request.run(() => next.promise)
    expect(request.error).toBe(null)
    next.resolve('ok')
    await running
    expect(request.message).toBe(null)
  })

  it('stays busy until the last of overlapping calls ends', async () => {
    const request = new Request()
    const first = deferred<void>()
    const second = deferred<void>()
    const a = request.run(() => first.promise)
    const b = request.run(() => second.promise)
    first.resolve()
    await a
    expect(request.busy).toBe(true)
    second.resolve()
    await b
    expect(request.busy).toBe(false)
  })

  it('turns a thrown non-Error into a message', async () => {
    const request = new Request()
    await request.run(() => Promise.reject('offline'))
    expect(request.message).toBe('offline')
    request.clear()
    expect(request.error).toBe(null)
  })
})
