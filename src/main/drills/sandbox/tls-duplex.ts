// TLS over a plain Duplex, so the encrypted bytes pass through JavaScript where the trace sees them.
import type net from 'node:net'
import { Duplex } from 'node:stream'

export const RAW = Symbol('retransmit.raw')

export type AddressedSocket = net.Socket & { _getpeername?: () => object; _getsockname?: () => object }

/**
 * A plain Duplex over a TCP socket. Node runs TLS over a non-net.Socket stream in JavaScript
 * (JSStreamSocket), which routes the encrypted bytes through the raw socket's push(), where the
 * probe sees them.
 */
export function duplexOver(raw: net.Socket): Duplex {
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback)
    },
    final(callback) {
      raw.end(callback)
    },
    read() {
      raw.resume()
    },
    destroy(err, callback) {
      raw.destroy(err ?? undefined)
      callback(err)
    }
  })
  ;(duplex as unknown as Record<symbol, unknown>)[RAW] = raw
  raw.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) raw.pause()
  })
  raw.on('end', () => duplex.push(null))
  raw.on('error', (err) => duplex.destroy(err))
  raw.on('close', () => {
    if (!duplex.destroyed) duplex.destroy()
  })
  raw.on('connect', () => duplex.emit('connect'))
  return duplex
}

/** A TLS socket over a Duplex has no address of its own; show the raw socket's. */
export function borrowAddresses(tlsSocket: AddressedSocket, raw: net.Socket | undefined): void {
  if (!raw) return
  const rawAny = raw as AddressedSocket
  tlsSocket._getpeername = () => rawAny._getpeername?.() ?? {}
  tlsSocket._getsockname = () => rawAny._getsockname?.() ?? {}
}
