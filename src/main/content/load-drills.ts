// content/drills/<id>/ folders -> DrillDefinition[]. A broken folder is reported with file and
// line and skipped; the others still load.
import { countDeclaredTests, nestedTestCalls } from '../drills/declared-tests'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { splitFrontmatter } from './frontmatter'
import { isPlainName } from '../../shared/plain-name'
import {
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_TIME_LIMIT_MS,
  MAX_MEMORY_LIMIT_MB,
  MAX_TIME_LIMIT_MS,
  type DrillDefinition,
  type DrillDifficulty,
  type DrillLoadError,
  type TraceLayer
} from '../drills/types'

const REQUIRED_FILES = ['starter.ts', 'solution.ts', 'visible.test.ts', 'hidden.test.ts'] as const
/** content/drills/<id>/mutants/: realistic wrong solutions Submit must fail (content/README.md). */
export const MUTANTS_FOLDER = 'mutants'
const FIELDS = new Set(['id', 'title', 'deck', 'cards', 'difficulty', 'timeLimitMs', 'memoryLimitMb', 'trace'])
const DIFFICULTIES: DrillDifficulty[] = ['intro', 'core', 'stretch']
/** A card id, or one cloze card of a cloze block (`tcp-flags#c2`). */
const CARD_ID = /^[a-z0-9][a-z0-9-]{0,79}(#c[0-9]{1,3})?$/
const LAYERS: TraceLayer[] = ['tcp', 'udp', 'tls', 'http', 'ws', 'dns']

export interface LoadDrillsResult {
  drills: DrillDefinition[]
  errors: DrillLoadError[]
}

/** `contentDir` is the folder holding `drills/` (the repo's `content/`). */
export function loadDrills(contentDir: string): LoadDrillsResult {
  const root = join(contentDir, 'drills')
  const drills: DrillDefinition[] = []
  const errors: DrillLoadError[] = []
  if (!existsSync(root)) return { drills, errors }
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name)
    if (!statSync(dir).isDirectory()) continue
    const problems: DrillLoadError[] = []
    const drill = loadOne(dir, name, problems)
    if (drill && problems.length === 0) drills.push(drill)
    errors.push(...problems)
  }
  return { drills, errors }
}

