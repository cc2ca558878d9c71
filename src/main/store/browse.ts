// Browse: the card list for a parsed query (see study/browse-query.ts), sorted and paged.
import type { BrowseRow, BrowseSort } from '../../shared/study'
import type { Curve } from '../scheduler/fsrs'
import type { Clause } from '../study/browse-query'
import type { Db } from './db'

/** A BrowseRow as selected: tags one space-separated column, the yes/no fields SQLite's 0 or 1. */
export type BrowseDbRow = Omit<BrowseRow, 'tags' | 'suspended' | 'buried' | 'edited'> & {
  tags: string
  suspended: number
  buried: number
  edited: number
}

/** The moment a search runs: its time, the study day's bounds and the forgetting curve for R. */
export interface SearchContext {
  now: number
  dayStart: number
  dayEnd: number
  curve: Curve
}

const SORT_COLUMNS: Record<BrowseSort, string> = {
  position: 'c.deck_id, c.position',
  due: 'c.due',
  interval: 'c.scheduled_days',
  lapses: 'c.lapses',
  created: 'c.created_at',
  difficulty: 'c.state = 0, c.difficulty',
  stability: 'c.state = 0, c.stability',
  retrievability: 'c.state = 0, r'
}

const LEECH_LAPSES = 8
const DAY_MS = 86_400_000
/** FSRS recall probability now: (1 + factor * days since the last review / S) ^ decay (see scheduler/fsrs.ts). */
const RECALL = `CASE WHEN c.state > 0 AND c.stability > 0 AND c.last_review IS NOT NULL
  THEN pow(1 + @factor * max(0, (@now - c.last_review) / ${DAY_MS}.0) / c.stability, @decay) END`

/** An FTS5 query for one text clause: words as prefix terms, a phrase as a phrase. */
function ftsTerm(clause: Extract<Clause, { kind: 'text' }>): string | null {
  const words = clause.text.match(/[\p{L}\p{N}_]+/gu) ?? []
  if (words.length === 0) return null
  return clause.phrase ? `"${words.join(' ')}"` : words.map((w) => `"${w}"*`).join(' ')
}

/** Anki-style globs: `*` matches anything; everything else is literal. */
function glob(pattern: string): string {
  return pattern.replace(/[[\]?]/g, (ch) => `[${ch}]`)
}

type Statement = ReturnType<Db['prepare']>

interface Built {
  where: string
  /** A positive deck: filter: walk the deck's cards (cards_deck_live) rather than the word matches. */
  byDeck: boolean
  /** Words to match: the count comes with the rows, so the full-text matches are read once. */
  fullText: boolean
}

/** The WHERE of a search with no clauses: every live card. */
const EVERY_LIVE_CARD = 'c.retired_at IS NULL'

