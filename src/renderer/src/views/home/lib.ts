import type { DeckSummary } from '../../../../shared/domain'

export function totals(decks: DeckSummary[]): { due: number; new: number } {
  return decks.reduce((sum, d) => ({ due: sum.due + d.due, new: sum.new + d.new }), { due: 0, new: 0 })
}
