// Which page is showing. Plain state, no router: the app has one window and seven pages.
export const pages = ['Home', 'Review', 'Quiz', 'Drills', 'Browse', 'Stats', 'Settings'] as const
export type Page = (typeof pages)[number]

export const navigation = $state<{ page: Page; deckId: string | null }>({ page: 'Home', deckId: null })

export function go(page: Page, deckId: string | null = null): void {
  navigation.page = page
  navigation.deckId = deckId
}
