// One line of plain text from a card's markdown, for lists: Browse, Stats' leeches, a note's
// cards, and the import preview.

/** How a fenced block reads in the list, by its info string (anything else is code). */
const FENCE_LABELS: Record<string, string> = { occlusion: '[image occlusion]', trace: '[trace]' }

/** One line of plain text from a card's markdown front, for the list. */
export function plainLine(markdown: string, maxChars = 140): string {
  const text = markdown
    .replace(/\{\{c\d+::([\s\S]*?)(?:::[\s\S]*?)?\}\}/g, '$1')
    .replace(/```(\w*)[\s\S]*?(```|$)/g, (_, info: string) => ` ${FENCE_LABELS[info] ?? '[code]'} `)
    .replace(/[*_`#>|]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}
