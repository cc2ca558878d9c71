// Builds a markdown file's import plan and keeps its books: every line a reader uses is
// claimed (by a card, a note, a warning, the deck's title or a tag), and what no reader used is
// kept as a note or named in a warning with its line range (see leftovers.ts). Nothing is
// dropped silently.
import { keyDeduper, normalizeKey, slugify, stableId } from '../ids'
import type { ImportFormat, ImportPlan, PlannedCard } from '../types'
import { NAV_LINK } from './lines'

/** A question and its answer as a reader found them. */
export interface Question {
  title: string
  /** Answer lines, de-indented, in order. */
  answer: string[]
  /** 1-based line of the question. */
  line: number
  /** Last line the question and its answer take. */
  to: number
  tags: string[]
  incomplete?: boolean
  /** Lines for the question's note only, after the answer (a one-question file's references). */
  more?: string[]
}

/** What a line that is in no card, note or warning became. */
export interface SourceSpan {
  from: number
  to: number
  as: 'deck' | 'tag' | 'meta'
}

/** Answers longer than this (characters) are flagged with a suggestion to split them. */
export const LONG_ANSWER_CHARS = 1500

export interface BuilderContext {
  file: string
  deckName?: string
  fallbackName: string
  /** Makes every id of this file's rows its own when files share a deck (its path). */
  keyScope?: string
}

export class PlanBuilder {
  readonly plan: ImportPlan
  readonly deckId: string
  /** Lines that became structure rather than a card, note or warning. */
  readonly spans: SourceSpan[] = []
  private readonly dedupe: (key: string) => string
  private readonly navLines: number[] = []

  constructor(format: ImportFormat, layout: string, ctx: BuilderContext, title: string | null, description = '') {
    // Files that share a deck (one-question files) scope their keys by file, so ids stay apart.
    const dedupe = keyDeduper()
    this.dedupe = ctx.keyScope ? (key) => dedupe(`${ctx.keyScope}\n${key}`) : dedupe
    const deckTitle = ctx.deckName?.trim() || title || ctx.fallbackName
    this.deckId = slugify(deckTitle)
    this.plan = {
      format,
      layout,
      sourceFile: ctx.file,
      decks: [{ id: this.deckId, title: deckTitle, description }],
      notes: [],
      cards: [],
      quizItems: [],
      warnings: []
    }
  }

  span(from: number, to: number, as: SourceSpan['as']): void {
    this.spans.push({ from, to, as })
  }

  warn(line: number, to: number, message: string): void {
    this.plan.warnings.push({ line, ...(to > line ? { endLine: to } : {}), message })
  }

  /** A question becomes a note (its answer, to read) and a Q/A card, as in a guide. */
  addQuestion(q: Question): void {
    const answer: string[] = []
    q.answer.forEach((text, i) => {
      if (NAV_LINK.test(text)) this.navigation(q.line + 1 + i)
      else answer.push(text)
    })
    const body = trimBlank(answer).join('\n')
    if (q.title.length === 0) {
      this.warn(q.line, q.to, 'a question with no text; skipped')
      return
    }
    if (body.trim().length === 0) {
      this.warn(q.line, q.to, `question "${q.title}" has no answer; skipped`)
      return
    }
    const key = this.dedupe(normalizeKey(q.title))
    const tags = q.incomplete && !q.tags.includes('incomplete') ? [...q.tags, 'incomplete'] : q.tags
    const extra = { line: q.line, endLine: q.to, ...(q.incomplete ? { incomplete: true } : {}) }
    const noteId = stableId(this.deckId, 'note', key)
    const more = trimBlank(q.more ?? []).join('\n')
    const noteBody = more ? `${body}\n\n${more}` : body
    this.plan.notes.push({ id: noteId, deckId: this.deckId, title: q.title, body: noteBody, tags, ...extra })
    this.plan.cards.push({
      id: stableId(this.deckId, 'card', key),
      deckId: this.deckId,
      noteId,
      kind: 'basic',
      clozeOrdinal: null,
      front: q.title,
      back: body,
      tags,
      drills: [],
      ...extra
    })
  }

