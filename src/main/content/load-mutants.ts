// content/drills/<id>/mutants/<name>.patch -> the wrong solutions the mutation test submits
// (test/main/drills/mutants.test.ts). A file is one line naming the bug ("Bug: ..."), then a
// unified diff against the drill's solution.ts: a mutant is the reference solution plus one planted
// bug, so it follows the solution instead of drifting as a copy would. Only tests read mutants.
import { applyPatch, parsePatch, type StructuredPatch } from 'diff'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { MUTANTS_FOLDER } from './load-drills'

export const MUTANT_SUFFIX = '.patch'
const BUG_LINE = /^Bug: \S/

export interface Mutant {
  /** The file name without `.patch`. */
  name: string
  /** The first line without its `Bug: ` label: what is wrong, in one sentence. */
  bug: string
  /** solution.ts with the patch applied. */
  code: string
}

/** A mutant that cannot be built; `file` is relative to the content folder, `line` 1-based. */
export class MutantError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string
  ) {
    super(`${file}:${line}: ${message}`)
    this.name = 'MutantError'
  }
}

/**
 * Every mutant of the drill in `contentDir/drills/<drillId>`, sorted by name. Throws MutantError at
 * the first file that is not a mutant or whose patch no longer applies to `solution` (exactly:
 * no fuzz, so a patch whose context went stale is reported rather than planted somewhere else).
 */
export function loadMutants(contentDir: string, drillId: string, solution: string): Mutant[] {
  const rel = `drills/${drillId}/${MUTANTS_FOLDER}`
  const dir = join(contentDir, rel)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .map((f) => {
      if (!f.endsWith(MUTANT_SUFFIX))
        throw new MutantError(`${rel}/${f}`, 1, `not a mutant: this folder holds only <name>${MUTANT_SUFFIX} files`)
      const text = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n')
      return buildMutant(`${rel}/${f}`, f.slice(0, -MUTANT_SUFFIX.length), text, solution)
    })
}

/** One mutant from its patch text; `file` names it in errors. */
export function buildMutant(file: string, name: string, text: string, solution: string): Mutant {
  const fail = (line: number, message: string) => new MutantError(file, line, `mutant '${name}' ${message}`)
  const firstLine = text.split('\n', 1)[0] ?? ''
  if (!BUG_LINE.test(firstLine)) throw fail(1, "must open with a line 'Bug: <what is wrong>'")
  let patches: StructuredPatch[]
  try {
    patches = parsePatch(text)
  } catch (e) {
    throw fail(1, `is not a unified diff: ${e instanceof Error ? e.message : String(e)}`)
  }
  const [patch] = patches
  if (patches.length !== 1 || !patch || patch.hunks.length === 0)
    throw fail(1, 'must hold one unified diff (---, +++ and @@ hunks) against solution.ts')
  const lines = text.split('\n')
  // Apply one hunk more each time, so the error names the first hunk that no longer fits.
  let code: string | false = solution
  for (let i = 1; i <= patch.hunks.length; i++) {
    code = applyPatch(solution, { ...patch, hunks: patch.hunks.slice(0, i) })
    if (code === false) {
      const h = patch.hunks[i - 1]!
      const header = `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`
      const at = lines.findIndex((l) => l.startsWith(header))
      throw fail(
        at + 1 || 1,
        `no longer applies to solution.ts: hunk ${header} finds no lines matching its context and '-' lines`
      )
    }
  }
  if (code === solution) throw fail(1, 'leaves solution.ts unchanged')
  return { name, bug: firstLine.replace(/^Bug: /, ''), code }
}
