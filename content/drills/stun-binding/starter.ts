// STUN Binding (RFC 8489). Replace every `throw` with a real implementation.
import dgram from 'node:dgram'

export const MAGIC_COOKIE = 0x2112a442
export const BINDING_REQUEST = 0x0001
export const BINDING_SUCCESS = 0x0101
export const XOR_MAPPED_ADDRESS = 0x0020

export interface StunAddress {
  family: 4 | 6
  address: string
  port: number
}

export interface StunAttribute {
  type: number
  value: Buffer
}

export interface StunMessage {
  type: number
  transactionId: Buffer
  attributes: StunAttribute[]
}

export interface StunServer {
  host: string
  port: number
  close(): Promise<void>
}

export interface BindingOptions {
  /** First retransmission timeout, ms (default 500). */
  rtoMs?: number
  /** Rc: total requests sent, the first one included (default 7). */
  maxTransmissions?: number
  /** Rm: after the last request, wait rtoMs * lastWaitFactor before giving up (default 16). */
  lastWaitFactor?: number
}

export interface BindingResult {
  mapped: StunAddress
  /** How many copies of the request were sent (1 = no retransmission was needed). */
  transmissions: number
}

/** The 20-byte header of a Binding request with no attributes. */
export function encodeBindingRequest(transactionId: Buffer): Buffer {
  throw new Error('encodeBindingRequest: not implemented yet')
}

/** Parse a STUN message; return null for anything that is not a well-formed one. */
export function parseStunMessage(buf: Buffer): StunMessage | null {
  throw new Error('parseStunMessage: not implemented yet')
}

/** The value (no type/length header) of an XOR-MAPPED-ADDRESS attribute. */
export function encodeXorMappedAddress(addr: StunAddress, transactionId: Buffer): Buffer {
  throw new Error('encodeXorMappedAddress: not implemented yet')
}

export function decodeXorMappedAddress(value: Buffer, transactionId: Buffer): StunAddress {
  throw new Error('decodeXorMappedAddress: not implemented yet')
}

/** A Binding success response carrying one XOR-MAPPED-ADDRESS attribute. */
export function encodeBindingSuccess(transactionId: Buffer, mapped: StunAddress): Buffer {
  throw new Error('encodeBindingSuccess: not implemented yet')
}

/** Bind a UDP socket on `host` (port 0) and answer Binding requests with their source address. */
export async function startStunServer(host = '127.0.0.1'): Promise<StunServer> {
  throw new Error('startStunServer: not implemented yet')
}

/** Send a Binding request from `socket` to `server`, retransmitting until answered or out of tries. */
export async function stunBindingRequest(
  socket: dgram.Socket,
  server: { host: string; port: number },
  options: BindingOptions = {}
): Promise<BindingResult> {
  throw new Error('stunBindingRequest: not implemented yet')
}
