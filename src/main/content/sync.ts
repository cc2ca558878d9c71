// Content sync: a ContentTree upserted into the store by stable id, in one transaction.
// Unchanged rows are not written; edited text keeps scheduling; removed rows are retired;
// rows from files that failed to parse are left exactly as they were.
import { version } from '../../../package.json'
import type { SyncReport } from '../../shared/domain'
import { contentGeneration, contentRowStatements, type ContentRow, type SyncedTable } from '../store/content-rows'
import { SCHEMA_VERSION, writeTransaction, type Db } from '../store/db'
import { cardColumns, noteColumns, quizColumns } from '../store/entity-rows'
import { createSettingsStore } from '../store/settings'
import { loadContentTree } from './load'
import { contentHash, decideUpsert, placedHash } from './row-hash'
import { folderDigest, folderStamp, SYNC_MARK_KEY, unchangedReport, type SyncMark } from './unchanged'
import type { ContentTree, ParsedCard, ParsedDeck, ParsedDrill, ParsedNote, ParsedQuizItem } from './types'

const deckRow = (d: ParsedDeck): ContentRow => ({
  id: d.id,
  title: d.title,
  description: d.description,
  position: d.position,
  source_file: d.file
})
const noteRow = (n: ParsedNote): ContentRow => ({ ...noteColumns(n), source_file: n.file, source_line: n.line })
const cardRow = (c: ParsedCard): ContentRow => ({
  ...cardColumns(c),
  position: c.position,
  source_file: c.file,
  source_line: c.line
})
const quizRow = (q: ParsedQuizItem): ContentRow => ({
  ...quizColumns(q),
  position: q.position,
  source_file: q.file,
  source_line: q.line
})

const drillRow = (d: ParsedDrill): ContentRow => ({
  id: d.id,
  deck_id: d.deckId,
  title: d.title,
  meta: JSON.stringify(d.meta),
  source_file: d.file
})

function columnsOf(row: ContentRow): string[] {
  return Object.keys(row).filter((key) => key !== 'id')
}

export function syncContentDir(db: Db, contentDir: string, now: number): SyncReport {
  const started = performance.now()
  const marks = createSettingsStore(db)
  const mark = marks.get<SyncMark>(SYNC_MARK_KEY)
  // The folder's stamp, then its digest, are taken before its files are parsed: a file changed
  // in between leaves a mark that no longer matches, so the next sync parses everything again.
  // Files whose stamp is the one recorded with the digest hold the same bytes: not read again.
  const stamp = folderStamp(contentDir)
  const folder = mark?.stamp !== undefined && stamp === mark.stamp ? mark.folder : folderDigest(contentDir)
  if (
    mark &&
    folder !== null &&
    mark.folder === folder &&
    mark.version === version &&
    mark.schema === SCHEMA_VERSION &&
    mark.generation === contentGeneration(db)
  ) {
    // The same bytes under a new stamp (a checkout or a copy that kept them): remember it. Only
    // a shortcut for the next start: a collection that cannot be written now (read-only folder,
    // full disk) opens as before, and the next start hashes the bytes again.
    if (stamp !== null && stamp !== mark.stamp) {
      try {
        marks.put(SYNC_MARK_KEY, { ...mark, stamp })
      } catch {
        // (see above)
      }
    }
    return unchangedReport(mark, Math.round(performance.now() - started))
  }
  const tree = loadContentTree(contentDir)
  const report = applyContentTree(db, tree, now)
  if (folder !== null && report.problems.length === 0) {
    const next: SyncMark = {
      version,
      schema: SCHEMA_VERSION,
      folder,
      generation: contentGeneration(db),
      decks: tree.decks.length,
      rowCount: tree.decks.length + tree.notes.length + tree.cards.length + tree.quizItems.length + tree.drills.length,
      ...(stamp === null ? {} : { stamp })
    }
    if (JSON.stringify(next) !== JSON.stringify(mark)) marks.put(SYNC_MARK_KEY, next)
  } else if (mark) marks.remove(SYNC_MARK_KEY)
  report.durationMs = Math.round(performance.now() - started)
  return report
}

