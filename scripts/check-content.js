#!/usr/bin/env node
// Checks content/ for errors and prints per-deck counts (same as `retransmit check`).
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const run = spawnSync(process.execPath, [join(root, 'bin', 'retransmit.js'), 'check', ...process.argv.slice(2)], {
  stdio: 'inherit'
})
process.exit(run.status ?? 1)
