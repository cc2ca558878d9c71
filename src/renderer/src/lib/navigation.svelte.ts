// Which page is showing. Plain state, no router: the app has one window and seven pages.
export const pages = ['Home', 'Review', 'Quiz', 'Drills', 'Browse', 'Stats', 'Settings'] as const
/** The navigation's pages, and Import and the note reader, which open from other pages. */
export type Page = (typeof pages)[number] | 'Import' | 'Note'

/** The page, and what it opens on: a deck for Review, a drill for Drills, a query for Browse. */
export const navigation = $state<{
  page: Page
  deckId: string | null
  drillId: string | null
  query: string | null
  cardId: string | null
  notes: boolean
  noteId: string | null
  cardIds: string[] | null
}>({
  page: 'Home',
  deckId: null,
  drillId: null,
  query: null,
  cardId: null,
  notes: false,
  noteId: null,
  cardIds: null
})

export interface Target {
  deckId?: string | null
  drillId?: string | null
  /** A Browse search to run. */
  query?: string | null
  /** A card for Browse to open. */
  cardId?: string | null
  /** Browse the long-form notes (of `deckId`, if given) instead of cards. */
  notes?: boolean
  /** A note for the reader (with `deckId` alone, the reader opens that deck's only note). */
  noteId?: string | null
  /** Cards for Review to study now, whatever their due dates (quiz results' "study these cards"). */
  cardIds?: string[] | null
}

export function go(page: Page, target: Target = {}): void {
  navigation.page = page
  navigation.deckId = target.deckId ?? null
  navigation.drillId = target.drillId ?? null
  navigation.query = target.query ?? null
  navigation.cardId = target.cardId ?? null
  navigation.notes = target.notes ?? false
  navigation.noteId = target.noteId ?? null
  navigation.cardIds = target.cardIds ?? null
}
