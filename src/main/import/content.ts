// Our own content format (content/README.md), read with the same parser content sync uses:
// one topic file, or a folder laid out like content/ (decks/<deck>/deck.md + topic files).
// Ids come from the files, so exporting and re-importing keeps every id.
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { ContentProblem } from '../../shared/domain'
import { ContentError } from '../../shared/errors'
import { isPlainName } from '../../shared/plain-name'
import { IMPORT_READ_LIMITS } from '../content/confined-read'
import { loadContentTree, readUtf8 } from '../content/load'
import { parseDeckFile } from '../content/parse-deck'
import { parseTopicFile } from '../content/parse-topic'
import type { ParsedCard, ParsedNote, ParsedQuizItem } from '../content/types'
import { slugify } from './ids'
import type { ImportPlan, ImportWarning, PlannedDeck } from './types'

export interface ContentContext {
  file: string
  deckName?: string
}

/** A topic file starts with frontmatter that has an `id:`. */
export function looksLikeTopic(text: string): boolean {
  const close = text.indexOf('\n---', 4)
  return text.startsWith('---\n') && close > 0 && /^id:\s*\S/m.test(text.slice(4, close))
}

function failOnErrors(problems: ContentProblem[]): ImportWarning[] {
  const error = problems.find((p) => p.severity === 'error')
  if (error) throw new ContentError(error.file, error.line, error.message)
  return problems.map((p) => ({ line: p.line, message: `${p.file}: ${p.message}` }))
}

const toNote = (n: ParsedNote) => ({
  id: n.id,
  deckId: n.deckId,
  title: n.title,
  body: n.body,
  tags: n.tags,
  line: n.line
})
const toCard = (c: ParsedCard & { kind: 'basic' | 'cloze' }) => ({
  id: c.id,
  deckId: c.deckId,
  noteId: c.noteId,
  kind: c.kind,
  clozeOrdinal: c.clozeOrdinal,
  front: c.front,
  back: c.back,
  tags: c.tags,
  drills: c.drills,
  line: c.line
})
const toQuiz = (q: ParsedQuizItem) => ({
  id: q.id,
  deckId: q.deckId,
  cardId: q.cardId,
  type: q.type,
  prompt: q.prompt,
  data: q.data,
  explanation: q.explanation,
  tags: q.tags,
  drills: q.drills,
  line: q.line
})

/** One topic file. Its deck: `--deck`, else the deck.md beside it, else the topic's title. */
export function parseTopicImport(path: string, text: string, ctx: ContentContext): ImportPlan {
  const topic = parseTopicFile(text, ctx.file, '')
  const warnings = failOnErrors(topic.problems)
  let deck: PlannedDeck | null = null
  const deckMd = join(dirname(path), 'deck.md')
  const folder = basename(dirname(path))
  if (ctx.deckName?.trim()) {
    deck = { id: slugify(ctx.deckName), title: ctx.deckName.trim(), description: '' }
  } else if (existsSync(deckMd) && isPlainName(folder)) {
    const read = readUtf8(deckMd, 'deck.md')
    const parsed = 'text' in read ? parseDeckFile(read.text, 'deck.md', folder) : null
    if (parsed?.deck) deck = { id: folder, title: parsed.deck.title, description: parsed.deck.description }
  }
  if (!deck) {
    const title = topic.note?.title ?? /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? basename(path).replace(/\.md$/i, '')
    deck = { id: slugify(title), title, description: '' }
  }
  const deckId = deck.id
  return {
    format: 'content',
    sourceFile: ctx.file,
    decks: [deck],
    notes: topic.note ? [{ ...toNote(topic.note), deckId }] : [],
    cards: topic.cards.filter(notDrill).map((c) => ({ ...toCard(c), deckId })),
    quizItems: topic.quizItems.map((q) => ({ ...toQuiz(q), deckId })),
    warnings
  }
}

/** A folder like content/: every deck in it, or all of it into one deck with `--deck`. */
export function parseContentFolder(dir: string, ctx: ContentContext): ImportPlan {
  if (!existsSync(join(dir, 'decks'))) {
    throw new ContentError(
      ctx.file,
      1,
      'a folder import must be laid out like content/: a `decks/` folder with one folder per deck'
    )
  }
  const tree = loadContentTree(dir, { limits: IMPORT_READ_LIMITS, drills: false })
  const warnings = failOnErrors(tree.problems)
  const override = ctx.deckName?.trim()
    ? { id: slugify(ctx.deckName), title: ctx.deckName.trim(), description: '' }
    : null
  const deckOf = (id: string) => override?.id ?? id
  return {
    format: 'content',
    sourceFile: ctx.file,
    decks: override ? [override] : tree.decks.map((d) => ({ id: d.id, title: d.title, description: d.description })),
    notes: tree.notes.map((n) => ({ ...toNote(n), deckId: deckOf(n.deckId) })),
    cards: tree.cards.filter(notDrill).map((c) => ({ ...toCard(c), deckId: deckOf(c.deckId) })),
    quizItems: tree.quizItems.map((q) => ({ ...toQuiz(q), deckId: deckOf(q.deckId) })),
    warnings
  }
}

/** Drills run code; an import brings cards and quiz items only, never a drill's card. */
function notDrill<C extends { kind: 'basic' | 'cloze' | 'drill' }>(card: C): card is C & { kind: 'basic' | 'cloze' } {
  return card.kind !== 'drill'
}
