// The pure policy: which modules and addresses drill code may use. No sockets here.
import { describe, expect, it } from 'vitest'
import { allowedBuiltin, checkBindHost, checkRemoteHost, isLoopbackAddress } from '../../../src/main/drills/policy'
import { HARNESS_DTS } from '../../../src/main/drills/typecheck/harness-dts'
import { createHarness } from '../../../src/main/drills/sandbox/harness'
import { TraceRecorder } from '../../../src/main/drills/sandbox/trace-recorder'

describe('policy', () => {
  it('allows the networking built-ins under both names, nothing else', () => {
    expect(allowedBuiltin('net')).toBe('node:net')
    expect(allowedBuiltin('node:dns/promises')).toBe('node:dns/promises')
    expect(allowedBuiltin('assert/strict')).toBe('node:assert/strict')
    expect(allowedBuiltin('http2')).toBe('node:http2')
    for (const name of [
      'fs',
      'node:fs',
      'fs/promises',
      'child_process',
      'node:worker_threads',
      'vm',
      'node:vm',
      'module',
      'os',
      'path',
      'inspector',
      'v8',
      'https',
      'http2/anything'
    ]) {
      expect(allowedBuiltin(name), name).toBeNull()
    }
  })

  it('knows loopback in every spelling', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(a), a).toBe(true)
    for (const a of ['8.8.8.8', '10.0.0.1', '0.0.0.0', '::', '::ffff:8.8.8.8', '128.0.0.1', 'localhost', ''])
      expect(isLoopbackAddress(a), a).toBe(false)
  })

  it('remote hosts: loopback literals and localhost only', () => {
    expect(checkRemoteHost('localhost').ok).toBe(true)
    expect(checkRemoteHost('127.0.0.1').ok).toBe(true)
    expect(checkRemoteHost('8.8.8.8')).toEqual({ ok: false, reason: expect.stringMatching(/not a loopback address/) })
    expect(checkRemoteHost('example.com')).toEqual({ ok: false, reason: expect.stringMatching(/may not be resolved/) })
    expect(checkRemoteHost('localhost.evil.example').ok).toBe(false)
  })

  it('bind addresses: loopback only, never the wildcard', () => {
    expect(checkBindHost('127.0.0.1').ok).toBe(true)
    expect(checkBindHost('::1').ok).toBe(true)
    expect(checkBindHost('0.0.0.0').ok).toBe(false)
    expect(checkBindHost('::').ok).toBe(false)
  })

  it('the harness typings declare exactly the functions the sandbox provides', () => {
    const declared = [...HARNESS_DTS.matchAll(/^\s*export function (\w+)/gm)].map((m) => m[1])
    const provided = Object.keys(
      createHarness(new TraceRecorder(() => {}), () => Promise.reject(new Error('no host here'))).module
    )
    expect(HARNESS_DTS).toContain("declare module 'retransmit:test'")
    expect(declared.sort()).toEqual(provided.sort())
  })
})
