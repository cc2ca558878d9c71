// Full-text search over cards and notes (FTS5, porter stemming), ranked by bm25, with
// highlighted snippets. Matches are wrapped in [[ ]] for the renderer to mark up safely.
import type { SearchResult } from '../../shared/domain'
import type { Db } from './db'

interface SearchRow {
  id: string
  deck: string
  kind: 'card' | 'note'
  title: string
  snippet: string
  rank: number
}

/**
 * Turns what a user typed into an FTS5 query that cannot be a syntax error: each word
 * becomes a quoted prefix term, all of which must match.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? []
  if (words.length === 0) return null
  return words.map((word) => `"${word}"*`).join(' ')
}

export function createSearchStore(db: Db) {
  const cards = db.prepare<{ q: string; limit: number }, SearchRow>(`
    SELECT c.id, c.deck_id AS deck, 'card' AS kind,
           substr(c.front, 1, 120) AS title,
           snippet(cards_fts, -1, '[[', ']]', '…', 16) AS snippet,
           bm25(cards_fts, 3.0, 1.0, 2.0) AS rank
      FROM cards_fts JOIN cards c ON c.seq = cards_fts.rowid
     WHERE cards_fts MATCH @q AND c.retired_at IS NULL
     ORDER BY rank LIMIT @limit`)
  const notes = db.prepare<{ q: string; limit: number }, SearchRow>(`
    SELECT n.id, n.deck_id AS deck, 'note' AS kind, n.title,
           snippet(notes_fts, 1, '[[', ']]', '…', 16) AS snippet,
           bm25(notes_fts, 4.0, 1.0, 2.0) AS rank
      FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid
     WHERE notes_fts MATCH @q AND n.retired_at IS NULL
     ORDER BY rank LIMIT @limit`)

  return {
    search(text: string, limit: number): SearchResult[] {
      const q = toFtsQuery(text)
      if (!q) return []
      const rows = [...cards.all({ q, limit }), ...notes.all({ q, limit })]
      rows.sort((a, b) => a.rank - b.rank)
      return rows.slice(0, limit).map(({ rank: _rank, ...result }) => result)
    }
  }
}

export type SearchStore = ReturnType<typeof createSearchStore>
