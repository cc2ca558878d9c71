// Browse and edit use cases: find cards, change them one at a time or many at once, and
// create new decks, notes, cards and quiz items. Each change is one transaction.
import { randomBytes } from 'node:crypto'
import { clozeOrdinals } from '../../shared/cloze'
import { NotFoundError, ValidationError } from '../../shared/errors'
import { traceFenceProblems } from '../../shared/trace-card'
import type { BrowseRow, BrowseSort, BulkAction, CardDetail, NoteDetail, NoteRow } from '../../shared/study'
import { parseQuizItemBlock } from '../content/quiz-item-block'
import type { BrowseStore } from '../store/browse'
import type { CardEditStore } from '../store/card-edit'
import { writeTransaction, type Db } from '../store/db'
import type { DeckStore } from '../store/decks'
import type { StudyCardStore } from '../store/study-cards'
import { curveFor } from '../scheduler/fsrs'
import { parseBrowseQuery } from './browse-query'
import { recallNow } from './card-info'
import type { ReviewService } from './review'
import type { SettingsService } from './settings'
import type { UndoService } from './undo'

export interface EditDeps {
  db: Db
  browse: BrowseStore
  edits: CardEditStore
  cards: StudyCardStore
  decks: DeckStore
  review: ReviewService
  undo: UndoService
  settings: SettingsService
  clock: () => number
}

/** A fresh id for something the user made: `u-` and 10 random base-36 characters. */
export function userId(): string {
  return `u-${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .slice(0, 10)}`
}

/** A plain-name slug of a title, for deck ids. */
export function slug(title: string): string {
  const base = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return base || 'deck'
}

