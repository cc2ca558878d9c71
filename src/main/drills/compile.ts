// Turns a drill's tests plus the learner's solution.ts into one CommonJS bundle for the sandbox.
// esbuild reports syntax errors and refused imports with the line and column in the learner's
// file; built-ins and `retransmit:test` stay external and are served by the sandbox's require.
import { createHash } from 'node:crypto'
import type { Message, Plugin } from 'esbuild'
import { HARNESS_MODULE, allowedBuiltin, refusedModuleMessage } from './policy'
import type { DrillDefinition, RunMode } from './types'

export const SOLUTION_FILE = 'solution.ts'
const NAMESPACE = 'drill'

export type CompileResult = { ok: true; bundle: string; sourceMap: string } | { ok: false; message: string }

/** Recent bundles by content: Run again, or Submit after Run, skips the bundler. */
const recent = new Map<string, CompileResult>()
const RECENT_MAX = 16

export async function compileDrill(drill: DrillDefinition, code: string, mode: RunMode): Promise<CompileResult> {
  const key = createHash('sha256')
    .update(JSON.stringify([mode, code, drill.visibleTests, drill.hiddenTests, drill.support]))
    .digest('hex')
  const known = recent.get(key)
  if (known) return known
  const result = await compileUncached(drill, code, mode)
  recent.delete(key)
  recent.set(key, result)
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string)
  return result
}

async function compileUncached(drill: DrillDefinition, code: string, mode: RunMode): Promise<CompileResult> {
  const testFiles = mode === 'submit' ? ['visible.test.ts', 'hidden.test.ts'] : ['visible.test.ts']
  const sources = new Map<string, string>([
    [SOLUTION_FILE, code],
    ['visible.test.ts', drill.visibleTests],
    ['hidden.test.ts', drill.hiddenTests],
    ...Object.entries(drill.support).map(([name, text]) => [`${name}.ts`, text] as [string, string])
  ])
  const entry = `module.exports = [${testFiles.map((f) => `[${JSON.stringify(f)}, () => require(${JSON.stringify(`./${f}`)})]`).join(', ')}]`

  const plugin: Plugin = {
    name: 'retransmit-drill',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: 'entry.js', namespace: NAMESPACE }
        const fromSolution = args.importer === SOLUTION_FILE
        // The harness belongs to the tests: solution.ts could otherwise register tests of its own.
        if (args.path === HARNESS_MODULE && !fromSolution) return { path: HARNESS_MODULE, external: true }
        const builtin = allowedBuiltin(args.path)
        if (builtin) return { path: builtin, external: true }
        if (args.path.startsWith('./') && !fromSolution) {
          const name = args.path.slice(2).replace(/\.(ts|js)$/, '')
          if (sources.has(`${name}.ts`)) return { path: `${name}.ts`, namespace: NAMESPACE }
        }
        if (args.path === HARNESS_MODULE)
          return { errors: [{ text: `solution.ts may not import ${HARNESS_MODULE}: it belongs to the tests` }] }
        const why = fromSolution && args.path.startsWith('./') ? 'solution.ts may only import Node built-ins: ' : ''
        return { errors: [{ text: why + refusedModuleMessage(args.path) }] }
      })
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: args.path === 'entry.js' ? entry : (sources.get(args.path) ?? ''),
        loader: args.path === 'entry.js' ? 'js' : 'ts'
      }))
    }
  }

  try {
    // esbuild is loaded at the first compile: a start of the app that runs no drill never pays for it.
    const { build } = await import('esbuild')
    const result = await build({
      entryPoints: ['entry.js'],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      outfile: 'drill-bundle.js',
      sourcemap: 'external',
      sourcesContent: false,
      keepNames: true,
      // Keep imports that look unused, so `import fs from 'node:fs'` is refused even when fs is never called.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      // import(x) becomes a call to the sandbox's require, which applies the module policy to
      // computed names too (a real import() inside vm needs --experimental-vm-modules and fails).
      supported: { 'dynamic-import': false },
      logLevel: 'silent',
      plugins: [plugin]
    })
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'))
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))
    if (!js || !map) return { ok: false, message: 'internal error: the bundler produced no output' }
    return { ok: true, bundle: js.text, sourceMap: map.text }
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors
    if (!errors?.length)
      return { ok: false, message: `could not compile: ${err instanceof Error ? err.message : String(err)}` }
    return { ok: false, message: errors.slice(0, 5).map(formatMessage).join('\n') }
  }
}

function formatMessage(m: Message): string {
  const loc = m.location
  if (!loc) return m.text
  const file = loc.file.replace(/^.*drill:/, '')
  const where = `${file}:${loc.line}:${loc.column + 1}`
  const caret = `${' '.repeat(String(loc.line).length + 5 + loc.column)}^`
  return `${where}: ${m.text}\n  ${loc.line} | ${loc.lineText}\n${caret}`
}