  /** A flashcard with no note (Obsidian cards). `key` distinguishes a reversed card's id. */
  addCard(
    card: Omit<PlannedCard, 'id' | 'deckId' | 'noteId' | 'drills' | 'kind' | 'clozeOrdinal'>,
    key = card.front
  ): void {
    const id = stableId(this.deckId, 'card', this.dedupe(normalizeKey(key)))
    this.plan.cards.push({
      ...card,
      id,
      kind: 'basic',
      clozeOrdinal: null,
      deckId: this.deckId,
      noteId: null,
      drills: []
    })
  }

  /** One cloze card per deletion of `text` (written `{{c1::…}}`), siblings sharing an id. */
  addCloze(text: string, ordinals: number[], source: { line: number; endLine: number; tags: string[] }): void {
    const base = stableId(this.deckId, 'card', this.dedupe(normalizeKey(text)))
    for (const ordinal of ordinals) {
      this.plan.cards.push({
        id: `${base}#c${ordinal}`,
        deckId: this.deckId,
        noteId: null,
        kind: 'cloze',
        clozeOrdinal: ordinal,
        front: text,
        back: '',
        drills: [],
        ...source
      })
    }
  }

  /** A line that is only an in-page link ("Back to top"): left out, and listed in one warning. */
  navigation(line: number): void {
    this.navLines.push(line)
    this.span(line, line, 'meta')
  }

  /** A note that is not a question's answer (text between questions). */
  addNote(title: string, body: string, line: number, to: number): void {
    const key = this.dedupe(`section\n${normalizeKey(title)}`)
    this.plan.notes.push({
      id: stableId(this.deckId, 'note', key),
      deckId: this.deckId,
      title,
      body,
      tags: [],
      line,
      endLine: to
    })
  }

  /** Warnings that close the books: navigation links left out, answers worth splitting. */
  finish(): ImportPlan {
    this.plan.structure = this.spans
    if (this.navLines.length > 0) {
      const lines = [...this.navLines].sort((a, b) => a - b)
      this.warn(
        lines[0]!,
        lines[0]!,
        `${lines.length} in-page navigation link(s) such as "Back to top" left out (lines ${listLines(lines)})`
      )
    }
    const seen = new Set<string>()
    for (const card of this.plan.cards) {
      const length = card.kind === 'cloze' ? card.front.length : card.back.length
      if (length <= LONG_ANSWER_CHARS || seen.has(card.noteId ?? card.id)) continue
      seen.add(card.noteId ?? card.id)
      this.warn(
        card.line,
        card.endLine ?? card.line,
        `the answer to "${card.front.split('\n')[0]!.slice(0, 80)}" is ${length} characters; consider splitting it into smaller cards (one fact each)`
      )
    }
    return this.plan
  }
}

/** `3, 9, 14, … (40 in all)`: a few line numbers, not hundreds. */
export function listLines(lines: number[]): string {
  const shown = lines.slice(0, 8).join(', ')
  return lines.length > 8 ? `${shown}, … (${lines.length} in all)` : shown
}

export function trimBlank(lines: string[]): string[] {
  let start = 0
  let end = lines.length
  while (start < end && lines[start]!.trim() === '') start++
  while (end > start && lines[end - 1]!.trim() === '') end--
  return lines.slice(start, end).map((l) => l.trimEnd())
}

/** Every line a plan accounts for: cards, notes and warnings by range, and structure spans. */
export function accountedLines(plan: ImportPlan, spans: SourceSpan[]): Set<number> {
  const covered = new Set<number>()
  const add = (from: number, to: number) => {
    for (let n = from; n <= Math.max(from, to); n++) covered.add(n)
  }
  for (const item of [...plan.cards, ...plan.notes]) add(item.line, item.endLine ?? item.line)
  for (const w of plan.warnings) add(w.line, w.endLine ?? w.line)
  for (const s of spans) add(s.from, s.to)
  return covered
}
