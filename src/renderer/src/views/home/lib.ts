import type { DeckSummary } from '../../../../shared/domain'
import { plural } from '../../lib/plural'

export { plural }

/** The deck line under a deck's title: "12 cards · 1 note · 3 quiz items · 1 drill". */
export function deckMeta(deck: Pick<DeckSummary, 'cards' | 'notes' | 'quizItems' | 'drills'>): string {
  return [
    plural(deck.cards, 'card'),
    plural(deck.notes, 'note'),
    plural(deck.quizItems, 'quiz item'),
    plural(deck.drills, 'drill')
  ].join(' · ')
}
