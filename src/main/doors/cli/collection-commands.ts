// stats, search, sync, check, import, export.
import { resolve } from 'node:path'
import type { DeckSummary, SearchResult } from '../../../shared/domain'
import type { ImportPreviewItem, ImportSummary } from '../../../shared/imports'
import { locateContentDir } from '../../app/locate'
import { loadContentTree } from '../../content/load'
import { exportCollection, previewImport, runImport } from '../../import'
import { call, noPositionals, parse, UsageError, withCollection, type CliIo } from './shared'

export async function stats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  noPositionals('stats', positionals)
  return withCollection(values['data-dir'], io, async (collection) => {
    const decks = await call<DeckSummary[]>(collection, 'listDecks', {})
    if (values.json) io.json({ decks })
    else io.out(table(decks))
    return 0
  })
}

export async function search(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { limit: { type: 'string' } })
  const query = positionals.join(' ').trim()
  if (!query) throw new UsageError('search needs a QUERY')
  const limit = values.limit === undefined ? undefined : Number(values.limit)
  return withCollection(values['data-dir'], io, async (collection) => {
    const results = await call<SearchResult[]>(collection, 'search', { query, limit })
    if (values.json) io.json({ results })
    else if (results.length === 0) io.out('No matches.')
    else
      for (const r of results)
        io.out(`${r.kind.padEnd(4)}  ${r.deck}  ${r.id}\n      ${r.snippet.replace(/\s+/g, ' ')}`)
    return 0
  })
}

export async function sync(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  noPositionals('sync', positionals)
  return withCollection(values['data-dir'], io, async (collection) => {
    const report = collection.lastSync()
    if (!report) throw new Error('no content folder found')
    if (values.json) io.json(report)
    else {
      for (const p of report.problems) io.err(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
      io.out(
        `Synced ${report.decks} decks: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.retired} retired, ${report.restored} restored (${report.durationMs} ms).`
      )
    }
    return report.problems.some((p) => p.severity === 'error') ? 1 : 0
  })
}

export function check(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, {})
  const dir = positionals[0] ?? locateContentDir(io.env)
  if (!dir) throw new Error('no content folder found')
  const tree = loadContentTree(dir)
  const perDeck = tree.decks.map((deck) => {
    const cards = tree.cards.filter((c) => c.deckId === deck.id && c.kind !== 'drill')
    const quiz = tree.quizItems.filter((q) => q.deckId === deck.id)
    const quizTypes: Record<string, number> = {}
    for (const q of quiz) quizTypes[q.type] = (quizTypes[q.type] ?? 0) + 1
    return {
      id: deck.id,
      notes: tree.notes.filter((n) => n.deckId === deck.id).length,
      cards: cards.length,
      clozeCards: cards.filter((c) => c.kind === 'cloze').length,
      quizItems: quiz.length,
      quizTypes,
      drills: tree.drills.filter((d) => d.deckId === deck.id).map((d) => d.id)
    }
  })
  if (values.json) io.json({ decks: perDeck, problems: tree.problems })
  else {
    for (const d of perDeck) {
      const types = Object.entries(d.quizTypes)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')
      io.out(
        `${d.id}: ${d.notes} notes, ${d.cards} cards (${d.clozeCards} cloze), ${d.quizItems} quiz items (${types}), ${d.drills.length} drills`
      )
    }
    for (const p of tree.problems) io.out(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
    io.out(tree.problems.length === 0 ? 'Content OK.' : `${tree.problems.length} problem(s).`)
  }
  return tree.problems.some((p) => p.severity === 'error') ? 1 : 0
}

export async function importFile(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { deck: { type: 'string' }, 'dry-run': { type: 'boolean' } })
  const [file, extra] = positionals
  if (!file)
    throw new UsageError('import needs a FILE (a markdown guide, a content file or folder, a .csv or an .apkg)')
  if (extra) throw new UsageError(`import takes one FILE (got '${extra}' too)`)
  return withCollection(values['data-dir'], io, async (collection) => {
    const options = {
      now: Date.now(),
      mediaDir: collection.mediaDir,
      dayStartHour: (await collection.handlers.getSettings({})).global.dayStartHour,
      onProgress: io.progress,
      ...(values.deck ? { deck: values.deck } : {})
    }
    let summary: ImportSummary & { items?: ImportPreviewItem[] }
    try {
      summary = values['dry-run']
        ? await previewImport(collection.db, resolve(file), options)
        : await runImport(collection.db, resolve(file), options)
    } catch (error) {
      // Bad input (unknown format, malformed file, too big) is the caller's to fix: exit 2.
      if (error instanceof Error && ['ValidationError', 'ContentError'].includes(error.name))
        throw new UsageError(error.message)
      throw error
    }
    const { items, ...report } = summary
    if (values.json) io.json(values['dry-run'] ? { ...report, items } : report)
    else {
      for (const w of report.warnings) io.err(`${file}:${w.line}: warning: ${w.message}`)
      const verb = values['dry-run'] ? 'Would import' : 'Imported'
      io.out(
        `${verb} ${report.format} into ${report.deck}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged${report.warnings.length ? `, ${report.warnings.length} warning(s)` : ''}.`
      )
    }
    return 0
  })
}

export async function exportDecks(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { deck: { type: 'string' }, out: { type: 'string' } })
  noPositionals('export', positionals)
  if (!values.out) throw new UsageError('export needs --out DIR')
  return withCollection(values['data-dir'], io, async (collection) => {
    const result = exportCollection(collection.db, {
      outDir: resolve(values.out!),
      ...(values.deck ? { deckId: values.deck } : {})
    })
    if (values.json) io.json(result)
    else io.out(`Exported ${result.decks} deck(s) in ${result.files} file(s) to ${values.out}.`)
    return 0
  })
}

function table(decks: DeckSummary[]): string {
  const header = ['deck', 'notes', 'cards', 'quiz', 'drills', 'due', 'new']
  const rows = decks.map((d) => [d.id, d.notes, d.cards, d.quizItems, d.drills, d.due, d.new].map(String))
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}
