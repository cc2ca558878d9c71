// Cards as the review queue sees them: their FSRS state, the next one due, counts, and the
// small state changes (bury, suspend, reset). A drill's card is never introduced as a new
// card: it enters the schedule when the drill is first submitted. Every query here rides an index (see
// migrations 001 and 002, and test/main/store/query-plans.test.ts).
import type { CardKind } from '../../shared/domain'
import type { CardState, StudyCard } from '../../shared/study'
import type { Db } from './db'

/** The FSRS columns, selected under CardState's names (see STATE_COLUMNS). */
type StateRow = CardState

/** A StudyCard as selected: tags still one space-separated column, the drill id not derived yet. */
type StudyRow = Omit<StudyCard, 'tags' | 'drillId'> & { tags: string }

export interface SiblingRow {
  id: string
  kind: CardKind
  state: CardState['state']
  due: number
  suspended: number
  buriedUntil: number | null
}

/** A count up to a cap, and the first card of what was counted (id and due are null when none). */
export interface Window {
  n: number
  id: string | null
  due: number | null
}

const window = (row: Window | undefined): Window => row ?? { n: 0, id: null, due: null }

export interface CardRef {
  id: string
  deckId: string
  state: CardState
  retired: boolean
  suspended: boolean
}

export const STATE_COLUMNS = `state, due, stability, difficulty, elapsed_days AS elapsedDays, scheduled_days AS scheduledDays,
  learning_steps AS learningSteps, reps, lapses, last_review AS lastReview`
// Parameters in a WHERE over a partial index are written `+@name`: a bare parameter there lets
// SQLite's check of the index's own WHERE look at the bound value, which marks the statement to
// be prepared again at every new binding (~40 us a query here); `+` keeps the value out of that
// check, and the index is used the same (test/main/store/query-plans.test.ts).
const ACTIVE = 'c.retired_at IS NULL AND c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= +@now)'

