// YAML frontmatter at the top of a content file: `---`, YAML, `---`.
import type { ContentProblem } from '../../shared/domain'
import { lazyModule } from '../lazy-module'

/** Loaded at the first file parsed: a start whose content is unchanged parses none. */
const yaml = lazyModule<typeof import('yaml')>('yaml')

export interface Frontmatter {
  data: Record<string, unknown>
  /** 1-based line of each top-level key, for error messages. */
  keyLines: Map<string, number>
  /** 1-based line where the text after the frontmatter starts. */
  bodyLine: number
  body: string
}

export type FrontmatterResult = { ok: true; value: Frontmatter } | { ok: false; problem: ContentProblem }

export function splitFrontmatter(text: string, file: string): FrontmatterResult {
  const lines = text.split('\n')
  const fail = (line: number, message: string): FrontmatterResult => ({
    ok: false,
    problem: { file, line, message, severity: 'error' }
  })
  if (lines[0]?.trimEnd() !== '---') return fail(1, 'missing frontmatter: the file must start with a line `---`')
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---')
  if (close < 0) return fail(1, 'frontmatter is not closed: add a line `---` after it')
  const yamlText = lines.slice(1, close).join('\n')
  const doc = yaml().parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true })
  const lineOf = (offset: number) => yamlText.slice(0, offset).split('\n').length + 1
  const firstError = doc.errors[0]
  if (firstError)
    return fail(lineOf(firstError.pos[0]), `invalid YAML in frontmatter: ${firstError.message.split('\n')[0]}`)
  let data: unknown
  try {
    // toJS resolves aliases: an alias with no anchor, or too many (a "billion laughs" file),
    // throws ReferenceError here rather than showing up in doc.errors.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {}
  } catch (error) {
    return fail(
      2,
      `invalid YAML in frontmatter: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200)}`
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(2, 'frontmatter must be a set of `field: value` lines')
  }
  const keyLines = new Map<string, number>()
  lines.slice(1, close).forEach((line, i) => {
    const key = /^([A-Za-z0-9_-]+)\s*:/.exec(line)?.[1]
    if (key && !keyLines.has(key)) keyLines.set(key, i + 2)
  })
  return {
    ok: true,
    value: {
      data: data as Record<string, unknown>,
      keyLines,
      bodyLine: close + 2,
      body: lines.slice(close + 1).join('\n')
    }
  }
}

/** Tags written as a YAML list or a comma-separated string, normalized to lowercase words. */
export function normalizeTags(value: unknown): string[] | null {
  if (value === undefined || value === null) return []
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null
  if (!raw || raw.some((tag) => typeof tag !== 'string' && typeof tag !== 'number')) return null
  return raw.map((tag) => String(tag).trim().toLowerCase().replace(/\s+/g, '-')).filter((tag) => tag.length > 0)
}
