// Which of a note's fields go on the front and which on the back of one of its cards, read
// from the card's template: the fields its question template shows make the front; the
// answer template's other fields, then every remaining field with text, make the back, so no
// field is lost. With more than one field on a side, each is labelled with its field name.
import type { AnkiNoteType } from './collection'

export interface FieldText {
  name: string
  text: string
}

export interface CardSides {
  front: string
  back: string
}

/** Field names a template shows: `{{Front}}`, `{{text:Back}}`, `{{cloze:Text}}`; not `{{#If}}`, `{{/If}}`, `{{FrontSide}}`. */
export function templateFields(template: string): string[] {
  const names: string[] = []
  for (const match of template.matchAll(/\{\{([^{}]+)\}\}/g)) {
    const inner = match[1]!.trim()
    if (/^[#^/!]/.test(inner)) continue
    const name = inner.split(':').at(-1)!.trim()
    if (name && name !== 'FrontSide' && !names.includes(name)) names.push(name)
  }
  return names
}

function side(fields: FieldText[]): string {
  const shown = fields.filter((f) => f.text.length > 0)
  if (shown.length <= 1) return shown[0]?.text ?? ''
  return shown.map((f) => `**${f.name}**\n\n${f.text}`).join('\n\n')
}

/**
 * Front and back of card `ord` of a note. For a cloze note the front is the cloze field as
 * written (the app hides the deletion) and the back holds the other fields.
 */
export function cardSides(type: AnkiNoteType | undefined, fields: string[], ord: number): CardSides {
  const named: FieldText[] = fields.map((text, i) => ({ name: type?.fields[i] || `Field ${i + 1}`, text }))
  const template = type?.templates.find((t) => t.ord === ord) ?? (type?.cloze ? type.templates[0] : undefined)
  const byName = new Map(named.map((f) => [f.name, f]))
  let frontNames = template ? templateFields(template.qfmt).filter((n) => byName.has(n)) : []
  if (frontNames.length === 0) frontNames = named.length > 0 ? [named[0]!.name] : []
  if (type?.cloze) {
    const clozeField = template?.qfmt.match(/\{\{[^{}]*cloze:([^{}]+)\}\}/)?.[1]?.trim()
    frontNames = [clozeField && byName.has(clozeField) ? clozeField : frontNames[0]!].filter(Boolean)
  }
  const frontFields = frontNames.map((n) => byName.get(n)!)
  const answerNames = template
    ? templateFields(template.afmt).filter((n) => byName.has(n) && !frontNames.includes(n))
    : []
  const rest = named.filter((f) => !frontNames.includes(f.name) && !answerNames.includes(f.name))
  const backFields = [...answerNames.map((n) => byName.get(n)!), ...rest]
  return { front: side(frontFields), back: side(backFields) }
}
