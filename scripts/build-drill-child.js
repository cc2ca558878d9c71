#!/usr/bin/env node
// Bundles the drill sandbox's child process (src/main/drills/sandbox/child-main.ts) into one
// CommonJS file, out/drills/child.cjs, so the built app and CLI never compile it at run time.
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
await build({
  entryPoints: [join(root, 'src/main/drills/sandbox/child-main.ts')],
  outfile: join(root, 'out/drills/child.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
  legalComments: 'none'
})
