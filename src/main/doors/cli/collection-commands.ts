// stats, search, sync, check, import, export.
import { resolve } from 'node:path'
import type { DeckSummary } from '../../../shared/domain'
import { COLUMN_ROLES, type ColumnRole, type ImportPreviewItem, type ImportSummary } from '../../../shared/imports'
import { contentCheckHandlers } from '../../app/content-check'
import { locateContentDir } from '../../app/locate'
import { caller, noPositionals, parse, UsageError, withCollection, type CliIo } from './shared'

export async function stats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  noPositionals('stats', positionals)
  return withCollection(values['data-dir'], io, async (call) => {
    const decks = await call('listDecks', {})
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
  return withCollection(values['data-dir'], io, async (call) => {
    const results = await call('search', { query, ...(limit === undefined ? {} : { limit }) })
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
  return withCollection(values['data-dir'], io, async (call) => {
    // Opening the collection synced the shipped library; appInfo reports how that went.
    const report = (await call('appInfo', {})).lastSync
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

export async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  const [dir, extra] = positionals
  if (extra) throw new UsageError(`check takes one DIR (got '${extra}' too)`)
  // No collection is opened: checking writes nothing and needs no data folder.
  const call = caller(contentCheckHandlers(locateContentDir(io.env)), io)
  const report = await call('checkContent', dir === undefined ? {} : { dir: resolve(dir) })
  if (values.json) io.json(report)
  else {
    for (const d of report.decks) {
      const types = Object.entries(d.quizTypes)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')
      io.out(
        `${d.id}: ${d.notes} notes, ${d.cards} cards (${d.clozeCards} cloze), ${d.quizItems} quiz items (${types}), ${d.drills.length} drills`
      )
    }
    for (const p of report.problems) io.out(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
    io.out(report.problems.length === 0 ? 'Content OK.' : `${report.problems.length} problem(s).`)
  }
  return report.problems.some((p) => p.severity === 'error') ? 1 : 0
}

/** `--columns front,back,ignore,tags` as roles, or a usage error naming the bad one. */
function columnRoles(list: string): ColumnRole[] {
  const roles = list.split(',').map((r) => r.trim().toLowerCase())
  const bad = roles.find((r) => !(COLUMN_ROLES as readonly string[]).includes(r))
  if (bad !== undefined)
    throw new UsageError(`--columns takes a comma-separated list of ${COLUMN_ROLES.join(', ')} (got '${bad}')`)
  return roles as ColumnRole[]
}

export async function importFile(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    deck: { type: 'string' },
    'dry-run': { type: 'boolean' },
    columns: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' }
  })
  const [file, extra] = positionals
  if (!file)
    throw new UsageError('import needs a FILE (a markdown guide, a content file or folder, a .csv or an .apkg)')
  if (extra) throw new UsageError(`import takes one FILE (got '${extra}' too)`)
  if (values.header && values['no-header']) throw new UsageError('give --header or --no-header, not both')
  const header = values.header ? true : values['no-header'] ? false : undefined
  return withCollection(values['data-dir'], io, async (call) => {
    const input = {
      path: resolve(file),
      ...(values.deck ? { deck: values.deck } : {}),
      ...(values.columns ? { columns: columnRoles(values.columns) } : {}),
      ...(header === undefined ? {} : { header })
    }
    const summary: ImportSummary & { items?: ImportPreviewItem[] } = values['dry-run']
      ? await call('previewImportFile', input)
      : await call('importFile', input)
    const { items, ...report } = summary
    if (values.json) io.json(values['dry-run'] ? { ...report, items } : report)
    else {
      for (const w of report.warnings)
        io.err(`${file}:${w.line}${w.endLine && w.endLine > w.line ? `-${w.endLine}` : ''}: warning: ${w.message}`)
      if (report.table)
        io.out(
          `Columns (${report.table.separator}-separated${report.table.header ? ', first row names them' : ''}): ${report.table.names.map((n, i) => `${n} -> ${report.table!.columns[i]}`).join(', ')}`
        )
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
  const outDir = resolve(values.out)
  return withCollection(values['data-dir'], io, async (call) => {
    const result = await call('exportDecks', { outDir, ...(values.deck ? { deckId: values.deck } : {}) })
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
