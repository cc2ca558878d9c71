// Load a URL the way a browser does, one visible step at a time:
// DNS lookup -> TCP connect -> TLS handshake (https only) -> HTTP/1.1 GET.
import net from 'node:net'
import tls from 'node:tls'
import { Resolver } from 'node:dns/promises'

export type PhaseName = 'dns' | 'tcp' | 'tls' | 'http'

export interface Phase {
  name: PhaseName
  /** Milliseconds since loadUrl was called. */
  startMs: number
  durationMs: number
}

export interface LoadOptions {
  /** The DNS server to ask, `host:port` (e.g. '127.0.0.1:53535'). */
  dnsServer: string
  /** PEM of the one CA to trust for https URLs. */
  ca?: string
}

export interface LoadResult {
  /** The IPv4 address DNS returned (the first A record). */
  address: string
  phases: Phase[]
  /** The negotiated TLS version, e.g. 'TLSv1.3'; null for http URLs. */
  tlsProtocol: string | null
  status: number
  /** Response header fields, names lower-cased. */
  headers: Record<string, string>
  body: string
}

export async function loadUrl(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url)
  const origin = performance.now()
  const phases: Phase[] = []
  const timed = async <T>(name: PhaseName, step: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    const value = await step()
    phases.push({ name, startMs: start - origin, durationMs: performance.now() - start })
    return value
  }
  // TODO 1 (dns): a Resolver from node:dns/promises, setServers([options.dnsServer]), resolve4(target.hostname).
  // TODO 2 (tcp): net.connect to that address and target.port; wait for 'connect'.
  // TODO 3 (tls, https only): tls.connect({ socket, servername: target.hostname, ca: [options.ca] }); wait for 'secureConnect'.
  // TODO 4 (http): write a GET with a Host header; read the status line, headers and body.
  throw new Error(`loadUrl(${target.href}) is not implemented yet: start with the DNS phase`)
}