export function applyContentTree(db: Db, tree: ContentTree, now: number): SyncReport {
  const report: SyncReport = {
    decks: tree.decks.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    retired: 0,
    restored: 0,
    problems: tree.problems,
    durationMs: 0
  }
  const tables: [SyncedTable, ContentRow[]][] = [
    ['decks', tree.decks.map(deckRow)],
    ['notes', tree.notes.map(noteRow)],
    ['cards', tree.cards.map(cardRow)],
    ['quiz_items', tree.quizItems.map(quizRow)],
    ['drills', tree.drills.map(drillRow)]
  ]
  writeTransaction(db, () => {
    for (const [table, rows] of tables) syncTable(db, table, rows, tree, now, report)
  })()
  return report
}

function syncTable(
  db: Db,
  table: SyncedTable,
  rows: ContentRow[],
  tree: ContentTree,
  now: number,
  report: SyncReport
): void {
  const sample = rows[0] ?? emptyRow(table)
  const statements = contentRowStatements(db, table, columnsOf(sample))
  const stored = new Map(statements.syncState().map((s) => [s.id, s]))
  const present = new Set<string>()
  for (const row of rows) {
    present.add(row.id)
    const hash = contentHash(row)
    const before = stored.get(row.id)
    if (!before) {
      if (statements.insert(row, hash, now)) report.created++
      else {
        report.problems.push({
          file: String(row.source_file),
          line: Number(row.source_line ?? 1),
          severity: 'warning',
          message: `id \`${row.id}\` is already used by a card you created in the app; the shipped one is skipped`
        })
      }
    } else {
      // Rows synced before placement left the hash carry the old formula: the same content
      // in its stored place hashes to it, and is not a change.
      const sameContent = before.hash !== hash && before.hash === placedHash({ ...row, ...before.placement })
      const moved = Object.entries(before.placement).some(([column, value]) => row[column] !== value)
      const action = decideUpsert(before, hash, sameContent)
      if (action === 'unchanged') report.unchanged++
      else if (action === 'restore' || before.retiredAt !== null) report.restored++
      else report.updated++
      if (action === 'park') statements.park(row.id, row, hash, now)
      else if (action === 'update') statements.update(row, hash, now)
      else if (action === 'restore' || moved || before.hash !== hash) statements.place(row, hash, now)
    }
  }
  for (const before of stored.values()) {
    if (present.has(before.id) || before.origin !== 'content' || before.retiredAt !== null) continue
    if (before.sourceFile && tree.failedFiles.has(before.sourceFile)) continue
    if (tree.failedDecks.has(before.deckId)) continue
    statements.retire(before.id, now)
    report.retired++
  }
}

/** Column lists for a table that content currently has no rows for (only retire runs then). */
function emptyRow(table: SyncedTable): ContentRow {
  switch (table) {
    case 'decks':
      return deckRow({ id: '', title: '', description: '', position: 0, file: '', line: 1 })
    case 'notes':
      return noteRow({ id: '', deckId: '', title: '', body: '', tags: [], file: '', line: 1 })
    case 'cards':
      return cardRow({
        id: '',
        deckId: '',
        noteId: null,
        kind: 'basic',
        clozeOrdinal: null,
        front: '',
        back: '',
        tags: [],
        drills: [],
        position: 0,
        file: '',
        line: 1
      })
    case 'drills':
      return drillRow({
        id: '',
        deckId: '',
        title: '',
        meta: { difficulty: '', cards: [], timeLimitMs: 0 },
        file: '',
        line: 1
      })
    case 'quiz_items':
      return quizRow({
        id: '',
        deckId: '',
        cardId: null,
        type: 'truefalse',
        prompt: '',
        data: { type: 'truefalse', answer: true },
        explanation: '',
        tags: [],
        drills: [],
        position: 0,
        file: '',
        line: 1
      })
  }
}
