// An authoritative DNS server over UDP (RFC 1035). Replace every `throw` with a real implementation.
import dgram from 'node:dgram'

export const TYPE_A = 1
export const TYPE_AAAA = 28
export const CLASS_IN = 1
export const RCODE_NOERROR = 0
export const RCODE_FORMERR = 1
export const RCODE_NXDOMAIN = 3
export const RCODE_NOTIMP = 4

export interface DnsQuestion {
  name: string
  type: number
  class: number
}

export interface DnsRecord {
  name: string
  type: number
  class: number
  ttl: number
  /** RDATA as it was on the wire. */
  data: Buffer
  /** For A records: the dotted IPv4 address. */
  address?: string
}

export interface DnsMessage {
  id: number
  /** The whole 16-bit flags word: QR, Opcode, AA, TC, RD, RA, Z, RCODE. */
  flags: number
  rcode: number
  questions: DnsQuestion[]
  answers: DnsRecord[]
}

/** name -> the A records to serve for it, all with one TTL. */
export type Zone = Record<string, { addresses: string[]; ttl: number }>

export interface DnsServer {
  port: number
  close(): Promise<void>
}

/** Wire form of a name: length-prefixed labels, then a zero byte. */
export function encodeName(name: string): Buffer {
  throw new Error('encodeName: not implemented yet')
}

/** Read a name at `offset`, following compression pointers; `next` is the offset after the name. */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  throw new Error('readName: not implemented yet')
}

/** A standard query with RD set and one question. */
export function encodeQuery(id: number, name: string, type = TYPE_A): Buffer {
  throw new Error('encodeQuery: not implemented yet')
}

/** Header, question section and answer section (authority and additional can be skipped). */
export function parseMessage(buf: Buffer): DnsMessage {
  throw new Error('parseMessage: not implemented yet')
}

/** Bind UDP on 127.0.0.1 (port 0) and answer queries for `zone` authoritatively. */
export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  throw new Error('startDnsServer: not implemented yet')
}
