// What drill code may touch. Pure functions, used by the compiler (static imports, with line
// numbers) and inside the sandbox (require() at run time, socket entry points).
import { isIP } from 'node:net'

const ALLOWED_MODULES = [
  'net',
  'dgram',
  'tls',
  'http',
  'http2',
  'crypto',
  'events',
  'buffer',
  'stream',
  'timers',
  'util',
  'assert',
  'dns'
] as const

/** Sub-paths that are the same API surface as their parent (no new powers). */
const ALLOWED_SUBPATHS = new Set([
  'assert/strict',
  'dns/promises',
  'stream/promises',
  'timers/promises',
  'util/types',
  'stream/web'
])

export const HARNESS_MODULE = 'retransmit:test'

export function allowedModuleList(): string {
  return ALLOWED_MODULES.map((name) => `node:${name}`).join(', ')
}

/** The canonical `node:` name for an allowed built-in, or null if drill code may not load it. */
export function allowedBuiltin(specifier: string): string | null {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  if ((ALLOWED_MODULES as readonly string[]).includes(bare) || ALLOWED_SUBPATHS.has(bare)) return `node:${bare}`
  return null
}

export function refusedModuleMessage(specifier: string): string {
  return `module '${specifier}' is not allowed in drills (allowed: ${allowedModuleList()}, ${HARNESS_MODULE})`
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string): boolean {
  if (typeof address !== 'string') return false
  const host = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const kind = isIP(host)
  if (kind === 4) return host.startsWith('127.')
  if (kind === 6) {
    const lower = host.toLowerCase()
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
    return mapped !== null && mapped[1] !== undefined && mapped[1].startsWith('127.')
  }
  return false
}

export type HostVerdict = { ok: true } | { ok: false; reason: string }

/** A host a drill may connect or send to: a loopback literal or the name `localhost`. */
export function checkRemoteHost(host: string): HostVerdict {
  if (typeof host !== 'string') return { ok: false, reason: `host ${String(host)} is not a host name or address` }
  if (host === 'localhost' || isLoopbackAddress(host)) return { ok: true }
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) {
    return { ok: false, reason: `${host} is not a loopback address: drills may only reach 127.0.0.0/8 and ::1` }
  }
  return {
    ok: false,
    reason: `the name '${host}' may not be resolved: drills may only use 'localhost' and loopback addresses`
  }
}

/** A local address a drill may bind: loopback only (0.0.0.0 and :: would expose the port to the network). */
export function checkBindHost(host: string): HostVerdict {
  if (typeof host !== 'string') return { ok: false, reason: `address ${String(host)} is not an address` }
  if (host === 'localhost' || isLoopbackAddress(host)) return { ok: true }
  return {
    ok: false,
    reason: `binding ${host} would expose the port beyond this machine: bind 127.0.0.1 (or ::1) instead`
  }
}
