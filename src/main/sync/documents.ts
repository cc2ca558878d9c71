// The shapes of the synced documents (see README.md in this folder).
import type { ImmutableString } from '@automerge/automerge'

/**
 * One per collection, made by the server. `edits` names the edits document; `log:<YYYY-MM>:<device>`
 * names one device's log document for one month. Each device writes only its own keys, so two
 * devices never create the same key at once. `drills:<YYYY-MM>:<device>` names its drill records for a month.
 */
export type IndexDoc = { edits: ImmutableString } & Record<string, ImmutableString>

/** One device's answers in one month: uid -> encoded answer (answers.ts). Written by that device only. */
export type LogDoc = Record<string, ImmutableString>

/**
 * One device's drill records in one month (drill-records.ts): `session:<uid>` (rewritten by that
 * device as the session ends and hints are shown) and `attempt:<uid>` (written once). Written by
 * that device only; an attempt is filed in the month its session opened, next to its session.
 */
export type DrillsDoc = Record<string, ImmutableString>

/** A card the learner changed or made: its text merges character by character. */
export interface CardEntry {
  front: string
  back: string
  deck: ImmutableString
  tags: ImmutableString
}

/** A note the learner changed or made: its title and body merge character by character. */
export interface NoteEntry {
  title: string
  body: string
  deck: ImmutableString
  tags: ImmutableString
}

/** A quiz item the learner made: its block (content format) merges character by character. */
export interface QuizEntry {
  block: string
  deck: ImmutableString
}

/** A deck the learner made; `deletedAt` (ms) once any device deleted it: it never comes back. */
export interface DeckEntry {
  title: ImmutableString
  deletedAt?: number
}

/**
 * `card:<id>`, `note:<id>` and `deck:<id>` at the root, so a card's or note's entry can be made by a change with no parents
 * (edits.ts); `mark:<card id>:<device id>`, one device's marks of one card (marks.ts): JSON
 * `{"suspended": [1, <ms>], "flag": [2, <ms>], "tags": ["a b", <ms>], "buried": [null, <ms>]}`.
 */
export type EditsDoc = Record<string, CardEntry | NoteEntry | QuizEntry | DeckEntry | ImmutableString>
