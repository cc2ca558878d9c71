// What device sync reads and writes for notes: the notes this device may have changed (edited,
// or its own), with their text before the first edit, and the writes that take a merged note in.
import type { Db } from './db'

/** A note whose text this device may have changed, with the text it had before its first edit. */
export interface EditableNote {
  id: string
  deckId: string
  origin: string
  title: string
  body: string
  tags: string
  baseTitle: string | null
  baseBody: string | null
  baseTags: string | null
}

export interface RemoteNote {
  id: string
  deckId: string
  title: string
  body: string
  tags: string
}

export interface SyncNotesStore {
  /** Notes this device may have changed (edited, or its own), touched at or after `sinceMs`. */
  editable(sinceMs: number): EditableNote[]
  /** The note's deck, or null when this collection has no such note. */
  deckOf(noteId: string): string | null
  /** Takes a merged note's text in (a note whose text is already that is left alone). */
  setText(note: RemoteNote, now: number): void
  /** Makes a note another device's learner made (a note already here is left alone). */
  insert(note: RemoteNote, now: number): void
}

export function createSyncNotesStore(db: Db): SyncNotesStore {
  const editable = db.prepare<[number], EditableNote>(`
    SELECT n.id, n.deck_id AS deckId, n.origin, n.title, n.body, n.tags, b.title AS baseTitle, b.body AS baseBody,
           b.tags AS baseTags
      FROM notes n LEFT JOIN sync_note_base b ON b.note_id = n.id
     WHERE (n.user_edited_at IS NOT NULL OR n.origin = 'user') AND n.updated_at >= ?`)
  const deckOf = db.prepare<[string], string>('SELECT deck_id FROM notes WHERE id = ?').pluck()
  const setText = db.prepare(`
    UPDATE notes SET title = @title, body = @body, tags = @tags, user_edited_at = coalesce(user_edited_at, @now),
      updated_at = @now
     WHERE id = @id AND (title != @title OR body != @body OR tags != @tags)`)
  const insert = db.prepare(`
    INSERT OR IGNORE INTO notes (id, deck_id, title, body, tags, origin, created_at, updated_at)
    VALUES (@id, @deckId, @title, @body, @tags, 'user', @now, @now)`)
  return {
    editable: (sinceMs) => editable.all(sinceMs),
    deckOf: (noteId) => deckOf.get(noteId) ?? null,
    setText: (note, now) => void setText.run({ ...note, now }),
    insert: (note, now) => void insert.run({ ...note, now })
  }
}
