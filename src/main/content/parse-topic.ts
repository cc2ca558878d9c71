// A topic file: frontmatter, the long-form note, and its card/cloze/quiz blocks.
import { clozeOrdinals } from '../../shared/cloze'
import type { ContentProblem, QuizType } from '../../shared/domain'
import { isPlainName } from '../../shared/plain-name'
import { problem, scanBlocks, type RawBlock } from './blocks'
import { traceFenceProblems } from '../../shared/trace-card'
import { normalizeTags, splitFrontmatter } from './frontmatter'
import { QUIZ_TYPES, readQuizBody } from './quiz-body'
import type { ParsedCard, ParsedQuizItem, ParsedTopic } from './types'

const TOPIC_FIELDS = new Set(['id', 'title', 'tags'])
const BLOCK_FIELDS: Record<RawBlock['kind'], Set<string>> = {
  card: new Set(['tags', 'drills']),
  cloze: new Set(['tags', 'drills']),
  quiz: new Set(['tags', 'drills', 'card', 'answer', 'generator'])
}

export function parseTopicFile(text: string, file: string, deckId: string): ParsedTopic {
  const result: ParsedTopic = { note: null, cards: [], quizItems: [], problems: [] }
  const front = splitFrontmatter(text, file)
  if (!front.ok) {
    result.problems.push(front.problem)
    return result
  }
  const { data, keyLines, body, bodyLine } = front.value
  const fail = (line: number, message: string) => result.problems.push(problem(file, line, message))
  for (const key of Object.keys(data)) {
    if (!TOPIC_FIELDS.has(key))
      fail(keyLines.get(key) ?? 1, `unknown frontmatter field \`${key}\` (allowed: id, title, tags)`)
  }
  const id = data.id
  if (typeof id !== 'string' || !isPlainName(id)) {
    fail(keyLines.get('id') ?? 1, 'frontmatter `id` must be a plain name (lowercase letters, digits, -)')
    return result
  }
  const fileTags = normalizeTags(data.tags)
  if (!fileTags) fail(keyLines.get('tags') ?? 1, '`tags` must be a list or a comma-separated string')
  if (data.title !== undefined && typeof data.title !== 'string')
    fail(keyLines.get('title') ?? 1, '`title` must be text')
  if (result.problems.length > 0) return result

  const scanned = scanBlocks(body, bodyLine, file)
  result.problems.push(...scanned.problems)
  const heading = /^#\s+(.+)$/m.exec(scanned.note)?.[1]?.trim()
  const title = (data.title as string | undefined) ?? heading ?? id
  const noteId = scanned.note.length > 0 ? id : null
  if (noteId) {
    result.note = { id, deckId, title, body: scanned.note, tags: fileTags ?? [], file, line: 1 }
  }
  scanned.blocks.forEach((block, position) => {
    const parsed = readBlock(block, { file, deckId, noteId, fileTags: fileTags ?? [], position })
    if ('problem' in parsed) result.problems.push(parsed.problem)
    else {
      result.cards.push(...parsed.cards)
      if (parsed.quizItem) result.quizItems.push(parsed.quizItem)
      result.problems.push(...parsed.warnings)
    }
  })
  result.problems.sort((a, b) => a.line - b.line)
  return result
}

interface BlockContext {
  file: string
  deckId: string
  noteId: string | null
  fileTags: string[]
  position: number
}

type BlockResult =
  { cards: ParsedCard[]; quizItem: ParsedQuizItem | null; warnings: ContentProblem[] } | { problem: ContentProblem }

