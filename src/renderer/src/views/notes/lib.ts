// Pure helpers for reading notes: the title shown once, and the outline for the table of contents.

const norm = (text: string): string => text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().toLowerCase()

/**
 * The body without its first heading when that heading only repeats the title (notes in the
 * content format open with `# Title`): the reader and the note under a review card show the title
 * once, above the body. Any other body is returned as it is.
 */
export function bodyWithoutTitle(title: string, body: string): string {
  const match = /^\s*#{1,2}[ \t]+(.+?)[ \t#]*(?:\r?\n|$)/.exec(body)
  if (!match || norm(match[1]!) !== norm(title)) return body
  return body.slice(match[0].length).replace(/^\s*\n/, '')
}

export interface OutlineEntry {
  level: 2 | 3
  text: string
}

/** The `##` and `###` headings of a markdown body, in order, outside code fences. */
export function noteOutline(body: string): OutlineEntry[] {
  const entries: OutlineEntry[] = []
  let fence: string | null = null
  for (const line of body.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker) {
      if (fence === null) fence = marker[0]!
      else if (marker[0] === fence) fence = null
      continue
    }
    if (fence !== null) continue
    const heading = /^\s{0,3}(#{2,3})[ \t]+(.+?)[ \t#]*$/.exec(line)
    if (heading) entries.push({ level: heading[1]!.length as 2 | 3, text: heading[2]!.replace(/[*_`]/g, '') })
  }
  return entries
}
