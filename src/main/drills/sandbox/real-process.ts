// Injected by esbuild into the sandbox child's bundle (see child-script.ts and
// scripts/build-drill-child.js): every `process` in the sandbox's own code means this, the real
// process object, captured before anything runs. Drill code's global `process` is replaced by the
// allow-listed one (safe-process.ts) before drill code exists.
const real: NodeJS.Process = globalThis.process
export { real as process }
