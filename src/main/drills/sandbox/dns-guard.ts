// DNS policy: lookups only for 'localhost' and loopback literals; queries only to loopback servers.
import dns from 'node:dns'
import { checkRemoteHost, isLoopbackAddress } from '../policy'
import { refuse } from './refusal'
import { checkOwnPort } from './bound-ports'
import type { TraceRecorder } from './trace-recorder'

/** dns.lookup that answers only for 'localhost' and loopback literals, and checks the answers. */
export function makeGuardedLookup(origLookup: typeof dns.lookup): typeof dns.lookup {
  return function guardedLookup(hostname: string, optionsOrCallback: unknown, maybeCallback?: unknown) {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as (
      ...a: unknown[]
    ) => void
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback
    const verdict = checkRemoteHost(hostname)
    if (!verdict.ok) refuse(`name lookup of '${hostname}': ${verdict.reason}`)
    origLookup(hostname, options as dns.LookupOptions, (err: unknown, address: unknown, family?: unknown) => {
      if (err) return callback(err)
      const list = Array.isArray(address) ? (address as dns.LookupAddress[]).map((a) => a.address) : [String(address)]
      if (list.some((a) => !isLoopbackAddress(a))) {
        return callback(
          Object.assign(new Error(`'${hostname}' resolved to a non-loopback address`), { code: 'EREFUSED' })
        )
      }
      callback(null, address, family)
    })
  } as typeof dns.lookup
}

export function installDnsGuard(guardedLookup: typeof dns.lookup, trace: TraceRecorder): void {
  ;(dns as { lookup: unknown }).lookup = guardedLookup
  const promisesApi = dns.promises as unknown as Record<string, unknown>
  const origPromiseLookup = promisesApi.lookup as (h: string, o?: unknown) => Promise<unknown>
  promisesApi.lookup = (hostname: string, options?: unknown) => {
    const verdict = checkRemoteHost(hostname)
    if (!verdict.ok) refuse(`name lookup of '${hostname}': ${verdict.reason}`)
    return origPromiseLookup(hostname, options)
  }
  // Queries (resolve*, reverse) go to real DNS servers: allowed only once the code has pointed the
  // resolver at loopback servers (a drill's own DNS server), never at the system's resolvers.
  const LOOPBACK_SERVERS = Symbol('retransmit.loopbackServers')
  const checkServers = (servers: unknown) => {
    const list = Array.isArray(servers) ? servers.map(String) : []
    for (const s of list) {
      const host = s.startsWith('[')
        ? s.slice(1, s.indexOf(']'))
        : s.split(':').length === 2
          ? (s.split(':')[0] ?? '')
          : s
      if (!isLoopbackAddress(host)) refuse(`DNS server ${s}: drills may only query DNS servers on 127.0.0.0/8 or ::1`)
      const port = s.startsWith('[')
        ? s.slice(s.indexOf(']') + 1).replace(/^:/, '') || '53'
        : s.split(':').length === 2
          ? (s.split(':')[1] ?? '53')
          : '53'
      checkOwnPort(['udp', 'tcp'], port, `DNS server ${s}`)
    }
  }
  const isQuery = (name: string) => /^(resolve|reverse)/.test(name)
  for (const api of [dns as unknown as Record<string, unknown>, promisesApi]) {
    const state = { loopback: false }
    const origSet = api.setServers as (s: unknown) => void
    api.setServers = (servers: unknown) => {
      checkServers(servers)
      origSet(servers)
      state.loopback = true
    }
    for (const name of Object.keys(api).filter(isQuery)) {
      const orig = api[name] as (...a: unknown[]) => unknown
      api[name] = (...args: unknown[]) => {
        if (!state.loopback)
          refuse(`dns.${name}() would ask the system's DNS servers: call setServers(['127.0.0.1:<port>']) first`)
        trace.add('dns-query', 'resolver', 'dns-server', `${name} ${String(args[0])}`)
        return orig(...args)
      }
    }
    const Resolver = api.Resolver as { prototype: Record<string | symbol, unknown> } | undefined
    if (!Resolver) continue
    const proto = Resolver.prototype
    const origResolverSet = proto.setServers as (this: object, s: unknown) => void
    proto.setServers = function (this: Record<symbol, unknown>, servers: unknown) {
      checkServers(servers)
      origResolverSet.call(this, servers)
      this[LOOPBACK_SERVERS] = true
    }
    for (const name of Object.getOwnPropertyNames(proto).filter(isQuery)) {
      const orig = proto[name] as (...a: unknown[]) => unknown
      proto[name] = function (this: Record<symbol, unknown>, ...args: unknown[]) {
        if (!this[LOOPBACK_SERVERS])
          refuse(`resolver.${name}() would ask the system's DNS servers: call setServers(['127.0.0.1:<port>']) first`)
        trace.add('dns-query', 'resolver', 'dns-server', `${name} ${String(args[0])}`)
        return orig.apply(this, args)
      }
    }
  }
}
