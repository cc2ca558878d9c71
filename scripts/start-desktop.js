// The body of `npm start`, loaded once the Node version is known to be new enough. Electron's
// package downloads its binary the first time it is required; that is done in a child process
// whose output is kept, so a failed download becomes one paragraph here, not a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

/** Runs the desktop app; resolves to the exit code to leave with. */
export async function start() {
  const electronPath = findElectron()
  if (!electronPath) return 1
  for (const args of [
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    [join(root, 'scripts', 'build-drill-child.js')]
  ]) {
    const build = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) return build.status ?? 1
  }
  const child = spawn(electronPath, [root], { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)))
}

/** The Electron executable's path, downloading it on first use; null (after saying why) when missing. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8'
  })
  const lines = probe.stdout.trim().split('\n')
  const found = lines.at(-1)
  if (probe.status === 0 && found && existsSync(found)) return found
  // The first line the installer printed names the cause (e.g. "TypeError: fetch failed");
  // the rest is the package's stack trace, which says nothing more to a user.
  const cause = (probe.stderr ?? '')
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.replace(/^\w*Error: /, '')
    .slice(0, 200)
  process.stderr.write(
    'Retransmit could not open its desktop window: the Electron binary is not installed here' +
      `${probe.status === 0 ? '' : ` and could not be downloaded${cause ? ` (${cause})` : ''}`}. Electron fetches it from GitHub the first ` +
      'time `npm start` runs, so this needs internet access (or ELECTRON_MIRROR pointing at a mirror you ' +
      'can reach); run `npm start` again once you have it. Meanwhile the whole app works in your ' +
      'browser: run `npm run serve` and open the address it prints.\n'
  )
  return null
}
