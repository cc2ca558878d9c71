// The learner's own decks and card and note edits in the edits document (README.md, "Card edits").
// A card's or note's entry is first made by a change with no parents whose bytes every device
// computes alike (its actor and its time are derived from the item and its base text), so two
// devices that edit the same card offline make their edits on one shared text object, and
// Automerge merges them character by character instead of keeping one device's text.
import { createHash } from 'node:crypto'
import * as A from '@automerge/automerge'
import { encodeHeads, type DocHandle, type UrlHeads } from '@automerge/automerge-repo'
import type { EditableCard, SyncDeck } from '../store/sync-state'
import type { EditableNote, RemoteNote } from '../store/sync-notes'
import type { CardEntry, DeckEntry, EditsDoc, NoteEntry } from './documents'

export const cardKey = (id: string) => `card:${id}`
export const noteKey = (id: string) => `note:${id}`
export const deckKey = (id: string) => `deck:${id}`

/** A card's or a note's two text fields, merged character by character. */
const FIELDS = { card: ['front', 'back'], note: ['title', 'body'] } as const
type Kind = keyof typeof FIELDS

/** A card or note this device may have changed: its text now and before its first edit here. */
interface TextItem {
  kind: Kind
  id: string
  deckId: string
  origin: string
  tags: string
  text: [string, string]
  base: [string, string] | null
  /** The tags the base entry holds: a note's before its first edit here; a card's are marks ('' here). */
  baseTags: string
}

const cardItem = (card: EditableCard): TextItem => ({
  kind: 'card',
  id: card.id,
  deckId: card.deckId,
  origin: card.origin,
  tags: card.tags,
  text: [card.front, card.back],
  base: card.baseFront === null || card.baseBack === null ? null : [card.baseFront, card.baseBack],
  baseTags: ''
})

const noteItem = (note: EditableNote): TextItem => ({
  kind: 'note',
  id: note.id,
  deckId: note.deckId,
  origin: note.origin,
  tags: note.tags,
  text: [note.title, note.body],
  base: note.baseTitle === null || note.baseBody === null ? null : [note.baseTitle, note.baseBody],
  baseTags: note.baseTags ?? note.tags
})

function entryOf(item: TextItem, text: readonly [string, string], deck: string, tags: string): TextEntry {
  const [first, second] = FIELDS[item.kind]
  return {
    [first]: text[0],
    [second]: text[1],
    deck: new A.ImmutableString(deck),
    tags: new A.ImmutableString(tags)
  } as unknown as TextEntry
}

/**
 * The base change of an entry, and its hash: the same bytes on every device for the same base.
 * Its actor comes from the base text, so it holds nothing that can differ between two devices with
 * that text (no deck: a card can be moved; a card's tags: they travel as marks); else two devices
 * would make different changes under one actor and sequence number, which Automerge refuses.
 */
function baseChange(item: TextItem, text: readonly [string, string]): { change: A.Change; hash: string } {
  const actor = createHash('sha256')
    .update(`${item.kind}\0${item.id}\0${text[0]}\0${text[1]}`)
    .digest('hex')
    .slice(0, 32)
  const doc = A.change(A.init<EditsDoc>({ actor }), { time: 0 }, (d) => {
    d[`${item.kind}:${item.id}`] = entryOf(item, text, '', item.baseTags)
  })
  const change = A.getLastLocalChange(doc)!
  return { change, hash: A.decodeChange(change).hash! }
}

const tagsOf = (entry: EditsDoc[string] | undefined) =>
  entry === undefined ? undefined : String((entry as NoteEntry).tags)

/**
 * A note's tags travel in its entry (a card's travel as marks), as one value: written when they
 * differ here from both the document and the version they came from (the version taken in, or
 * the base); else the change came from elsewhere.
 */
