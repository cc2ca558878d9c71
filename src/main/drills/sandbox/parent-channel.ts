// How the sandbox child talks to its host, captured before drill code exists (hardenProcess then
// takes both ways away from `process`):
// - started by child_process (node-child-launcher.ts): Node's IPC channel. We keep the internal
//   _send, because process.send itself calls this._send, which drill code must not reach.
// - started by Electron's utilityProcess.fork (utility-process-launcher.ts): process.parentPort,
//   whose messages arrive wrapped in a MessageEvent ({ data }).
import type { ChildMessage, HostMessage } from '../protocol'

export interface ParentChannel {
  send(message: ChildMessage): void
  /** Send the run's last message, then end the process (the host also kills it on receipt). */
  sendLast(message: ChildMessage, exitCode: number): void
  /** Messages from the host: the one job this child will run, then certificate replies. */
  onMessage(listener: (message: HostMessage) => void): void
}

type InternalSend = (
  message: unknown,
  handle: undefined,
  options: object,
  callback: (err: Error | null) => void
) => boolean
interface ParentPortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
}

/**
 * A utility process cannot learn when postMessage has handed its message over, so it exits on
 * its own only after this long; normally the host has killed it well before, on receipt.
 */
const PARENT_PORT_EXIT_GRACE_MS = 2_000

export function captureParentChannel(): ParentChannel {
  const internals = process as unknown as {
    _send?: InternalSend
    parentPort?: ParentPortLike
    reallyExit: (code: number) => never
  }
  const reallyExit = internals.reallyExit.bind(process)
  const port = internals.parentPort
  if (port && typeof port.postMessage === 'function') {
    const post = port.postMessage.bind(port)
    const later = setTimeout
    // Node's IPC channel keeps a child alive while it waits; whether Electron's parentPort does
    // is not documented (packaged apps have seen utility processes exit once their script ran).
    // The host ends this process, so hold the event loop open until it does.
    setInterval(() => {}, 60_000)
    return {
      send: (message) => post(message),
      sendLast: (message, exitCode) => {
        post(message)
        later(() => reallyExit(exitCode), PARENT_PORT_EXIT_GRACE_MS)
      },
      onMessage: (listener) => {
        port.on('message', (event) => listener(event.data as HostMessage))
      }
    }
  }
  if (!internals._send)
    throw new Error('the sandbox child must be started with an IPC channel or an Electron parentPort')
  const rawSend = internals._send.bind(process)
  const sendThen = (message: ChildMessage, callback?: () => void) => {
    rawSend(message, undefined, {}, (err) => {
      if (err) reallyExit(3)
      callback?.()
    })
  }
  const on = process.on.bind(process)
  return {
    send: (message) => sendThen(message),
    sendLast: (message, exitCode) => sendThen(message, () => reallyExit(exitCode)),
    onMessage: (listener) => {
      on('message', (message: HostMessage) => listener(message))
    }
  }
}
