// Snippets arrive as plain text with matches wrapped in [[ ]]; split them into segments so
// the view can render <mark> without ever treating content as HTML.
export interface Segment {
  text: string
  match: boolean
}

export function snippetSegments(snippet: string): Segment[] {
  const segments: Segment[] = []
  const pattern = /\[\[([\s\S]*?)\]\]/g
  let last = 0
  for (const m of snippet.matchAll(pattern)) {
    if (m.index > last) segments.push({ text: snippet.slice(last, m.index), match: false })
    segments.push({ text: m[1]!, match: true })
    last = m.index + m[0].length
  }
  if (last < snippet.length) segments.push({ text: snippet.slice(last), match: false })
  return segments
}
