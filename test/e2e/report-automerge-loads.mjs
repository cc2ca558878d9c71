// Loaded into a `serve` process with --import: prints a line on stderr for each Automerge module
// the process resolves, so a test can see when (and whether) device sync's libraries are loaded.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context)
    if (specifier.startsWith('@automerge/')) process.stderr.write(`automerge loaded: ${specifier}\n`)
    return resolved
  }
})
