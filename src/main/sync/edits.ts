// The learner's own decks and card edits in the edits document (README.md, "Edits").
// A card's entry is first made by a change with no parents whose bytes every device computes
// alike (its actor and its time are derived from the card and its base text), so two devices
// that edit the same card offline make their edits on one shared text object, and Automerge
// merges them character by character instead of keeping one device's text.
import { createHash } from 'node:crypto'
import * as A from '@automerge/automerge'
import { encodeHeads, type DocHandle, type UrlHeads } from '@automerge/automerge-repo'
import type { EditableCard, SyncDeck } from '../store/sync-state'
import type { CardEntry, DeckEntry, EditsDoc } from './documents'

export const cardKey = (id: string) => `card:${id}`
export const deckKey = (id: string) => `deck:${id}`

/** The base change of a card entry, and its hash: the same bytes on every device for the same base. */
export function baseChange(
  card: { id: string; deckId: string; tags: string },
  front: string,
  back: string
): { change: A.Change; hash: string } {
  const actor = createHash('sha256').update(`card\0${card.id}\0${front}\0${back}`).digest('hex').slice(0, 32)
  const doc = A.change(A.init<EditsDoc>({ actor }), { time: 0 }, (d) => {
    d[cardKey(card.id)] = {
      front,
      back,
      deck: new A.ImmutableString(card.deckId),
      tags: new A.ImmutableString(card.tags)
    }
  })
  const change = A.getLastLocalChange(doc)!
  return { change, hash: A.decodeChange(change).hash! }
}

const sameText = (entry: CardEntry | undefined, card: EditableCard) =>
  entry !== undefined && String(entry.front) === card.front && String(entry.back) === card.back

/**
 * Writes this device's card edits and deck changes into the edits document. Each edited card's
 * text is diffed against the version it was derived from: the document as this collection last
 * took it in (`applied`), or, for a shipped card that version did not have yet, its base text.
 * `cards` need only hold the cards changed since the last round (the caller's cursor).
 * Returns how many cards and decks were written.
 */
export function pushEdits(
  handle: DocHandle<EditsDoc>,
  applied: UrlHeads | null,
  cards: EditableCard[],
  decks: SyncDeck[],
  now: number
): number {
  let written = 0
  const current = handle.doc()
  const seen = applied ? (handle.view(applied).doc() as EditsDoc) : ({} as EditsDoc)
  for (const deck of decks) {
    if (deck.origin !== 'user') continue
    const entry = current[deckKey(deck.id)] as DeckEntry | undefined
    if (!entry) {
      handle.change((d) => {
        d[deckKey(deck.id)] = { title: new A.ImmutableString(deck.title), ...(deck.retired ? { deletedAt: now } : {}) }
      })
      written++
    } else if (deck.retired && entry.deletedAt === undefined) {
      handle.change((d) => {
        ;(d[deckKey(deck.id)] as DeckEntry).deletedAt = now
      })
      written++
    }
  }
  const created: EditableCard[] = []
  for (const card of cards) {
    const key = cardKey(card.id)
    const known = seen[key] as CardEntry | undefined
    const present = current[key] as CardEntry | undefined
    // A field that already reads as here (another device made the same edit) is left alone:
    // two equal insertions would otherwise both be kept.
    const fields = (['front', 'back'] as const).filter(
      (field) => present === undefined || String(present[field]) !== card[field]
    )
    // Unchanged here since the version taken in: what differs came from elsewhere, and comes in next.
    if (fields.length === 0 || (known && sameText(known, card))) continue
    const edit = (d: EditsDoc) => {
      for (const field of fields) A.updateText(d, [key, field], card[field])
    }
    written++
    if (known) handle.changeAt(applied!, edit)
    else if (card.origin === 'user') {
      // Made here: no other device can have it unless a round that sent it was cut short.
      if (present) handle.change(edit)
      else created.push(card)
    } else {
      // A shipped card edited here and not yet in the version taken in: start from its base text.
      const baseFront = card.baseFront ?? card.front
      const baseBack = card.baseBack ?? card.back
      if (baseFront === card.front && baseBack === card.back && !present) {
        written--
        continue
      }
      const base = baseChange(card, baseFront, baseBack)
      handle.update((doc) => A.applyChanges(doc, [base.change])[0])
      if (baseFront !== card.front || baseBack !== card.back) handle.changeAt(encodeHeads([base.hash]), edit)
    }
  }
  // The learner's own new cards go out in one change (a big import is one change, not thousands).
  if (created.length > 0) {
    handle.change((d) => {
      for (const card of created) {
        d[cardKey(card.id)] = {
          front: card.front,
          back: card.back,
          deck: new A.ImmutableString(card.deckId),
          tags: new A.ImmutableString(card.tags)
        }
      }
    })
  }
  return written
}

export interface RemoteEdits {
  decks: { id: string; title: string; deleted: boolean }[]
  cards: { id: string; deckId: string; front: string; back: string; tags: string }[]
}

/** Everything the edits document says, decks first (a new card needs its deck). */
export function readEdits(doc: EditsDoc): RemoteEdits {
  const result: RemoteEdits = { decks: [], cards: [] }
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('deck:')) {
      const deck = value as DeckEntry
      result.decks.push({ id: key.slice(5), title: String(deck.title), deleted: deck.deletedAt !== undefined })
    } else if (key.startsWith('card:')) {
      const card = value as CardEntry
      result.cards.push({
        id: key.slice(5),
        deckId: String(card.deck),
        front: String(card.front),
        back: String(card.back),
        tags: String(card.tags)
      })
    }
  }
  return result
}
