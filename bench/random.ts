// Word lists over the app's one seeded PRNG (src/shared/seeded-random.ts), so every bench run
// builds the same collection.
import { seededRandom } from '../src/shared/seeded-random'

/** The same generator the app's relay, quiz shuffles and crash test use. */
export const seeded = seededRandom

export const WORDS = (
  'tcp udp quic tls handshake syn ack fin rst window congestion slow start cubic bbr reno retransmit timeout rtt ' +
  'latency bandwidth throughput jitter packet segment datagram frame header payload checksum port socket bind listen ' +
  'accept connect nat stun turn ice relay mapping hairpin dns resolver recursive authoritative cache ttl record zone ' +
  'anycast unicast multicast broadcast bgp ospf route prefix subnet mask gateway arp mac ethernet vlan switch router ' +
  'firewall proxy reverse load balancer health check sticky session cookie http request response status method ' +
  'header chunked keepalive pipelining multiplexing stream priority flow control backpressure head line blocking ' +
  'certificate chain root intermediate signature cipher suite key exchange diffie hellman ecdhe aes gcm chacha ' +
  'sni alpn resumption ticket early data replay websocket upgrade mask opcode ping pong close ddos amplification ' +
  'reflection syn flood cookie rate limit token bucket leaky scrubbing mtu fragmentation path discovery nagle delayed ' +
  'sack timestamp scaling sequence number wraparound keepalive linger backlog queue buffer kernel epoll select poll'
).split(' ')

export function words(random: () => number, count: number): string {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!)
  return out.join(' ')
}
