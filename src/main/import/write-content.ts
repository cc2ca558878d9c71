// Domain rows written back as content files (content/README.md): deck.md, topic files with
// frontmatter, and `::: card` / `::: cloze` / `::: quiz` blocks that the parser reads back
// to the same rows.
import type { QuizData } from '../../shared/domain'
import { stepFence, type FenceState } from '../../shared/markdown-code'

/** YAML scalar for any text: JSON strings are valid YAML double-quoted scalars. */
const yamlString = (text: string) => JSON.stringify(text)

export function deckFile(deck: { title: string; description: string; position: number }): string {
  const lines = ['---', `title: ${yamlString(deck.title)}`]
  if (deck.description) lines.push(`description: ${yamlString(deck.description)}`)
  lines.push(`position: ${deck.position}`, '---', '')
  return lines.join('\n')
}

export function topicFile(
  front: { id: string; title?: string; tags: string[] },
  note: string,
  blocks: string[]
): string {
  const lines = ['---', `id: ${front.id}`]
  if (front.title !== undefined) lines.push(`title: ${yamlString(front.title)}`)
  if (front.tags.length > 0) lines.push(`tags: [${front.tags.map(yamlString).join(', ')}]`)
  lines.push('---', '')
  const parts = [note ? escapeStructure(note, false) : '', ...blocks].filter((p) => p.length > 0)
  return `${lines.join('\n')}\n${parts.join('\n\n')}\n`
}

/**
 * Keeps text from being read as block syntax: a line starting `:::` gets a backslash (markdown
 * shows `\:` as `:`), and where a `---` line would split the sides it becomes `***` (the same rule).
 */
export function escapeStructure(text: string, guardSeparator: boolean): string {
  let fence: FenceState | null = null
  const escaped = text
    .split('\n')
    .map((line) => {
      const inFence = fence !== null
      fence = stepFence(line, fence)
      if (inFence || fence !== null) return line
      if (line.startsWith(':::')) return `\\${line}`
      if (guardSeparator && line.trim() === '---') return '***'
      return line
    })
    .join('\n')
  // The reader tracks fences across the whole file, so a fence left open here would hide
  // the block's `---` and `:::` (and every block after it) when the file is read back.
  // Closing it at the end renders the same: an unclosed fence runs to the end anyway.
  const open = fence as FenceState | null
  return open ? `${escaped}\n${open.char.repeat(open.length)}` : escaped
}

function fieldLines(fields: [string, string | null | undefined][]): string[] {
  return fields
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => `${name}: ${value}`)
}

function block(
  header: string,
  fields: [string, string | null | undefined][],
  front: string,
  back: string | null
): string {
  // The blank line ends the fields, so a body whose first line looks like `word: ...` stays body.
  const lines = [header, ...fieldLines(fields), '', escapeStructure(front, true)]
  if (back !== null) lines.push('---', escapeStructure(back, false))
  lines.push(':::')
  return lines.join('\n')
}

const list = (values: string[]) => values.join(', ')

export function cardBlock(card: { id: string; front: string; back: string; tags: string[]; drills: string[] }): string {
  return block(
    `::: card ${card.id}`,
    [
      ['tags', list(card.tags)],
      ['drills', list(card.drills)]
    ],
    card.front,
    card.back
  )
}

export function clozeBlock(cloze: {
  id: string
  text: string
  extra: string
  tags: string[]
  drills: string[]
}): string {
  return block(
    `::: cloze ${cloze.id}`,
    [
      ['tags', list(cloze.tags)],
      ['drills', list(cloze.drills)]
    ],
    cloze.text,
    cloze.extra || null
  )
}

export function quizBlock(item: {
  id: string
  cardId: string | null
  prompt: string
  data: QuizData
  explanation: string
  tags: string[]
  drills: string[]
}): string {
  const { data } = item
  let answer: string | null = null
  let generator: string | null = null
  let body = item.prompt
  switch (data.type) {
    case 'choice':
      body = `${item.prompt}\n\n${data.options.map((o) => `- [${o.correct ? 'x' : ' '}] ${o.text}`).join('\n')}`
      break
    case 'truefalse':
      answer = String(data.answer)
      break
    case 'typein':
      if (data.generator) generator = data.generator
      else answer = data.answers.join(' | ')
      break
    case 'cloze':
      body = data.text
      break
    case 'order':
      body = `${item.prompt}\n\n${data.items.map((text, i) => `${i + 1}. ${text}`).join('\n')}`
      break
    case 'match':
      body = `${item.prompt}\n\n${data.pairs.map((p) => `- ${p.left} => ${p.right}`).join('\n')}`
      break
  }
  return block(
    `::: quiz ${item.id} ${data.type}`,
    [
      ['card', item.cardId],
      ['answer', answer],
      ['generator', generator],
      ['tags', list(item.tags)],
      ['drills', list(item.drills)]
    ],
    body,
    item.explanation || null
  )
}
