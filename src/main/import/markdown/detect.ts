// Which markdown layout a file uses, so the right reader takes it.
import { looksLikeGuide } from '../guide'

export type LayoutKind = 'guide'

export interface Layout {
  kind: LayoutKind
  /** How the preview names it. */
  label: string
}

export function detectLayout(text: string): Layout | null {
  if (looksLikeGuide(text)) return { kind: 'guide', label: 'numbered question headings' }
  return null
}
