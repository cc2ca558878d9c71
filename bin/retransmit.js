#!/usr/bin/env node
// The `retransmit` command. Runs the built CLI (out/main/cli.js), building it first if a
// fresh checkout has not been built yet.
import { spawnSync } from 'node:child_process'
import { enableCompileCache } from 'node:module'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`retransmit: Node ${process.versions.node} is too old; Retransmit needs Node 22.12 or newer.\n`)
  process.exit(2)
}

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const cli = join(root, 'out', 'main', 'cli.js')
const built = [cli, join(root, 'out', 'renderer', 'index.html'), join(root, 'out', 'drills', 'child.cjs')]
if (!built.every((file) => existsSync(file))) {
  process.stderr.write('retransmit: building the app (first run)...\n')
  const steps = [
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    [join(root, 'scripts', 'build-drill-child.js')]
  ]
  const failed = steps.some((args) => spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0)
  if (failed) {
    process.stderr.write('retransmit: the build failed; run `npm run build` to see why.\n')
    process.exit(1)
  }
}
// V8's code cache on disk (Node 22.1+): later starts load the bundled app without compiling it again.
enableCompileCache?.()
const { main } = await import(pathToFileURL(cli).href)
process.exitCode = await main(process.argv.slice(2))
