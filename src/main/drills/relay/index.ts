// The fault-injecting loopback relay: put it between a drill's client and server.
import { checkRemoteHost } from '../policy'
import { createTcpRelay } from './tcp-relay'
import { createUdpRelay } from './udp-relay'
import type { Relay, RelayOptions } from './types'

export type { Relay, RelayFaults, RelayOptions, RelayStats } from './types'
export { seededRandom } from './prng'

export async function createRelay(options: RelayOptions): Promise<Relay> {
  const target =
    typeof options.target === 'number'
      ? { host: '127.0.0.1', port: options.target }
      : { host: options.target.host ?? '127.0.0.1', port: options.target.port }
  const verdict = checkRemoteHost(target.host)
  if (!verdict.ok) throw new Error(`relay target ${target.host}: ${verdict.reason}`)
  for (const key of ['lossRate', 'reorderRate', 'duplicateRate'] as const) {
    const value = options[key]
    if (value !== undefined && !(value >= 0 && value <= 1))
      throw new RangeError(`${key} must be between 0 and 1, got ${value}`)
  }
  return options.protocol === 'udp' ? createUdpRelay(target, options) : createTcpRelay(target, options)
}
