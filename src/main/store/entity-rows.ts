// What a note, card or quiz item row says, as column values: one mapping for content sync and
// imports alike, so both store and hash the same columns in the same order (contentHash reads
// them in order). Placement (file, line, position) is added by each caller after these.
// The fields are the content parser's; an import's planned rows have the same ones.
import type { ParsedCard, ParsedNote, ParsedQuizItem, QuizItemFields } from '../content/types'

type NoteFields = Pick<ParsedNote, 'id' | 'deckId' | 'title' | 'body' | 'tags'>
type CardFields<Kind extends string> = Pick<
  ParsedCard,
  'id' | 'deckId' | 'noteId' | 'clozeOrdinal' | 'front' | 'back' | 'tags' | 'drills'
> & { kind: Kind }
type QuizFields = Pick<
  ParsedQuizItem,
  'id' | 'deckId' | 'cardId' | 'type' | 'prompt' | 'data' | 'explanation' | 'tags' | 'drills'
>

/** Tags and drill links are stored as one space-separated column. */
const words = (list: readonly string[]) => list.join(' ')

export const noteColumns = (n: NoteFields) => ({
  id: n.id,
  deck_id: n.deckId,
  title: n.title,
  body: n.body,
  tags: words(n.tags)
})

export const cardColumns = <Kind extends string>(c: CardFields<Kind>) => ({
  id: c.id,
  deck_id: c.deckId,
  note_id: c.noteId,
  kind: c.kind,
  cloze_ordinal: c.clozeOrdinal,
  front: c.front,
  back: c.back,
  tags: words(c.tags),
  drills: words(c.drills)
})

export const quizColumns = (q: QuizFields) => ({
  id: q.id,
  deck_id: q.deckId,
  card_id: q.cardId,
  type: q.type,
  prompt: q.prompt,
  data: JSON.stringify(q.data),
  explanation: q.explanation,
  tags: words(q.tags),
  drills: words(q.drills)
})

/** `T` with the fields `K` as a statement reads or binds them: one text column each. */
type AsText<T, K extends keyof T> = Omit<T, K> & { [P in K]: string }

/** A card's columns under camelCase names: tags and drill links space-separated. */
export type CardText = AsText<CardFields<'basic' | 'cloze'>, 'tags' | 'drills'>

/** A quiz item's columns under camelCase names: data as JSON, tags and drill links space-separated. */
export type QuizItemText = AsText<QuizItemFields, 'type' | 'data' | 'tags' | 'drills'>
