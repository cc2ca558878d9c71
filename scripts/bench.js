#!/usr/bin/env node
// `npm run bench`: build the app (browser mode and the drill sandbox child are measured from
// the build), then run the vitest project `bench` (bench/**/*.bench-run.ts), which `npm test`
// leaves out: the project exists only when RETRANSMIT_BENCH=1.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
// `--skip-1m`: leave out the 1M-card tier of the scaling table (it builds a ~3 GB collection).
const args = process.argv.slice(2)
const skip1m = args.includes('--skip-1m')
const steps = [
  [npm, ['run', 'build'], {}],
  [
    process.execPath,
    [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--project',
      'bench',
      ...args.filter((a) => a !== '--skip-1m')
    ],
    { RETRANSMIT_BENCH: '1', ...(skip1m ? { RETRANSMIT_BENCH_SKIP_1M: '1' } : {}) }
  ]
]
for (const [command, args, env] of steps) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32'
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