export function createEditService(deps: EditDeps) {
  const { db, browse, edits, cards, decks, review, undo, settings, clock } = deps

  function detail(id: string): CardDetail {
    const now = clock()
    const found = edits.detail(id, now)
    if (!found) throw new NotFoundError('card', id)
    const { lastReview, ...card } = found
    const curve = curveFor(settings.effective(card.deckId))
    return {
      ...card,
      retrievability: recallNow(curve, { state: card.state, stability: card.stability ?? 0, lastReview }, now)
    }
  }

  function requireDeck(deckId: string): void {
    if (!decks.exists(deckId)) throw new NotFoundError('deck', deckId)
  }

  // Check-then-insert in one IMMEDIATE transaction: another connection cannot take the id (or
  // remove the deck) between the check and the insert.
  const createDeckTx = writeTransaction(db, (title: string): { id: string } => {
    const base = slug(title)
    let id = base
    for (let n = 2; edits.idTaken(id); n++) id = `${base}-${n}`
    edits.insertDeck(id, title.trim(), clock())
    return { id }
  })
  const insertQuizItemTx = writeTransaction(db, (row: Parameters<CardEditStore['insertQuizItem']>[0]): void => {
    requireDeck(row.deckId)
    if (edits.idTaken(row.id)) throw new ValidationError(`id ${row.id} is already used; pick another`)
    edits.insertQuizItem(row, clock())
  })

  const BULK_LABELS: Record<BulkAction['action'], string> = {
    suspend: 'Suspend',
    unsuspend: 'Unsuspend',
    reset: 'Reset',
    addTag: 'Add tag',
    removeTag: 'Remove tag',
    move: 'Move'
  }

  const bulk = (ids: string[], action: BulkAction): number =>
    undo.record(BULK_LABELS[action.action], () => {
      const now = clock()
      let changed = 0
      if (action.action === 'move') requireDeck(action.deckId)
      for (const id of ids) {
        if (!cards.ref(id)) throw new NotFoundError('card', id)
        switch (action.action) {
          case 'suspend':
          case 'unsuspend':
            changed += cards.setSuspended(id, action.action === 'suspend', now)
            break
          case 'reset':
            changed += cards.reset(id, now)
            break
          case 'addTag':
          case 'removeTag': {
            const tag = action.tag.toLowerCase()
            const before = edits.tags(id)
            const after = action.action === 'addTag' ? [...new Set([...before, tag])] : before.filter((t) => t !== tag)
            if (after.length !== before.length) changed += edits.setTags(id, after, now)
            break
          }
          case 'move':
            changed += edits.move(id, action.deckId, now)
            break
        }
      }
      return changed
    })

  return {
    browse(
      query: string,
      sort: BrowseSort,
      descending: boolean,
      limit: number,
      offset: number
    ): { total: number; rows: BrowseRow[] } {
      const now = clock()
      const day = review.dayOf(now)
      return browse.search(parseBrowseQuery(query), sort, descending, limit, offset, {
        now,
        dayEnd: day.endMs,
        dayStart: day.startMs,
        curve: curveFor(settings.global())
      })
    },
    detail,
    update(id: string, front: string, back: string, tags: string[]): CardDetail {
      const card = detail(id)
      if (card.kind === 'cloze' && !clozeOrdinals(front).includes(card.clozeOrdinal ?? 1)) {
        throw new ValidationError(
          `this is cloze card c${card.clozeOrdinal}; the text must keep a {{c${card.clozeOrdinal}::...}} deletion`
        )
      }
      undo.record('Edit card', () =>
        edits.updateText(
          id,
          front,
          back,
          tags.map((t) => t.toLowerCase()),
          clock()
        )
      )
      return detail(id)
    },
    notes(deckId: string | null, query: string, limit: number): NoteRow[] {
      return edits.listNotes(deckId, query, limit)
    },
    note(id: string): NoteDetail {
      const found = edits.note(id)
      if (!found) throw new NotFoundError('note', id)
      return found
    },
    updateNote(id: string, title: string, body: string, tags: string[]): NoteDetail {
      if (
        undo.record('Edit note', () =>
          edits.updateNote(
            id,
            title,
            body,
            tags.map((t) => t.toLowerCase()),
            clock()
          )
        ) === 0
      )
        throw new NotFoundError('note', id)
      return edits.note(id)!
    },
    adoptShipped(id: string): CardDetail {
      if (undo.record('Use shipped version', () => edits.adoptShipped(id, clock())) === 0)
        throw new ValidationError(`card ${id} has no newer shipped version`)
      return detail(id)
    },
    bulk(ids: string[], action: BulkAction): { changed: number } {
      return { changed: bulk(ids, action) }
    },
    createDeck: (title: string): { id: string } => createDeckTx(title),
    createCard(deckId: string, kind: 'basic' | 'cloze', front: string, back: string, tags: string[]): CardDetail {
      for (const [side, text] of [
        ['front', front],
        ['back', back]
      ] as const) {
        const bad = traceFenceProblems(text)[0]
        if (bad) throw new ValidationError(`${side}, line ${bad.line + 1}: ${bad.message}`)
      }
      const id = userId()
      const base = { deckId, noteId: null, front, back, tags: tags.map((t) => t.toLowerCase()).join(' ') }
      // The deck is checked inside the step's transaction: it cannot go away before the insert.
      if (kind === 'basic') {
        undo.record('Add card', () => {
          requireDeck(deckId)
          edits.insertCard({ ...base, id, kind, clozeOrdinal: null }, clock())
        })
        return detail(id)
      }
      const ordinals = clozeOrdinals(front)
      if (ordinals.length === 0) throw new ValidationError('a cloze card needs at least one {{c1::...}} deletion')
      undo.record('Add card', () => {
        requireDeck(deckId)
        for (const ordinal of ordinals)
          edits.insertCard({ ...base, id: `${id}#c${ordinal}`, kind, clozeOrdinal: ordinal }, clock())
      })
      return detail(`${id}#c${ordinals[0]}`)
    },
    createNote(deckId: string, title: string, body: string, tags: string[]): { id: string } {
      const id = userId()
      undo.record('Add note', () => {
        requireDeck(deckId)
        edits.insertNote({ id, deckId, title, body, tags: tags.join(' ') }, clock())
      })
      return { id }
    },
    /** Parses a quiz item written in the content format and stores it. */
    createQuizItem(deckId: string, block: string): { id: string } {
      const item = parseQuizItemBlock(deckId, block)
      insertQuizItemTx(item)
      return { id: item.id }
    }
  }
}

export type EditService = ReturnType<typeof createEditService>