function pushNoteTags(handle: DocHandle<EditsDoc>, note: TextItem, seen: EditsDoc): number {
  const key = `note:${note.id}`
  const present = tagsOf(handle.doc()[key])
  const from = tagsOf(seen[key]) ?? note.baseTags
  if (present === undefined || present === note.tags || from === note.tags) return 0
  const tags = note.tags
  handle.change((d) => void ((d[key] as NoteEntry).tags = new A.ImmutableString(tags)))
  return 1
}

type TextEntry = (CardEntry | NoteEntry) & Record<string, unknown>
const textOf = (entry: TextEntry | undefined, kind: Kind) =>
  entry === undefined ? undefined : FIELDS[kind].map((field) => String(entry[field]))

/**
 * Writes this device's card and note edits and deck changes into the edits document. Each edited
 * item's text is diffed against the version it was derived from: the document as this collection
 * last took it in (`applied`), or, for a shipped card or note that version did not have yet, its
 * base text. `cards` and `notes` need only hold those changed since the last round (the caller's
 * cursor). Returns how many items and decks were written.
 */
export function pushEdits(
  handle: DocHandle<EditsDoc>,
  applied: UrlHeads | null,
  changed: { cards: EditableCard[]; notes: EditableNote[] },
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
  const created: TextItem[] = []
  const notes = changed.notes.map(noteItem)
  for (const item of [...changed.cards.map(cardItem), ...notes]) {
    const key = `${item.kind}:${item.id}`
    const names = FIELDS[item.kind]
    const known = textOf(seen[key] as TextEntry | undefined, item.kind)
    const present = textOf(current[key] as TextEntry | undefined, item.kind)
    // A field that already reads as here (another device made the same edit) is left alone:
    // two equal insertions would otherwise both be kept.
    const fields = [0, 1].filter((i) => present === undefined || present[i] !== item.text[i])
    // Unchanged here since the version taken in: what differs came from elsewhere, and comes in next.
    if (fields.length === 0 || (known && known[0] === item.text[0] && known[1] === item.text[1])) continue
    const edit = (d: EditsDoc) => {
      for (const i of fields) A.updateText(d, [key, names[i]!], item.text[i]!)
    }
    written++
    if (known) handle.changeAt(applied!, edit)
    else if (item.origin === 'user') {
      // Made here: no other device can have it unless a round that sent it was cut short.
      if (present) handle.change(edit)
      else created.push(item)
    } else {
      // A shipped card or note edited here and not yet in the version taken in: start from its base text.
      const base = item.base ?? item.text
      if (base[0] === item.text[0] && base[1] === item.text[1] && !present) {
        written--
        continue
      }
      const change = baseChange(item, base)
      handle.update((doc) => A.applyChanges(doc, [change.change])[0])
      if (base[0] !== item.text[0] || base[1] !== item.text[1]) handle.changeAt(encodeHeads([change.hash]), edit)
    }
  }
  // The learner's own new cards and notes go out in one change (a big import is one change, not thousands).
  if (created.length > 0) {
    handle.change((d) => {
      for (const item of created) d[`${item.kind}:${item.id}`] = entryOf(item, item.text, item.deckId, item.tags)
    })
  }
  // After the text: an entry made above from a base holds the base's tags.
  for (const note of notes) written += pushNoteTags(handle, note, seen)
  return written
}

export interface RemoteEdits {
  decks: { id: string; title: string; deleted: boolean }[]
  cards: { id: string; deckId: string; front: string; back: string; tags: string }[]
  notes: RemoteNote[]
}

/** Everything the edits document says, decks first (a new card needs its deck). */
export function readEdits(doc: EditsDoc): RemoteEdits {
  const result: RemoteEdits = { decks: [], cards: [], notes: [] }
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
    } else if (key.startsWith('note:')) {
      const note = value as NoteEntry
      result.notes.push({
        id: key.slice(5),
        deckId: String(note.deck),
        title: String(note.title),
        body: String(note.body),
        tags: String(note.tags)
      })
    }
  }
  return result
}
