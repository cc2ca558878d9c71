// The body of the `retransmit` command, loaded by bin/retransmit.js once the Node version is known
// to be new enough. Runs the built CLI (out/main/cli.js), building it first if a fresh checkout
// has not been built yet.
import { spawnSync } from 'node:child_process'
import { enableCompileCache } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

/** Runs the CLI with `argv` (without node and the script) and resolves to its exit code. */
export async function run(argv) {
  const cli = join(root, 'out', 'main', 'cli.js')
  const built = [cli, join(root, 'out', 'renderer', 'index.html'), join(root, 'out', 'drills', 'child.cjs')]
  if (!built.every((file) => existsSync(file))) {
    process.stderr.write('retransmit: building the app (first run)...\n')
    const steps = [
      [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
      [join(root, 'scripts', 'build-drill-child.js')]
    ]
    const failed = steps.some(
      (args) => spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0
    )
    if (failed) {
      process.stderr.write('retransmit: the build failed; run `npm run build` to see why.\n')
      return 1
    }
  }
  // V8's code cache on disk (Node 22.1+): later starts load the bundled app without compiling it again.
  enableCompileCache()
  const { main } = await import(pathToFileURL(cli).href)
  return main(argv)
}
