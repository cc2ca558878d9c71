// Taking the merged edits document into SQLite in one transaction: the learner's decks (and
// their deletions), card and note text, own cards, notes and quiz items, then every card's winning marks, the winning settings and drill drafts. The document version
// taken in is recorded in the same transaction, so a crash leaves all of it or none.
import type { DocHandle } from '@automerge/automerge-repo'
import type { EditsDoc } from './documents'
import { readEdits } from './edits'
import { takeDrafts } from './drafts-sync'
import { takeMarks } from './marks'
import { takeQuizItems } from './quiz-sync'
import { takeSettings } from './settings-sync'
import { sameHeads } from './round-basics'
import type { RoundDeps } from './round'

/** Returns how many marks and settings changed here; records in `refused` what no Retransmit wrote. */
export function takeEdits(deps: RoundDeps, handle: DocHandle<EditsDoc>, refused: string[]): number {
  const heads = handle.heads()
  const applied = deps.store.appliedHeads(handle.url)
  if (applied && sameHeads(applied, heads)) return 0
  const doc = handle.doc()
  const edits = readEdits(doc)
  const now = deps.clock()
  return deps.db.transaction(() => {
    const local = new Map(deps.store.decks().map((deck) => [deck.id, deck]))
    for (const deck of edits.decks) if (!local.has(deck.id)) deps.store.insertDeck(deck, now)
    const hasDeck = (deckId: string) => local.has(deckId) || edits.decks.some((deck) => deck.id === deckId)
    for (const card of edits.cards) {
      if (deps.store.cardDeck(card.id) === null) {
        if (hasDeck(card.deckId)) deps.store.insertCard(card, now)
        continue
      }
      deps.store.setCardText(card.id, card.front, card.back, now)
    }
    for (const note of edits.notes) {
      if (deps.notes.deckOf(note.id) !== null) deps.notes.setText(note, now)
      else if (hasDeck(note.deckId)) deps.notes.insert(note, now)
    }
    takeQuizItems(deps.quiz, doc, hasDeck, now, refused)
    const marks =
      takeMarks(deps.marks, doc, now, refused) +
      takeSettings(deps.synced, doc, refused) +
      takeDrafts(deps.drafts, doc, refused)
    // Last: a deleted deck's cards, notes and quiz items are retired, with any made in it or moved
    // into it on another device before that device saw the deletion.
    for (const deck of edits.decks) if (deck.deleted) deps.store.retireDeck(deck.id, now)
    deps.store.setAppliedHeads(handle.url, heads)
    return marks
  })()
}