function loadOne(dir: string, folder: string, problems: DrillLoadError[]): DrillDefinition | null {
  const rel = (file: string) => `drills/${folder}/${file}`
  const fail = (file: string, line: number, message: string) => {
    problems.push({ file: rel(file), line, message })
    return null
  }
  if (!isPlainName(folder))
    return fail('', 1, `folder name '${folder}' is not a plain name (lowercase letters, digits, '-')`)
  const read = (file: string): string | null => {
    const path = join(dir, file)
    if (!existsSync(path)) return null
    const bytes = readFileSync(path)
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
    if (text.includes('\uFFFD')) {
      fail(file, 1, 'the file is not valid UTF-8')
      return null
    }
    return text.replace(/\r\n/g, '\n')
  }
  const mdText = read('drill.md')
  if (mdText === null) return problems.length ? null : fail('drill.md', 1, 'missing drill.md')
  const files: Record<string, string> = {}
  for (const f of REQUIRED_FILES) {
    const text = read(f)
    if (text === null) fail(f, 1, `missing ${f} (a drill needs ${REQUIRED_FILES.join(', ')})`)
    else files[f] = text
  }
  for (const f of ['visible.test.ts', 'hidden.test.ts']) {
    const text = files[f]
    if (text === undefined) continue
    for (const line of nestedTestCalls(text))
      fail(
        f,
        line,
        'test(...) must be a top-level call at the start of a line, so the host knows how many tests the file declares'
      )
    if (countDeclaredTests(text) === 0) fail(f, 1, 'the file declares no test: add test(name, fn) calls')
  }
  const support: Record<string, string> = {}
  for (const f of readdirSync(dir).sort()) {
    if (f === 'drill.md' || (REQUIRED_FILES as readonly string[]).includes(f)) continue
    // Wrong solutions kept for the mutation test (test/main/drills/mutants.test.ts): content
    // checks, never part of the drill the learner gets.
    if (f === MUTANTS_FOLDER && statSync(join(dir, f)).isDirectory()) continue
    if (!/^[a-z0-9][a-z0-9-]*\.ts$/.test(f)) {
      fail(
        f,
        1,
        `unexpected file '${f}': a drill folder holds drill.md, ${REQUIRED_FILES.join(', ')} and support modules named like 'helpers.ts'`
      )
      continue
    }
    const text = read(f)
    if (text !== null) support[f.slice(0, -3)] = text
  }

  const fm = splitFrontmatter(mdText, rel('drill.md'))
  if (!fm.ok) return fail('drill.md', fm.problem.line, fm.problem.message)
  const { data, keyLines, body, bodyLine } = fm.value
  const lineOf = (key: string) => keyLines.get(key) ?? 1
  for (const key of Object.keys(data))
    if (!FIELDS.has(key)) fail('drill.md', lineOf(key), `unknown field '${key}' (known: ${[...FIELDS].join(', ')})`)
  const str = (key: string, required: boolean): string => {
    const v = data[key]
    if (v === undefined && !required) return ''
    if (typeof v !== 'string' || v.trim() === '') fail('drill.md', lineOf(key), `'${key}' must be a non-empty string`)
    return typeof v === 'string' ? v.trim() : ''
  }
  const id = str('id', true)
  if (id && id !== folder) fail('drill.md', lineOf('id'), `id '${id}' must equal the folder name '${folder}'`)
  const title = str('title', true)
  const deck = str('deck', true)
  if (deck && !isPlainName(deck)) fail('drill.md', lineOf('deck'), `deck '${deck}' is not a plain name`)
  const cards = data.cards === undefined ? [] : data.cards
  if (!Array.isArray(cards) || cards.some((c) => typeof c !== 'string' || !CARD_ID.test(c))) {
    fail('drill.md', lineOf('cards'), "'cards' must be a list of card ids, e.g. [tuv-length-prefix, tcp-flags#c2]")
  }
  const difficulty = (data.difficulty ?? 'core') as DrillDifficulty
  if (!DIFFICULTIES.includes(difficulty))
    fail('drill.md', lineOf('difficulty'), `'difficulty' must be one of ${DIFFICULTIES.join(', ')}`)
  const int = (key: string, fallback: number, max: number): number => {
    const v = data[key] ?? fallback
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > max)
      fail('drill.md', lineOf(key), `'${key}' must be a whole number from 1 to ${max}`)
    return typeof v === 'number' ? v : fallback
  }
  const timeLimitMs = int('timeLimitMs', DEFAULT_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS)
  const memoryLimitMb = int('memoryLimitMb', DEFAULT_MEMORY_LIMIT_MB, MAX_MEMORY_LIMIT_MB)
  const trace = (data.trace ?? LAYERS) as TraceLayer[]
  if (!Array.isArray(trace) || trace.some((t) => !LAYERS.includes(t)))
    fail('drill.md', lineOf('trace'), `'trace' must be a list of ${LAYERS.join(', ')}`)

  const { task, hints } = splitHints(body, bodyLine, (line, message) => fail('drill.md', line, message))
  if (task.trim() === '') fail('drill.md', bodyLine, 'the task (markdown after the frontmatter) is empty')
  if (problems.length > 0) return null
  return {
    id,
    title,
    deck,
    cards: cards as string[],
    difficulty,
    timeLimitMs,
    memoryLimitMb,
    trace,
    task,
    hints,
    starter: files['starter.ts'] ?? '',
    solution: files['solution.ts'] ?? '',
    visibleTests: files['visible.test.ts'] ?? '',
    hiddenTests: files['hidden.test.ts'] ?? '',
    support
  }
}

/** Takes `::: hint` ... `:::` blocks out of the body (fenced code is left alone). */
function splitHints(
  body: string,
  firstLine: number,
  fail: (line: number, message: string) => void
): { task: string; hints: string[] } {
  const taskLines: string[] = []
  const hints: string[] = []
  let hint: string[] | null = null
  let hintStart = 0
  let fence: string | null = null
  body.split('\n').forEach((line, i) => {
    const fenceMark = /^\s*(```+|~~~+)/.exec(line)?.[1]
    if (fenceMark && (fence === null || fenceMark.startsWith(fence))) fence = fence === null ? fenceMark : null
    if (fence === null && hint === null && /^:::\s*hint\s*$/.test(line)) {
      hint = []
      hintStart = firstLine + i
      return
    }
    if (fence === null && hint !== null && /^:::\s*$/.test(line)) {
      hints.push((hint as string[]).join('\n').trim())
      hint = null
      return
    }
    if (fence === null && hint === null && /^:::/.test(line))
      fail(firstLine + i, `unknown block '${line.trim()}' (drills only have '::: hint' blocks)`)
    ;(hint ?? taskLines).push(line)
  })
  if (hint !== null) fail(hintStart, "'::: hint' block is not closed with a line ':::'")
  return { task: taskLines.join('\n').trim(), hints }
}
