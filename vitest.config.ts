import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

// Two projects: fast service tests under plain Node, and the browser suite that drives
// Debian's Chromium against `retransmit serve` (it needs `npm run build` first). A third,
// `bench`, exists only when RETRANSMIT_BENCH=1 (set by `npm run bench`), so `npm test` never runs it.
const bench = process.env.RETRANSMIT_BENCH === '1'

export default defineConfig({
  test: {
    projects: [
      {
        // Renderer state modules (*.svelte.ts) are compiled for the client, as in the app, so their
        // tests (beside them in src/renderer) see runes behave as they do on the page.
        plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
        test: {
          name: 'unit',
          // Renderer tests sit beside their modules; any still in test/renderer run too.
          include: [
            'test/main/**/*.test.ts',
            'test/shared/**/*.test.ts',
            'test/renderer/**/*.test.ts',
            'src/renderer/**/*.test.ts'
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Concurrent tests (the drill mutants) at once; each test's timeout starts when it does.
          // Most of a drill run waits on sockets and timers, so three overlap well on two cores.
          maxConcurrency: 3
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A page under a loaded CI machine can take over a second to answer a key (the default
          // poll gives up after one); polls still end as soon as the page is right.
          expect: { poll: { timeout: 10_000 } }
        }
      },
      ...(bench
        ? [
            {
              test: {
                name: 'bench',
                include: ['bench/**/*.bench-run.ts'],
                environment: 'node',
                testTimeout: 3_000_000,
                hookTimeout: 60_000,
                fileParallelism: false,
                disableConsoleIntercept: true
              }
            }
          ]
        : [])
    ]
  }
})
