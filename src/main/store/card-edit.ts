// Cards, notes, decks and quiz items as the user edits and creates them in the app.
import type { CardDetail, NoteDetail, NoteRow } from '../../shared/study'
import { toFtsQuery } from './search'
import type { BrowseDbRow } from './browse'
import type { Db } from './db'
import type { CardText, QuizItemText } from './entity-rows'

/** A CardDetail as selected: the browse columns, its shipped text as JSON, and when it was last reviewed (for R). */
type DetailRow = Omit<BrowseDbRow, 'retrievability'> &
  Pick<CardDetail, 'back' | 'noteId' | 'clozeOrdinal' | 'origin'> & {
    shipped: string | null
    lastReview: number | null
  }

/** A card the learner makes: the columns it is inserted with (it links no drills). */
export type NewCardRow = Omit<CardText, 'drills'>

const splitTags = (tags: string) => (tags ? tags.split(' ') : [])

export function createCardEditStore(db: Db) {
  const detail = db.prepare<{ id: string; now: number }, DetailRow>(`
    SELECT id, deck_id AS deckId, kind, front, back, tags, state, due, scheduled_days AS intervalDays, lapses, reps,
           suspended, coalesce(buried_until > @now, 0) AS buried, user_edited_at IS NOT NULL AS edited,
           note_id AS noteId, cloze_ordinal AS clozeOrdinal, origin, shipped_json AS shipped,
           CASE WHEN state > 0 THEN stability END AS stability, CASE WHEN state > 0 THEN difficulty END AS difficulty, flag, last_review AS lastReview
      FROM cards WHERE id = @id AND retired_at IS NULL`)
  const updateText = db.prepare(
    'UPDATE cards SET front = @front, back = @back, tags = @tags, user_edited_at = @now, updated_at = @now WHERE id = @id'
  )
  const adopt = db.prepare(`
    UPDATE cards SET front = json_extract(shipped_json, '$.front'), back = json_extract(shipped_json, '$.back'),
      tags = json_extract(shipped_json, '$.tags'), shipped_json = NULL, user_edited_at = NULL, updated_at = @now
    WHERE id = @id AND shipped_json IS NOT NULL`)
  const setTags = db.prepare('UPDATE cards SET tags = @tags, updated_at = @now WHERE id = @id')
  const move = db.prepare('UPDATE cards SET deck_id = @deckId, updated_at = @now WHERE id = @id AND deck_id != @deckId')
  const tagsOf = db.prepare<[string], { tags: string }>('SELECT tags FROM cards WHERE id = ?')
  const maxPosition = db.prepare<[], { n: number | null }>('SELECT max(position) AS n FROM cards')
  const insertCard = db.prepare(`
    INSERT INTO cards (id, deck_id, note_id, kind, cloze_ordinal, front, back, tags, position, origin, created_at, updated_at)
    VALUES (@id, @deckId, @noteId, @kind, @clozeOrdinal, @front, @back, @tags, @position, 'user', @now, @now)`)
  const insertNote = db.prepare(`
    INSERT INTO notes (id, deck_id, title, body, tags, origin, created_at, updated_at)
    VALUES (@id, @deckId, @title, @body, @tags, 'user', @now, @now)`)
  const insertDeck = db.prepare(`
    INSERT INTO decks (id, title, position, origin, created_at, updated_at)
    VALUES (@id, @title, (SELECT coalesce(max(position), 0) + 1 FROM decks), 'user', @now, @now)`)
  const insertQuiz = db.prepare(`
    INSERT INTO quiz_items (id, deck_id, card_id, type, prompt, data, explanation, tags, drills, position, origin, created_at, updated_at)
    VALUES (@id, @deckId, @cardId, @type, @prompt, @data, @explanation, @tags, @drills,
            (SELECT coalesce(max(position), 0) + 1 FROM quiz_items), 'user', @now, @now)`)
  const note = db.prepare<
    [string],
    {
      id: string
      deckId: string
      title: string
      body: string
      tags: string
      origin: NoteDetail['origin']
      edited: number
    }
  >(
    `SELECT id, deck_id AS deckId, title, body, tags, origin, user_edited_at IS NOT NULL AS edited FROM notes WHERE id = ? AND retired_at IS NULL`
  )
  const noteCards = db.prepare<[string], { id: string }>(
    'SELECT id FROM cards WHERE note_id = ? AND retired_at IS NULL ORDER BY position'
  )
  const updateNote = db.prepare(
    'UPDATE notes SET title = @title, body = @body, tags = @tags, user_edited_at = @now, updated_at = @now WHERE id = @id AND retired_at IS NULL'
  )
  type NoteListRow = Omit<NoteRow, 'tags' | 'edited'> & { tags: string; edited: number }
  const NOTE_LIST = `SELECT n.id, n.deck_id AS deckId, n.title, n.tags, n.user_edited_at IS NOT NULL AS edited,
      (SELECT count(*) FROM cards c WHERE c.note_id = n.id AND c.retired_at IS NULL) AS cards
    FROM notes n JOIN decks d ON d.id = n.deck_id
    WHERE n.retired_at IS NULL AND (@deck IS NULL OR n.deck_id = @deck)`
  const listNotes = db.prepare<{ deck: string | null; limit: number }, NoteListRow>(
    `${NOTE_LIST} ORDER BY d.position, n.title LIMIT @limit`
  )
  const searchNotes = db.prepare<{ deck: string | null; limit: number; q: string }, NoteListRow>(
    `${NOTE_LIST} AND n.seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH @q) ORDER BY d.position, n.title LIMIT @limit`
  )
  const idTaken = db.prepare<{ id: string }, { n: number }>(`
    SELECT (SELECT count(*) FROM cards WHERE id = @id OR id LIKE @id || '#c%') + (SELECT count(*) FROM notes WHERE id = @id)
         + (SELECT count(*) FROM quiz_items WHERE id = @id) + (SELECT count(*) FROM decks WHERE id = @id) AS n`)

  return {
    /** The card as Browse and the editor show it; `retrievability` is left for the caller (it needs the FSRS curve). */
    detail(id: string, now: number): (Omit<CardDetail, 'retrievability'> & { lastReview: number | null }) | null {
      const row = detail.get({ id, now })
      if (!row) return null
      const shipped = row.shipped ? (JSON.parse(row.shipped) as { front: string; back: string; tags: string }) : null
      return {
        ...row,
        tags: splitTags(row.tags),
        suspended: row.suspended === 1,
        buried: row.buried === 1,
        edited: row.edited === 1,
        shipped: shipped ? { front: shipped.front, back: shipped.back, tags: splitTags(shipped.tags) } : null
      }
    },
    updateText(id: string, front: string, back: string, tags: string[], now: number): number {
      return updateText.run({ id, front, back, tags: tags.join(' '), now }).changes
    },
    adoptShipped(id: string, now: number): number {
      return adopt.run({ id, now }).changes
    },
    tags(id: string): string[] {
      return splitTags(tagsOf.get(id)?.tags ?? '')
    },
    setTags(id: string, tags: string[], now: number): number {
      return setTags.run({ id, tags: tags.join(' '), now }).changes
    },
    move(id: string, deckId: string, now: number): number {
      return move.run({ id, deckId, now }).changes
    },
    insertCard(card: NewCardRow, now: number): void {
      const position = (maxPosition.get()?.n ?? 0) + 1
      insertCard.run({ ...card, position, now })
    },
    insertNote(note: { id: string; deckId: string; title: string; body: string; tags: string }, now: number): void {
      insertNote.run({ ...note, now })
    },
    insertDeck(id: string, title: string, now: number): void {
      insertDeck.run({ id, title, now })
    },
    insertQuizItem(item: QuizItemText, now: number): void {
      insertQuiz.run({ ...item, now })
    },
    listNotes(deckId: string | null, query: string, limit: number): NoteRow[] {
      const q = toFtsQuery(query)
      const rows = q ? searchNotes.all({ deck: deckId, limit, q }) : listNotes.all({ deck: deckId, limit })
      return rows.map((row) => ({ ...row, tags: splitTags(row.tags), edited: row.edited === 1 }))
    },
    note(id: string): NoteDetail | null {
      const row = note.get(id)
      if (!row) return null
      return {
        ...row,
        tags: splitTags(row.tags),
        edited: row.edited === 1,
        cardIds: noteCards.all(id).map((c) => c.id)
      }
    },
    updateNote(id: string, title: string, body: string, tags: string[], now: number): number {
      return updateNote.run({ id, title, body, tags: tags.join(' '), now }).changes
    },
    idTaken(id: string): boolean {
      return (idTaken.get({ id })?.n ?? 0) > 0
    }
  }
}

export type CardEditStore = ReturnType<typeof createCardEditStore>
