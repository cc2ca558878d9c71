// The kernel layer of the drill sandbox (Linux): every run in its own user, network, PID, IPC and
// mount namespaces, so it has a loopback of its own (nothing on the host's 127.0.0.1 answers),
// cannot see or signal other processes, sees no user files, and its whole process tree ends with
// it. Two ways to get there, detected once per host process:
// - bubblewrap (`bwrap`): preferred; it brings the new loopback up and mounts only what the child
//   needs (the system libraries, the Node executable and the sandbox script, read-only).
// - util-linux `unshare` with `ip` (iproute2): new namespaces, loopback brought up by `ip`; files
//   stay hidden by Node's permission model only (see README "Security").
// Where neither works (macOS, Windows, Linux without user namespaces) runs go ahead without this
// layer and say so: the in-process layers still apply.
import { spawnSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname } from 'node:path'

export type KernelLayer =
  { kind: 'bubblewrap'; path: string } | { kind: 'unshare'; path: string; ip: string } | { kind: 'none'; why: string }

/** Per-process file descriptors a run may hold (sockets included). */
export const RUN_FILE_LIMIT = 1024

const SEARCH_PATH = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']

let detected: KernelLayer | null = null

/**
 * Which kernel layer this host can use. RETRANSMIT_SANDBOX_KERNEL=bubblewrap|unshare|none picks one
 * (tests use it to exercise each; a developer can turn the layer off to debug).
 */
export function kernelLayer(): KernelLayer {
  detected ??= detect(process.env.RETRANSMIT_SANDBOX_KERNEL)
  return detected
}

/** For tests: forget the detection so the next run detects again (after changing the variable). */
export function resetKernelLayer(): void {
  detected = null
}

function detect(wanted: string | undefined): KernelLayer {
  if (wanted === 'none' || wanted === 'off') return { kind: 'none', why: 'turned off by RETRANSMIT_SANDBOX_KERNEL' }
  if (process.platform !== 'linux')
    return { kind: 'none', why: `namespaces are a Linux feature; this is ${process.platform}` }
  const bwrap = find('bwrap')
  const unshare = find('unshare')
  const ip = find('ip')
  const reasons: string[] = []
  if (wanted !== 'unshare') {
    if (bwrap && probe(bwrap, bubblewrapArgs([], '/bin/true', []).slice(1))) return { kind: 'bubblewrap', path: bwrap }
    reasons.push(bwrap ? 'bubblewrap could not create namespaces here' : 'bubblewrap is not installed')
  }
  if (wanted !== 'bubblewrap') {
    if (unshare && ip && probe(unshare, unshareArgs(ip, '/bin/true', []).slice(1)))
      return { kind: 'unshare', path: unshare, ip }
    reasons.push(
      !unshare
        ? 'unshare is not installed'
        : !ip
          ? "iproute2's ip is not installed"
          : 'unshare could not create user namespaces here'
    )
  }
  return { kind: 'none', why: reasons.join('; ') }
}

function find(name: string): string | null {
  for (const dir of SEARCH_PATH) {
    const path = `${dir}/${name}`
    if (existsSync(path)) return path
  }
  return null
}

function probe(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 })
  return result.status === 0
}

/**
 * The command that starts `executable args` inside the kernel layer, or null when there is none.
 * `readable` lists the files the child must read besides the system libraries (its script).
 */
export function wrapInKernelLayer(
  executable: string,
  args: string[],
  readable: string[]
): { command: string; args: string[] } | null {
  const layer = kernelLayer()
  if (layer.kind === 'none') return null
  const wrapped =
    layer.kind === 'bubblewrap' ? bubblewrapArgs(readable, executable, args) : unshareArgs(layer.ip, executable, args)
  const command = layer.path
  const rest = wrapped.slice(1)
  // prlimit caps the open files of the whole tree before anything runs; Node raises its soft
  // limit to the hard one at start, so both are set.
  const prlimit = find('prlimit')
  if (prlimit)
    return { command: prlimit, args: [`--nofile=${RUN_FILE_LIMIT}:${RUN_FILE_LIMIT}`, '--', command, ...rest] }
  return { command, args: rest }
}

/** ['bwrap', ...arguments]: fresh namespaces, a read-only view of what Node needs, nothing else. */
function bubblewrapArgs(readable: string[], executable: string, args: string[]): string[] {
  const binds: string[] = []
  const bind = (path: string) => {
    if (existsSync(path)) binds.push('--ro-bind', path, path)
  }
  for (const dir of ['/usr', '/lib', '/lib32', '/lib64', '/bin', '/sbin']) bind(dir)
  // The executable's own folder (a Node outside /usr, say under ~/.cache or /opt).
  if (existsSync(executable)) {
    const real = realpathSync(executable)
    if (!real.startsWith('/usr/')) bind(dirname(real))
  }
  for (const file of readable) bind(file)
  // Name resolution of 'localhost' reads these; they hold nothing private.
  for (const file of ['/etc/hosts', '/etc/nsswitch.conf', '/etc/host.conf', '/etc/gai.conf']) bind(file)
  return [
    'bwrap',
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    // An empty /tmp first: the script may live in a temp folder, bound on top of it below.
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    ...binds,
    '--chdir',
    '/',
    '--',
    executable,
    ...args
  ]
}

/** ['unshare', ...arguments]: new namespaces, the new loopback brought up, then exec the child. */
function unshareArgs(ip: string, executable: string, args: string[]): string[] {
  return [
    'unshare',
    '--user',
    '--map-root-user',
    '--net',
    '--pid',
    '--fork',
    '--kill-child',
    '--mount',
    '--mount-proc',
    '--ipc',
    '--uts',
    '--',
    '/bin/sh',
    '-c',
    '"$0" link set lo up || exit 97; exec "$@"',
    ip,
    executable,
    ...args
  ]
}
