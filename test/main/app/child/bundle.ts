// Bundles a TypeScript entry that uses the real services into one ES module a child process
// can run with plain `node`. db.ts loads its migrations with Vite's `import.meta.glob`; the
// plugin below does the same at bundle time (the files' text, keyed by relative path), so
// this works in a fresh clone after `npm ci`, without `npm run build`.
import { readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { tempDir } from '../../../helpers/temp'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')

const viteGlob: Plugin = {
  name: 'vite-import-meta-glob',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.glob(')) return undefined
      const contents = source.replace(
        /import\.meta\.glob\(\s*'\.\/([\w-]+)\/\*(\.\w+)'\s*,\s*\{[^}]*\}\s*\)/g,
        (_match, folder: string, extension: string) => {
          const dir = join(dirname(args.path), folder)
          const files = readdirSync(dir).filter((name) => name.endsWith(extension))
          return JSON.stringify(
            Object.fromEntries(files.map((name) => [`./${folder}/${name}`, readFileSync(join(dir, name), 'utf8')]))
          )
        }
      )
      return { contents, loader: 'ts' }
    })
  }
}

/** Bundles `entry` (a path under the repo) and returns the .mjs path to run with process.execPath. */
export async function bundleChild(entry: string): Promise<string> {
  const dir = tempDir('retransmit-child-')
  // Packages stay external; a node_modules link beside the bundle lets Node resolve them.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const outfile = join(dir, 'child.mjs')
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    plugins: [viteGlob],
    logLevel: 'error'
  })
  return outfile
}
