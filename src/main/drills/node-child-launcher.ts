// Starts the sandbox as a Node child process: the host's own executable, with an IPC channel.
// Used wherever the host is plain Node (browser mode, the CLI, tests). Under Electron this would
// need ELECTRON_RUN_AS_NODE, which the packaged app's RunAsNode fuse forbids; the desktop app
// uses utility-process-launcher.ts instead.
import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import type { ChildMessage } from './protocol'
import { sandboxProcess, type SandboxExit, type SandboxLauncher } from './sandbox-process'
import { kernelLayer, wrapInKernelLayer } from './kernel-isolation'

type Refable = { ref?: () => void; unref?: () => void } | null | undefined

export const launchNodeChild: SandboxLauncher = ({ script, execArgv, env }) => {
  // On Linux the child starts inside fresh namespaces (kernel-isolation.ts) where the host can.
  const direct = { command: process.execPath, args: [...execArgv, script] }
  const wrapped = wrapInKernelLayer(direct.command, direct.args, [script])
  const { command, args } = wrapped ?? direct
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
    serialization: 'json',
    windowsHide: true
  })
  child.on('error', () => {})
  const exit = new Promise<SandboxExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const layer = kernelLayer()
  return sandboxProcess(child, exit, {
    kernelLayer: wrapped && layer.kind !== 'none' ? `namespaces (${layer.kind})` : null,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    send: (message) => {
      child.send(message)
    },
    onMessage: (listener) => {
      child.on('message', (message) => listener(message as ChildMessage))
    },
    kill: () => {
      child.kill('SIGKILL')
    },
    setRef: (on) => {
      const handles: Refable[] = [
        child,
        child.channel as Refable,
        child.stdout as Readable & Refable,
        child.stderr as Readable & Refable
      ]
      for (const h of handles) (on ? h?.ref : h?.unref)?.call(h)
    }
  })
}
