// Loaded into a `serve` process with --import: prints a line on stderr for each package (a bare
// specifier, not a built-in) the process resolves, by import or require, so a test can see
// which packages a start loads and which wait for their first use.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context)
    if (!/^(\.|\/|node:|file:|data:)/.test(specifier)) process.stderr.write(`package loaded: ${specifier}\n`)
    return resolved
  }
})
