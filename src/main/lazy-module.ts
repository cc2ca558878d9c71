// Packages only some requests need (an import's parsers, YAML for a changed content file) are
// loaded at their first use: at start, before its first answer, the app would otherwise
// evaluate them all (csv-parse, fflate and yaml cost ~40-80 ms each on the shared machine).
// `require` keeps the call synchronous, as the parsers that use them are.
import { createRequire } from 'node:module'

// Not named `require`: the bundle's own CommonJS shim declares that name in the same chunk.
const requirePackage = createRequire(import.meta.url)

/** The package `id`, required at the first call and kept. */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= requirePackage(id) as T)
}
