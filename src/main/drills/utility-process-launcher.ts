// Starts the sandbox as an Electron utility process (the desktop app). The packaged app turns the
// RunAsNode fuse off, so its executable cannot be started as plain Node; utilityProcess.fork runs
// the same script in a Chromium-launched child with Node inside, talking over process.parentPort
// (see sandbox/parent-channel.ts). Electron is passed in, not imported, so this module loads in
// plain Node too (its test drives it with a stand-in for utilityProcess.fork).
import type { UtilityProcess, ForkOptions } from 'electron'
import type { ChildMessage } from './protocol'
import { sandboxProcess, type SandboxExit, type SandboxLauncher } from './sandbox-process'

export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess

export function utilityProcessLauncher(fork: UtilityFork): SandboxLauncher {
  return ({ script, execArgv, env }) => {
    const child = fork(script, [], { env, execArgv, stdio: 'pipe', serviceName: 'Retransmit drill sandbox' })
    let running = true
    const exit = new Promise<SandboxExit>((resolve) =>
      child.once('exit', (code) => {
        running = false
        resolve({ code, signal: null })
      })
    )
    return sandboxProcess(child, exit, {
      // Electron starts utility processes itself: no namespaces around them (README "Security").
      kernelLayer: null,
      isRunning: () => running,
      send: (message) => {
        if (!running) throw new Error('the sandbox has exited')
        child.postMessage(message)
      },
      onMessage: (listener) => {
        child.on('message', (message) => listener(message as ChildMessage))
      },
      kill: () => {
        if (!running) return
        // child.kill() sends SIGTERM, which drill code could catch; a known pid gets SIGKILL.
        const pid = child.pid
        if (pid !== undefined && process.platform !== 'win32') {
          try {
            process.kill(pid, 'SIGKILL')
            return
          } catch {
            // Already gone, or not ours: fall through to Electron's own kill.
          }
        }
        child.kill()
      },
      // The Electron main process lives as long as the app; nothing to unref.
      setRef: () => {}
    })
  }
}
