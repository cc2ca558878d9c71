// Error messages in terms of the learner's files: bundle positions -> `solution.ts:12:5`.
import { SourceMap } from 'node:module'

export const BUNDLE_FILENAME = 'drill-bundle.js'

export interface ErrorFormatter {
  /** `message` plus up to three `at file:line:col` lines inside drill files. */
  format(err: unknown): string
  /** The first drill-file position in the error's stack, or ''. */
  location(err: unknown): string
}

export function createErrorFormatter(mapJson: string, firstLineShift: number): ErrorFormatter {
  let map: SourceMap | null = null
  const getMap = () => (map ??= new SourceMap(JSON.parse(mapJson) as never))
  const frames = (err: unknown): string[] => {
    const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : ''
    const out: string[] = []
    for (const m of stack.matchAll(/drill-bundle\.js:(\d+):(\d+)/g)) {
      const line = Number(m[1]) - 1
      const column = Number(m[2]) - 1 - (line === 0 ? firstLineShift : 0)
      const entry = getMap().findEntry(line, Math.max(0, column)) as {
        originalSource?: string
        originalLine?: number
        originalColumn?: number
      }
      if (!entry.originalSource) continue
      const file = entry.originalSource.replace(/^.*drill:/, '')
      const where = `${file}:${(entry.originalLine ?? 0) + 1}:${(entry.originalColumn ?? 0) + 1}`
      if (!out.includes(where)) out.push(where)
      if (out.length === 3) break
    }
    return out
  }
  return {
    format(err) {
      const head = describe(err)
      const where = frames(err)
      return where.length ? `${head}\n${where.map((w) => `    at ${w}`).join('\n')}` : head
    },
    location(err) {
      return frames(err)[0] ?? ''
    }
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) {
    // Assertion messages are written for the learner; show them as they are.
    if (
      (err as { code?: string }).code === 'ERR_ASSERTION' ||
      err.name === 'SandboxRefusal' ||
      err.name === 'StrayError'
    )
      return err.message
    return `${err.name}: ${err.message}`
  }
  return `thrown value: ${String(err)}`
}