export function createBrowseStore(db: Db) {
  const cache = new Map<string, { rows: Statement; count: Statement; counted: boolean }>()
  // With no search, card_counts (kept by triggers, migration 009) holds each deck's live cards:
  // the total without walking an index entry per card, and, in position order (deck first),
  // the whole decks a page's offset passes, so the index walk starts at the page's own deck
  // instead of skipping `offset` entries from the first (a page at 1M cards cost 10x one at 100k).
  // Prepared on first use (most searches have clauses).
  const prepareSizes = () =>
    db.prepare<[], { deckId: string; n: number }>(
      'SELECT deck_id AS deckId, sum(n) AS n FROM card_counts GROUP BY deck_id ORDER BY deck_id'
    )
  let deckSizes: ReturnType<typeof prepareSizes> | null = null

  /**
   * The deck a page at `offset` starts in and the offset left within it, and the total. Position
   * order is deck first, ascending either way (`descending` turns only the position around).
   */
  function pageStart(offset: number): { fromDeck: string | null; offset: number; total: number } {
    deckSizes ??= prepareSizes()
    let fromDeck: string | null = null
    let left = offset
    let total = 0
    for (const deck of deckSizes.all()) {
      total += deck.n
      if (fromDeck !== null || deck.n === 0) continue
      if (left < deck.n) fromDeck = deck.deckId
      else left -= deck.n
    }
    // Past the last card no deck holds the page (fromDeck null): an empty page.
    return { fromDeck, offset: left, total }
  }

  function build(clauses: Clause[], params: Record<string, unknown>): Built {
    const where = [EVERY_LIVE_CARD]
    const positive = clauses.filter((c): c is Extract<Clause, { kind: 'text' }> => c.kind === 'text' && !c.negated)
    const terms = positive.map(ftsTerm).filter((t): t is string => t !== null)
    if (terms.length > 0) {
      params.fts = terms.join(' ')
      where.push('c.seq IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH @fts)')
    }
    clauses.forEach((clause, i) => {
      const key = `p${i}`
      let sql: string | null = null
      switch (clause.kind) {
        case 'text': {
          if (!clause.negated) return
          const term = ftsTerm(clause)
          if (!term) return
          params[key] = term
          where.push(`c.seq NOT IN (SELECT rowid FROM cards_fts WHERE cards_fts MATCH @${key})`)
          return
        }
        case 'deck':
          params[key] = glob(clause.pattern)
          // `+@`: a bare parameter on the right of GLOB lets SQLite read its bound value to turn
          // the pattern into a range of decks' primary key, which marks the statement to be
          // prepared again for every new pattern (~150 us); the decks are few, a walk costs less.
          sql = `c.deck_id IN (SELECT id FROM decks WHERE id GLOB +@${key} OR lower(title) GLOB +@${key})`
          break
        case 'tag':
          params[key] = `* ${glob(clause.pattern)} *`
          sql = `(' ' || c.tags || ' ') GLOB @${key}`
          break
        case 'is':
          sql = {
            due: 'c.state IN (1, 2, 3) AND c.due < @dayEnd AND c.suspended = 0',
            new: 'c.state = 0',
            learning: 'c.state IN (1, 3)',
            review: 'c.state = 2',
            suspended: 'c.suspended = 1',
            buried: 'c.buried_until > @now',
            leech: `c.lapses >= ${LEECH_LAPSES}`
          }[clause.what]
          break
        case 'prop': {
          const column = {
            lapses: 'c.lapses',
            reps: 'c.reps',
            ivl: 'c.scheduled_days',
            due: `((c.due - @now) / ${DAY_MS})`,
            s: 'c.stability',
            d: '((c.difficulty - 1) / 9.0)',
            r: `(${RECALL})`
          }[clause.name]
          params[key] = clause.value
          sql = `${column} ${clause.op} @${key}`
          if (['due', 's', 'd', 'r'].includes(clause.name)) sql = `c.state > 0 AND ${sql}`
          break
        }
        case 'rated':
          // Study days are whole days after the rollover hour; rated:1 is today.
          params[key] = Math.floor(params.dayStart as number) - (clause.days - 1) * DAY_MS
          sql = `c.id IN (SELECT card_id FROM review_log INDEXED BY review_log_time WHERE reviewed_at >= @${key} AND rating BETWEEN 1 AND 4${clause.grade ? ` AND rating = ${clause.grade}` : ''})`
          break
        case 'flag':
          sql = `c.flag = ${clause.flag}`
          break
      }
      where.push(clause.negated ? `NOT (${sql})` : `(${sql})`)
    })
    const byDeck = clauses.some((c) => c.kind === 'deck' && !c.negated)
    return { where: where.join(' AND '), byDeck, fullText: terms.length > 0 }
  }

  /** better-sqlite3 refuses named parameters the SQL does not use, so pass only those. */
  function used(sql: string, params: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(params).filter(([key]) => new RegExp(`@${key}\\b`).test(sql)))
  }

  return {
    search(
      clauses: Clause[],
      sort: BrowseSort,
      descending: boolean,
      limit: number,
      offset: number,
      at: SearchContext
    ): { total: number; rows: BrowseRow[] } {
      const { now, dayEnd, dayStart, curve } = at
      const params: Record<string, unknown> = {
        limit,
        offset,
        now,
        dayEnd,
        dayStart,
        factor: curve.factor,
        decay: curve.decay
      }
      const built = build(clauses, params)
      const { byDeck, fullText } = built
      let where = built.where
      const skip = where === EVERY_LIVE_CARD && sort === 'position' ? pageStart(offset) : null
      if (skip) {
        if (skip.fromDeck === null) return { total: skip.total, rows: [] }
        where += ' AND c.deck_id >= +@fromDeck'
        params.fromDeck = skip.fromDeck
        params.offset = skip.offset
      }
      const order = `${SORT_COLUMNS[sort]} ${descending ? 'DESC' : 'ASC'}, c.seq`
      const sqlKey = `${where}|${order}`
      let statements = cache.get(sqlKey)
      if (!statements) {
        const from = byDeck ? 'cards c INDEXED BY cards_deck_live' : 'cards c'
        // With words, the matching rows are few next to the full-text matches, so counting them
        // in the same pass (a window) beats a second statement that reads the matches again.
        // Without words, counting rides an index and the rows stop at the limit: two statements.
        statements = {
          rows: db.prepare(`
            SELECT c.id, c.deck_id AS deckId, c.kind, substr(c.front, 1, 300) AS front, c.tags, c.state, c.due,
                   c.scheduled_days AS intervalDays, c.lapses, c.reps, c.suspended,
                   coalesce(c.buried_until > @now, 0) AS buried, c.user_edited_at IS NOT NULL AS edited, c.flag,
                   CASE WHEN c.state > 0 THEN c.difficulty END AS difficulty, CASE WHEN c.state > 0 THEN c.stability END AS stability,
                   ${RECALL} AS r
                   ${fullText ? ', count(*) OVER () AS total' : ''}
              FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
          count: db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}`),
          counted: fullText
        }
        if (cache.size > 200) cache.clear()
        cache.set(sqlKey, statements)
      }
      const found = statements.rows.all(used(statements.rows.source, params)) as (Omit<
        BrowseDbRow,
        'retrievability'
      > & {
        r: number | null
        total?: number
      })[]
      // A page past the end has no row to carry the total: count separately then.
      const total = skip
        ? skip.total
        : statements.counted && (found.length > 0 || offset === 0)
          ? (found[0]?.total ?? 0)
          : (statements.count.get(used(statements.count.source, params)) as { n: number }).n
      const rows = found.map(({ total: _total, r: recall, ...r }) => ({
        ...r,
        retrievability: recall,
        tags: r.tags ? r.tags.split(' ') : [],
        suspended: r.suspended === 1,
        buried: r.buried === 1,
        edited: r.edited === 1
      }))
      return { total, rows }
    }
  }
}

export type BrowseStore = ReturnType<typeof createBrowseStore>
