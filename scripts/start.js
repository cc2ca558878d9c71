#!/usr/bin/env node
// `npm start`: build, then run the desktop app. Electron downloads its binary on first run;
// where that cannot happen, say so in one sentence and point to browser mode.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
for (const args of [[join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], [join(root, 'scripts', 'build-drill-child.js')]]) {
  const build = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

let electronPath
try {
  electronPath = createRequire(import.meta.url)('electron')
} catch {
  process.stderr.write('Retransmit could not start its desktop window because the Electron binary could not be downloaded; run `npm run serve` to use Retransmit in your browser instead.\n')
  process.exit(1)
}
const child = spawn(electronPath, [root], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