export function createStudyCardStore(db: Db) {
  const ref = db.prepare<[string], StateRow & { id: string; deckId: string; retired: number; suspended: number }>(
    `SELECT id, deck_id AS deckId, retired_at IS NOT NULL AS retired, suspended, ${STATE_COLUMNS} FROM cards WHERE id = ?`
  )
  // `+?` as in ACTIVE below: with the join, a bare parameter made every call prepare the
  // statement again (~60 us against ~12 us); the same plan (the id's unique index, then the deck's).
  const study = db.prepare<[string], StudyRow>(`
    SELECT c.id, c.deck_id AS deckId, d.title AS deckTitle, c.kind, c.cloze_ordinal AS clozeOrdinal, c.front, c.back,
           c.tags, c.note_id AS noteId, c.state, c.flag
      FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = +?`)
  const writeState = db.prepare(`
    UPDATE cards SET state = @state, due = @due, stability = @stability, difficulty = @difficulty,
      elapsed_days = @elapsedDays, scheduled_days = @scheduledDays, learning_steps = @learningSteps,
      reps = @reps, lapses = @lapses, last_review = @lastReview, buried_until = NULL, updated_at = @now
    WHERE id = @id`)

  // Next card of each kind: one for a deck, one across all decks (different indexes).
  type Pick = { now: number; until: number; deck?: string }
  // Learning and relearning are two ranges of the index: the first of each, in due order, then
  // the earlier of the two. (`state IN (1, 3) ORDER BY due` sorted every learning card due.)
  const firstLearning = (index: string, deck: string) => `
    SELECT id FROM (
      SELECT * FROM (SELECT c.id, c.due FROM cards c INDEXED BY ${index} WHERE ${deck} c.state = 1 AND c.due <= +@until AND ${ACTIVE} ORDER BY c.due LIMIT 1)
      UNION ALL
      SELECT * FROM (SELECT c.id, c.due FROM cards c INDEXED BY ${index} WHERE ${deck} c.state = 3 AND c.due <= +@until AND ${ACTIVE} ORDER BY c.due LIMIT 1)
    ) ORDER BY due LIMIT 1`
  // The first learning (1) or relearning (3) card due by @until, in index order: what the
  // learning count's walk finds first in that state.
  const firstInState = (index: string, deck: string) =>
    `SELECT c.id, c.due FROM cards c INDEXED BY ${index} WHERE ${deck} c.state = +@state AND c.due <= +@until AND ${ACTIVE} ORDER BY c.due LIMIT 1`
  const firstOfState = {
    deck: db.prepare<Pick & { state: number }, { id: string; due: number }>(
      firstInState('cards_queue', 'c.deck_id = +@deck AND')
    ),
    all: db.prepare<Pick & { state: number }, { id: string; due: number }>(firstInState('cards_state_due', ''))
  }
  const nextLearning = {
    deck: db.prepare<Pick, { id: string }>(firstLearning('cards_queue', 'c.deck_id = +@deck AND')),
    all: db.prepare<Pick, { id: string }>(firstLearning('cards_state_due', ''))
  }
  // The counts walk the index up to the cap; the same walk yields the first card of its range
  // (min() with a bare column takes the row holding the minimum), so the queue needs no second
  // query for it. Only the index is read (seq is its rowid); the id once, for that first row.
  type Count = Pick & { cap: number }
  const counted = (order: string, walk: string) => `
    SELECT m.n, (SELECT id FROM cards WHERE seq = m.seq) AS id, m.due FROM (
      SELECT count(*) AS n, seq, min(${order}) AS due FROM (${walk} LIMIT @cap)) m`
  const countLearning = {
    deck: db.prepare<Count, Window>(
      counted(
        'due',
        `SELECT c.seq, c.due FROM cards c INDEXED BY cards_queue WHERE c.deck_id = +@deck AND c.state IN (1, 3) AND c.due <= +@until AND ${ACTIVE}`
      )
    ),
    all: db.prepare<Count, Window>(
      counted(
        'due',
        `SELECT c.seq, c.due FROM cards c INDEXED BY cards_state_due WHERE c.state IN (1, 3) AND c.due <= +@until AND ${ACTIVE}`
      )
    )
  }
  const countReview = {
    deck: db.prepare<Count, Window>(
      counted(
        'due',
        `SELECT c.seq, c.due FROM cards c INDEXED BY cards_queue WHERE c.deck_id = +@deck AND c.state = 2 AND c.due < +@until AND ${ACTIVE}`
      )
    ),
    all: db.prepare<Count, Window>(
      counted(
        'due',
        `SELECT c.seq, c.due FROM cards c INDEXED BY cards_state_due WHERE c.state = 2 AND c.due < +@until AND ${ACTIVE}`
      )
    )
  }
  const countNew = {
    deck: db.prepare<Count, Window>(
      counted(
        'position',
        `SELECT c.seq, c.position FROM cards c INDEXED BY cards_new_in_deck WHERE c.deck_id = +@deck AND c.state = 0 AND c.kind != 'drill' AND c.retired_at IS NULL AND c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= +@now)`
      )
    ),
    all: db.prepare<Count, Window>(
      counted(
        'position',
        `SELECT c.seq, c.position FROM cards c INDEXED BY cards_new_order WHERE c.state = 0 AND c.kind != 'drill' AND c.retired_at IS NULL AND c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= +@now)`
      )
    )
  }
  const nextDue = {
    deck: db.prepare<Pick, { due: number | null }>(
      `SELECT min(c.due) AS due FROM cards c INDEXED BY cards_queue WHERE c.deck_id = +@deck AND c.state IN (1, 2, 3) AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0`
    ),
    all: db.prepare<Pick, { due: number | null }>(
      `SELECT min(due) AS due FROM (SELECT min(c.due) AS due FROM cards c INDEXED BY cards_state_due WHERE c.state = 1 AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0 UNION ALL SELECT min(c.due) FROM cards c INDEXED BY cards_state_due WHERE c.state = 2 AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0 UNION ALL SELECT min(c.due) FROM cards c INDEXED BY cards_state_due WHERE c.state = 3 AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0)`
    )
  }
  const nextLearningDue = {
    deck: db.prepare<Pick, { due: number | null }>(
      `SELECT min(c.due) AS due FROM cards c INDEXED BY cards_queue WHERE c.deck_id = +@deck AND c.state IN (1, 3) AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0`
    ),
    all: db.prepare<Pick, { due: number | null }>(
      `SELECT min(due) AS due FROM (SELECT min(c.due) AS due FROM cards c INDEXED BY cards_state_due WHERE c.state = 1 AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0 UNION ALL SELECT min(c.due) FROM cards c INDEXED BY cards_state_due WHERE c.state = 3 AND c.due > +@now AND c.retired_at IS NULL AND c.suspended = 0)`
    )
  }
  const bury = db.prepare('UPDATE cards SET buried_until = @until, updated_at = @now WHERE id = @id')
  // Siblings: the other cards of the same block (`<id>#c<n>` cloze cards share `<id>`), and the
  // cards linked to the same drills (and those drills' own cards). `@drills` is a JSON array.
  const SIBLING = 'id, kind, state, due, suspended, buried_until AS buriedUntil'
  const blockSiblings = db.prepare<{ id: string; base: string }, SiblingRow>(`
    SELECT ${SIBLING} FROM cards WHERE retired_at IS NULL AND id != @id AND (id = @base OR (id >= @base || '#' AND id < @base || '$'))`)
  // Only for a card that links drills: the linked cards are few (a partial index holds them).
  const drillSiblings = db.prepare<{ id: string; drills: string }, SiblingRow>(`
    SELECT ${SIBLING} FROM cards INDEXED BY cards_linked WHERE drills != '' AND retired_at IS NULL AND id != @id
      AND EXISTS (SELECT 1 FROM json_each(@drills) j WHERE instr(' ' || drills || ' ', ' ' || j.value || ' ') > 0)
    UNION
    SELECT ${SIBLING} FROM cards WHERE retired_at IS NULL AND id != @id AND id IN (SELECT 'drill:' || value FROM json_each(@drills))`)
  const buried = db.prepare<{ id: string; now: number }, { buried: number }>(
    'SELECT coalesce(buried_until > @now, 0) AS buried FROM cards WHERE id = @id'
  )
  const links = db.prepare<[string], { kind: CardKind; drills: string; tags: string }>(
    'SELECT kind, drills, tags FROM cards WHERE id = ?'
  )
  const setTags = db.prepare('UPDATE cards SET tags = @tags, updated_at = @now WHERE id = @id')
  const setFlag = db.prepare('UPDATE cards SET flag = @flag, updated_at = @now WHERE id = @id AND flag != @flag')
  const liveDecks = db.prepare<[], { id: string }>(
    'SELECT id FROM decks WHERE retired_at IS NULL ORDER BY position, title'
  )
  const setSuspended = db.prepare(
    'UPDATE cards SET suspended = @suspended, updated_at = @now WHERE id = @id AND suspended != @suspended'
  )
  const reset = db.prepare(`UPDATE cards SET state = 0, due = 0, stability = 0, difficulty = 0, elapsed_days = 0,
    scheduled_days = 0, learning_steps = 0, reps = 0, lapses = 0, last_review = NULL, buried_until = NULL, updated_at = @now WHERE id = @id`)

  // What the queue's cache (study/queue-cache.ts) checks: any write by this connection
  // (total_changes, temp tables included) or a commit by another (data_version).
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const buryEnded = db.prepare<[number, number], { e: number }>(
    'SELECT EXISTS (SELECT 1 FROM cards INDEXED BY cards_buried WHERE buried_until > +? AND buried_until <= +?) AS e'
  )

  const which = (deckId: string | null) => (deckId ? 'deck' : 'all') as 'deck' | 'all'
  const args = (deckId: string | null, now: number, until: number) =>
    deckId ? { deck: deckId, now, until } : { now, until }

  return {
    ref(id: string): CardRef | null {
      const row = ref.get(id)
      if (!row) return null
      const { id: cardId, deckId, retired, suspended, ...state } = row
      return { id: cardId, deckId, state, retired: retired === 1, suspended: suspended === 1 }
    },
    studyCard(id: string): Omit<StudyCard, 'drillId'> | null {
      const row = study.get(id)
      return row ? { ...row, tags: row.tags ? row.tags.split(' ') : [] } : null
    },
    writeState(id: string, state: CardState, now: number): void {
      writeState.run({ id, ...state, now })
    },
    nextLearning: (deckId: string | null, now: number, until: number) =>
      nextLearning[which(deckId)].get(args(deckId, now, until))?.id ?? null,
    /**
     * The card `countLearning` gives as its first when it was not cut at its cap: the earliest
     * due by `until`, a learning card before a relearning one due at the same moment.
     */
    firstLearning(deckId: string | null, now: number, until: number): { id: string | null; due: number | null } {
      const at = args(deckId, now, until)
      const learning = firstOfState[which(deckId)].get({ ...at, state: 1 })
      const relearning = firstOfState[which(deckId)].get({ ...at, state: 3 })
      const first = relearning && (!learning || relearning.due < learning.due) ? relearning : learning
      return first ? { id: first.id, due: first.due } : { id: null, due: null }
    },
    /** Learning and relearning cards due by `until` (at most `cap`), and the earliest of those counted. */
    countLearning: (deckId: string | null, now: number, until: number, cap: number) =>
      window(countLearning[which(deckId)].get({ ...args(deckId, now, until), cap })),
    /** Review cards due before `until` (at most `cap`), and the earliest. */
    countReview: (deckId: string | null, now: number, until: number, cap: number) =>
      window(countReview[which(deckId)].get({ ...args(deckId, now, until), cap })),
    /** New cards (at most `cap`), and the first in position order (`due` holds its position). */
    countNew: (deckId: string | null, now: number, cap: number) =>
      window(countNew[which(deckId)].get({ ...args(deckId, now, now), cap })),
    nextDue: (deckId: string | null, now: number) => nextDue[which(deckId)].get(args(deckId, now, now))?.due ?? null,
    /** The next learning or relearning card to come due (what is left once the review limit is reached). */
    nextLearningDue: (deckId: string | null, now: number) =>
      nextLearningDue[which(deckId)].get(args(deckId, now, now))?.due ?? null,
    bury(id: string, until: number, now: number): void {
      bury.run({ id, until, now })
    },
    buriedAfter: (id: string, now: number): boolean => buried.get({ id, now })?.buried === 1,
    siblings(id: string, drills: string[]): SiblingRow[] {
      const found = blockSiblings.all({ id, base: id.replace(/#c\d+$/, '') })
      if (drills.length === 0) return found
      const seen = new Set(found.map((s) => s.id))
      return [...found, ...drillSiblings.all({ id, drills: JSON.stringify(drills) }).filter((s) => !seen.has(s.id))]
    },
    /** The card's kind, linked drills and tags. */
    links(id: string): { kind: CardKind; drills: string[]; tags: string[] } | null {
      const row = links.get(id)
      const split = (text: string) => (text ? text.split(' ') : [])
      return row ? { kind: row.kind, drills: split(row.drills), tags: split(row.tags) } : null
    },
    setTags(id: string, tags: string[], now: number): number {
      return setTags.run({ id, tags: tags.join(' '), now }).changes
    },
    setFlag(id: string, flag: number, now: number): number {
      return setFlag.run({ id, flag, now }).changes
    },
    liveDeckIds: (): string[] => liveDecks.all().map((d) => d.id),
    /** Rows written by this connection so far (every write moves it, temp tables too). */
    totalChanges: (): number => totalChanges.get()!,
    /** Moves when another connection commits. */
    dataVersion: (): number => dataVersion.get()!,
    /** True when some card's burial (or Skip) ended after `since` and at or before `now`. */
    buryEnded: (since: number, now: number): boolean =>
      buryEnded.get(Number.isFinite(since) ? since : -1, now)!.e === 1,
    setSuspended(id: string, suspended: boolean, now: number): number {
      return setSuspended.run({ id, suspended: suspended ? 1 : 0, now }).changes
    },
    reset(id: string, now: number): number {
      return reset.run({ id, now }).changes
    }
  }
}

export type StudyCardStore = ReturnType<typeof createStudyCardStore>
