// The collection (or one deck) written out in our own content format, so it can be kept in
// git, edited by hand, and imported again (ids, notes, cards, cloze groups and quiz items
// come back the same). Retired rows and drill cards are left out.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { QuizData } from '../../shared/domain'
import type { ExportResult } from '../../shared/imports'
import { NotFoundError } from '../../shared/errors'
import type { Db } from '../store/db'
import { createImportStore, type ExportCard, type ExportNote, type ExportQuizItem } from '../store/imports'
import { cardBlock, clozeBlock, deckFile, quizBlock, topicFile } from './write-content'

export interface ExportOptions {
  /** Only this deck; every active deck when absent. */
  deckId?: string
  /** Folder to write `decks/<deck>/...` into (created if missing). */
  outDir: string
}

export type { ExportResult }

const words = (text: string) => text.split(' ').filter(Boolean)

export function exportCollection(db: Db, options: ExportOptions): ExportResult {
  const store = createImportStore(db)
  const decks = store.exportDecks().filter((d) => !options.deckId || d.id === options.deckId)
  if (options.deckId && decks.length === 0) throw new NotFoundError('deck', options.deckId)
  let files = 0
  for (const deck of decks) {
    const dir = join(options.outDir, 'decks', deck.id)
    mkdirSync(dir, { recursive: true })
    removePreviousExport(dir)
    writeFileSync(join(dir, 'deck.md'), deckFile(deck))
    files++
    const topics = deckTopics(store.exportNotes(deck.id), store.exportCards(deck.id), store.exportQuizItems(deck.id))
    topics.forEach((topic, index) => {
      // Numbered names keep the file order, which is the order new cards are introduced in.
      writeFileSync(join(dir, `${String(index + 1).padStart(4, '0')}-${topic.name}.md`), topic.text)
      files++
    })
  }
  return { decks: decks.length, files }
}

/** Names this exporter writes: `deck.md` and `NNNN-<id>.md`. */
const EXPORTED_FILE = /^(deck|\d{4}-[a-z0-9-]+)\.md$/

/**
 * Exporting again into the same folder replaces the previous export, so a note that is gone
 * does not linger as a stale file; files with other names (a README, the user's own) stay.
 */
function removePreviousExport(dir: string): void {
  for (const name of readdirSync(dir)) if (EXPORTED_FILE.test(name)) rmSync(join(dir, name))
}

interface Topic {
  name: string
  text: string
}

/** A card belongs in its note's file only if it carries the note's tags first (the file's tags are inherited). */
function fitsNote(card: ExportCard, note: ExportNote): boolean {
  const noteTags = words(note.tags)
  return noteTags.every((tag, i) => words(card.tags)[i] === tag)
}

function deckTopics(notes: ExportNote[], cards: ExportCard[], quizItems: ExportQuizItem[]): Topic[] {
  const notesById = new Map(notes.filter((n) => n.body.trim().length > 0).map((n) => [n.id, n]))
  const blocksByNote = new Map<string, string[]>(notes.map((n) => [n.id, []]))
  const loose: string[] = []
  const writtenCloze = new Set<string>()

  for (const card of cards) {
    // A card the content format cannot hold without a back is left out rather than written broken.
    if (card.kind === 'basic' && card.back.trim() === '') continue
    const note = card.noteId ? notesById.get(card.noteId) : undefined
    const home = note && fitsNote(card, note) ? note : null
    const inherited = home ? words(home.tags).length : 0
    const tags = words(card.tags).slice(inherited)
    const target = home ? blocksByNote.get(home.id)! : loose
    if (card.kind === 'cloze') {
      const base = card.id.replace(/#c\d+$/, '')
      if (writtenCloze.has(base)) continue
      writtenCloze.add(base)
      target.push(clozeBlock({ id: base, text: card.front, extra: card.back, tags, drills: words(card.drills) }))
    } else {
      target.push(cardBlock({ id: card.id, front: card.front, back: card.back, tags, drills: words(card.drills) }))
    }
  }

  const topics: Topic[] = notes
    .filter((n) => n.body.trim().length > 0)
    .map((n) => ({
      name: n.id,
      text: topicFile({ id: n.id, title: n.title, tags: words(n.tags) }, n.body, blocksByNote.get(n.id)!)
    }))
  if (loose.length > 0) topics.push({ name: 'cards', text: topicFile({ id: 'loose-cards', tags: [] }, '', loose) })
  if (quizItems.length > 0) {
    const blocks = quizItems.map((q) =>
      quizBlock({
        id: q.id,
        cardId: q.cardId,
        prompt: q.prompt,
        data: JSON.parse(q.data) as QuizData,
        explanation: q.explanation,
        tags: words(q.tags),
        drills: words(q.drills)
      })
    )
    topics.push({ name: 'quiz', text: topicFile({ id: 'quiz-items', tags: [] }, '', blocks) })
  }
  return topics
}
