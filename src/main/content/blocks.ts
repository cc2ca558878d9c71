// Splits a topic file's body into the note text and its `::: kind id [type]` blocks.
import type { ContentProblem } from '../../shared/domain'
import { stepFence, type FenceState } from '../../shared/markdown-code'

export type BlockKind = 'card' | 'cloze' | 'quiz'

export interface RawBlock {
  kind: BlockKind
  id: string
  type: string | null
  /** 1-based line of the opening `:::` line. */
  line: number
  fields: Map<string, { value: string; line: number }>
  /** Body text before the first `---` line (outside code fences). */
  front: string
  /** Body text after it, or null when there is no separator. */
  back: string | null
  /** 1-based lines of the front's and the back's first text lines (for errors inside them). */
  frontLine: number
  backLine: number
}

export interface ScannedBody {
  note: string
  blocks: RawBlock[]
  problems: ContentProblem[]
}

const OPEN = /^:::\s*(\S+)(?:\s+(\S+))?(?:\s+(\S+))?\s*$/
const CLOSE = /^:::\s*$/
const FIELD = /^([a-z][a-z-]*):\s*(.*)$/
const KINDS = new Set<string>(['card', 'cloze', 'quiz'])

export function scanBlocks(body: string, firstLine: number, file: string): ScannedBody {
  const lines = body.split('\n')
  const note: string[] = []
  const blocks: RawBlock[] = []
  const problems: ContentProblem[] = []
  let fence: FenceState | null = null
  let open: { header: RegExpExecArray; line: number; lines: { text: string; line: number }[] } | null = null

  lines.forEach((text, index) => {
    const line = firstLine + index
    const inFence = fence !== null
    fence = stepFence(text, fence)
    const structural = !inFence && fence === null
    if (open) {
      if (structural && CLOSE.test(text)) {
        const block = finishBlock(open.header, open.line, open.lines, file, problems)
        if (block) blocks.push(block)
        open = null
        return
      }
      if (structural && OPEN.test(text)) {
        problems.push(
          problem(
            file,
            open.line,
            `block \`${open.header[0].trim()}\` is not closed: add a line \`:::\` before line ${line}`
          )
        )
        open = null
      } else {
        open.lines.push({ text, line })
        return
      }
    }
    const header = structural ? OPEN.exec(text) : null
    if (header) {
      open = { header, line, lines: [] }
      fence = null
      return
    }
    if (structural && CLOSE.test(text)) {
      problems.push(problem(file, line, 'a closing `:::` with no block open'))
      return
    }
    note.push(text)
  })
  if (open !== null) {
    const unclosed: { header: RegExpExecArray; line: number } = open
    problems.push(
      problem(
        file,
        unclosed.line,
        `block \`${unclosed.header[0].trim()}\` is not closed: add a line \`:::\` at its end`
      )
    )
  }
  return { note: note.join('\n').trim(), blocks, problems }
}

function finishBlock(
  header: RegExpExecArray,
  line: number,
  lines: { text: string; line: number }[],
  file: string,
  problems: ContentProblem[]
): RawBlock | null {
  const [, kind, id, type] = header
  if (!kind || !KINDS.has(kind)) {
    problems.push(problem(file, line, `unknown block kind \`${kind ?? ''}\` (expected card, cloze or quiz)`))
    return null
  }
  if (!id) {
    problems.push(problem(file, line, `block \`::: ${kind}\` needs an id: \`::: ${kind} my-id\``))
    return null
  }
  const fields = new Map<string, { value: string; line: number }>()
  let i = 0
  for (; i < lines.length; i++) {
    const match = FIELD.exec(lines[i]!.text)
    if (!match) break
    const name = match[1]!
    if (fields.has(name)) problems.push(problem(file, lines[i]!.line, `field \`${name}\` given twice`))
    fields.set(name, { value: match[2]!.trim(), line: lines[i]!.line })
  }
  const bodyLines = lines.slice(i)
  let fence: FenceState | null = null
  let separator = -1
  bodyLines.forEach((entry, k) => {
    const inFence = fence !== null
    fence = stepFence(entry.text, fence)
    if (separator < 0 && !inFence && fence === null && entry.text.trim() === '---') separator = k
  })
  const firstLine = (part: { text: string; line: number }[]) => part.find((e) => e.text.trim() !== '')?.line ?? line
  const frontPart = separator < 0 ? bodyLines : bodyLines.slice(0, separator)
  const backPart = separator < 0 ? [] : bodyLines.slice(separator + 1)
  const join = (part: { text: string }[]) =>
    part
      .map((entry) => entry.text)
      .join('\n')
      .trim()
  return {
    kind: kind as BlockKind,
    id,
    type: type ?? null,
    line,
    fields,
    front: join(frontPart),
    back: separator < 0 ? null : join(backPart),
    frontLine: firstLine(frontPart),
    backLine: firstLine(backPart)
  }
}

export function problem(
  file: string,
  line: number,
  message: string,
  severity: 'error' | 'warning' = 'error'
): ContentProblem {
  return { file, line, message, severity }
}
