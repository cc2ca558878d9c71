// Where the sandbox child's code (and the type-check worker's) comes from. In development and
// tests each is bundled on first use from its TypeScript source with esbuild, into a private temp
// folder; a packaged app should build them ahead of time and pass their paths to
// configureRunner({ childScriptPath, typeCheckWorkerPath }).
import type { BuildOptions } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

let configuredPath: string | null = null
let built: Promise<string> | null = null
let tempDir: string | null = null

export function setChildScriptPath(path: string | null): void {
  configuredPath = path
}

export function childScriptPath(): Promise<string> {
  if (configuredPath) return Promise.resolve(configuredPath)
  built ??= buildChildScript()
  return built
}

function buildChildScript(): Promise<string> {
  return bundledScriptPath('drill-child', new URL('./sandbox/child-main.ts', import.meta.url), [], {
    // Keep in step with scripts/build-drill-child.js: the sandbox's own code is strict and its
    // `process` is the real one (sandbox/real-process.ts), whatever drill code's global says.
    banner: { js: '"use strict";' },
    inject: [fileURLToPath(new URL('./sandbox/real-process.ts', import.meta.url))]
  })
}

const bundles = new Map<string, Promise<string>>()

/** Bundle a TypeScript entry (from source) into `<name>.cjs` in a private temp folder, once per process. */
export function bundledScriptPath(
  name: string,
  entry: URL,
  external: string[],
  extra: Pick<BuildOptions, 'banner' | 'inject'> = {}
): Promise<string> {
  let path = bundles.get(name)
  if (!path) {
    path = (async () => {
      const { build } = await import('esbuild')
      const result = await build({
        entryPoints: [fileURLToPath(entry)],
        bundle: true,
        write: false,
        format: 'cjs',
        platform: 'node',
        target: 'node22',
        external,
        logLevel: 'silent',
        legalComments: 'none',
        ...extra
      })
      const code = result.outputFiles[0]?.text
      if (!code) throw new Error(`could not build ${name}`)
      tempDir ??= mkdtempSync(join(tmpdir(), 'retransmit-drills-'))
      const file = join(tempDir, `${name}.cjs`)
      writeFileSync(file, code)
      return file
    })()
    bundles.set(name, path)
  }
  return path
}

export function removeBuiltChildScript(): void {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true })
  tempDir = null
  built = null
  bundles.clear()
}
