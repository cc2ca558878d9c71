import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// Three builds: the main process (Electron entry and the plain-Node CLI entry share
// the services), the sandboxed preload (CommonJS, everything bundled, since a sandboxed
// preload cannot load ES modules or node_modules), and the Svelte renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // zod (the contract's validation, needed for the first answer) is bundled into the main
      // chunk: loading its ~100 ESM files one by one cost every start of `serve` ~50-80 ms.
      externalizeDeps: { exclude: ['zod'] },
      lib: {
        entry: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/doors/cli.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: 'src/renderer',
    plugins: [svelte()],
    build: {
      outDir: 'out/renderer',
      // Minified: the scripts a page loads are parsed before it paints (Home: see
      // test/e2e/bundle-split.test.ts). Each page but Home is its own chunk (App.svelte).
      minify: true,
      // Fonts (KaTeX's) stay files: a font inlined as a data: URL would be refused by font-src 'self'.
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