function readBlock(block: RawBlock, ctx: BlockContext): BlockResult {
  const at = (line: number, message: string) => ({ problem: problem(ctx.file, line, message) })
  if (!isPlainName(block.id))
    return at(block.line, `block id \`${block.id}\` must be a plain name (lowercase letters, digits, -)`)
  for (const [name, field] of block.fields) {
    if (!BLOCK_FIELDS[block.kind].has(name)) {
      return at(
        field.line,
        `unknown field \`${name}\` in a ${block.kind} block (allowed: ${[...BLOCK_FIELDS[block.kind]].join(', ')}); start the body with a blank line if this is text`
      )
    }
  }
  const tags = [...new Set([...ctx.fileTags, ...splitList(block.fields.get('tags')?.value)])]
  const drills = splitList(block.fields.get('drills')?.value)
  const badDrill = drills.find((d) => !isPlainName(d))
  if (badDrill) return at(block.fields.get('drills')!.line, `drill id \`${badDrill}\` must be a plain name`)
  const base = { deckId: ctx.deckId, tags, drills, position: ctx.position, file: ctx.file, line: block.line }
  const warnings: ContentProblem[] = []

  if (block.kind === 'card') {
    if (block.type) return at(block.line, 'a card block takes no type: `::: card <id>`')
    if (!block.front || !block.back) return at(block.line, 'a card needs a front, a line `---`, and a back')
    const traceProblem =
      traceFenceProblems(block.front).map((p) => ({ ...p, line: block.frontLine + p.line }))[0] ??
      traceFenceProblems(block.back).map((p) => ({ ...p, line: block.backLine + p.line }))[0]
    if (traceProblem) return at(traceProblem.line, traceProblem.message)
    return {
      cards: [
        {
          ...base,
          id: block.id,
          noteId: ctx.noteId,
          kind: 'basic',
          clozeOrdinal: null,
          front: block.front,
          back: block.back
        }
      ],
      quizItem: null,
      warnings
    }
  }
  if (block.kind === 'cloze') {
    if (block.type) return at(block.line, 'a cloze block takes no type: `::: cloze <id>`')
    const ordinals = clozeOrdinals(block.front)
    if (ordinals.length === 0)
      return at(block.line, 'a cloze block needs at least one `{{c1::...}}` deletion outside code')
    return {
      cards: ordinals.map((ordinal) => ({
        ...base,
        id: `${block.id}#c${ordinal}`,
        noteId: ctx.noteId,
        kind: 'cloze' as const,
        clozeOrdinal: ordinal,
        front: block.front,
        back: block.back ?? ''
      })),
      quizItem: null,
      warnings
    }
  }
  const type = block.type as QuizType | null
  if (!type || !QUIZ_TYPES.includes(type)) {
    return at(block.line, `a quiz block needs a type: \`::: quiz ${block.id} <${QUIZ_TYPES.join('|')}>\``)
  }
  const answerField = block.fields.get('answer')
  if (answerField && type !== 'truefalse' && type !== 'typein') {
    return at(
      answerField.line,
      `\`answer:\` is for truefalse and typein items; a ${type} item writes its answer in the body`
    )
  }
  const generatorField = block.fields.get('generator')
  if (generatorField && type !== 'typein') {
    return at(
      generatorField.line,
      `\`generator:\` is for typein items, whose answer it computes; this is a ${type} item`
    )
  }
  if (generatorField && answerField) return at(answerField.line, 'a generated item computes its answer: drop `answer:`')
  const body = readQuizBody(type, block.front, answerField?.value, generatorField?.value)
  if (!body.ok) return at(block.line, body.reason)
  if (!body.prompt) return at(block.line, 'a quiz item needs a question')
  const cardField = block.fields.get('card')
  if (cardField && !isPlainName(cardField.value.replace(/#c\d+$/, '')))
    return at(cardField.line, '`card:` must be a card id')
  if (!block.back)
    warnings.push(
      problem(ctx.file, block.line, `quiz item \`${block.id}\` has no explanation (add \`---\` and one)`, 'warning')
    )
  return {
    cards: [],
    quizItem: {
      ...base,
      id: block.id,
      cardId: cardField?.value ?? null,
      type,
      prompt: body.prompt,
      data: body.data,
      explanation: block.back ?? ''
    },
    warnings
  }
}

function splitList(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean)
}
