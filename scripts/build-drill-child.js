#!/usr/bin/env node
// Bundles the drill sandbox's child process (src/main/drills/sandbox/child-main.ts) and the
// type-check worker (src/main/drills/typecheck/type-check-worker.ts) into CommonJS files under
// out/drills/, so the built app and CLI never compile them at run time. The worker keeps
// `typescript` external: it is a runtime dependency, loaded from node_modules.
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
  legalComments: 'none',
  // As in src/main/drills/child-script.ts: strict, and `process` bound to the real one.
  banner: { js: '"use strict";' },
  inject: [join(root, 'src/main/drills/sandbox/real-process.ts')]
})
await build({
  entryPoints: [join(root, 'src/main/drills/typecheck/type-check-worker.ts')],
  outfile: join(root, 'out/drills/type-check-worker.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['typescript'],
  logLevel: 'warning',
  legalComments: 'none'
})
