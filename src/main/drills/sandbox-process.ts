// The sandbox child as the runner sees it, however it was started: a Node child process (browser
// mode, the CLI, tests: see node-child-launcher.ts) or an Electron utility process (the desktop
// app, whose RunAsNode fuse is off: see utility-process-launcher.ts).
import type { ChildMessage, HostMessage } from './protocol'

export interface SandboxExit {
  code: number | null
  /** Known for Node children only; a utility process reports its exit code alone. */
  signal: NodeJS.Signals | null
}

export interface SandboxProcess {
  readonly pid: number | undefined
  /** The kernel layer this process runs in, e.g. 'namespaces (bubblewrap)', or null for none. */
  readonly kernelLayer: string | null
  readonly stdout: NodeJS.ReadableStream | null
  readonly stderr: NodeJS.ReadableStream | null
  /** Resolves once the process has ended (its ports and handles are released by then). */
  readonly exited: Promise<SandboxExit>
  /** Resolves once the process has ended and its output pipes are drained. */
  readonly finished: Promise<SandboxExit>
  /** False once the process has ended. */
  isRunning(): boolean
  /** Throws when the process has already gone. */
  send(message: HostMessage): void
  onMessage(listener: (message: ChildMessage) => void): void
  /** Kill at once (SIGKILL on POSIX): drill code could catch a gentler signal. */
  kill(): void
  /** Whether the process (and its pipes) keep the host's event loop alive. */
  setRef(on: boolean): void
}

export interface SandboxLaunch {
  /** The bundled sandbox entry (child-main.ts built to CommonJS). */
  script: string
  /** Runtime flags, e.g. V8's heap limit. */
  execArgv: string[]
  /** The whole environment of the child: nothing is inherited from the host. */
  env: Record<string, string>
}

export type SandboxLauncher = (launch: SandboxLaunch) => SandboxProcess

/** The part of a SandboxProcess each launcher states in its own way. */
export type LauncherParts = Omit<SandboxProcess, 'pid' | 'stdout' | 'stderr' | 'exited' | 'finished'>

/**
 * A launched child as a SandboxProcess: its pid (read when asked: a utility process learns it
 * once spawned), its output pipes, and its ends, `exited`, then `finished` once the pipes are
 * drained; the rest is the launcher's own.
 */
export function sandboxProcess(
  child: {
    readonly pid?: number | undefined
    stdout: NodeJS.ReadableStream | null
    stderr: NodeJS.ReadableStream | null
  },
  exited: Promise<SandboxExit>,
  own: LauncherParts
): SandboxProcess {
  return {
    ...own,
    get pid() {
      return child.pid
    },
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    finished: exitAfterDrain(exited, [child.stdout, child.stderr])
  }
}

/** Resolves after `exit` and the end of every given stream (output written just before exit is kept). */
function exitAfterDrain(
  exit: Promise<SandboxExit>,
  streams: Array<NodeJS.ReadableStream | null>
): Promise<SandboxExit> {
  const drained = streams.map((stream) =>
    stream && !(stream as { readableEnded?: boolean }).readableEnded && !(stream as { destroyed?: boolean }).destroyed
      ? new Promise<void>((resolve) => {
          stream.once('end', resolve)
          stream.once('close', resolve)
          stream.once('error', () => resolve())
        })
      : Promise.resolve()
  )
  return Promise.all([exit, ...drained]).then(([result]) => result)
}
