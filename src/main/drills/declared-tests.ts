// How many tests a test file declares, known on the host without running anything: each test is a
// top-level `test(` call at the start of a line (content/README.md, "Drills"). The host compares the
// child's plan with these counts, so a run that registers fewer, more or no tests is an error
// whatever the child reports.
const DECLARATION = /^test\(/gm
const ANY_CALL = /(^|[^\w$.])test\(/gm

export function countDeclaredTests(source: string): number {
  return source.match(DECLARATION)?.length ?? 0
}

/** Lines (1-based) with a test( call that is not a top-level declaration: the loader refuses them. */
export function nestedTestCalls(source: string): number[] {
  const lines: number[] = []
  for (const match of source.matchAll(ANY_CALL)) {
    const at = (match.index ?? 0) + (match[1]?.length ?? 0)
    const lineStart = source.lastIndexOf('\n', at - 1) + 1
    if (at !== lineStart) lines.push(source.slice(0, at).split('\n').length)
  }
  return lines
}
