// Door 3: the `retransmit` command. Parses arguments, calls the same services through the
// same dispatch as the other doors, prints text or --json. Exit codes: 0 success, 1 the
// command ran and failed, 2 bad usage or bad input.
import { spawn } from 'node:child_process'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { version } from '../../../package.json'
import type { DeckSummary, SearchResult } from '../../shared/domain'
import { openCollection, type Collection } from '../app/collection'
import { locateContentDir, locateRendererDir } from '../app/locate'
import { resolveDataDir } from '../app/paths'
import { loadContentTree } from '../content/load'
import { createDispatch } from './dispatch'
import { startHttpServer } from './http-server'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  env: NodeJS.ProcessEnv
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env
}

const HELP = `Usage: retransmit <command> [options]

Commands:
  serve                 Run Retransmit in your browser (127.0.0.1 only, token-protected)
      --port N          port to listen on (0 = any free port; default 0)
      --no-open         do not open the browser
  stats [--json]        Decks with their note, card, quiz and drill counts, due and new
  search QUERY [--json] Full-text search over cards and notes
  sync [--json]         Sync the shipped content/ library into the collection
  check [--json]        Check content/ for errors without writing anything

Options for every command:
  --data-dir DIR        where the collection lives (else $RETRANSMIT_DATA_DIR,
                        else the platform data folder, e.g. ~/.local/share/retransmit)
  -h, --help            show this help
  -v, --version         print the version`

class UsageError extends Error {}

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies ParseArgsConfig['options']

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP)
      return command ? 0 : 2
    }
    if (command === '-v' || command === '--version') {
      io.out(version)
      return 0
    }
    switch (command) {
      case 'serve':
        return await serve(rest, io)
      case 'stats':
        return await stats(rest, io)
      case 'search':
        return await search(rest, io)
      case 'sync':
        return await sync(rest, io)
      case 'check':
        return check(rest, io)
      default:
        throw new UsageError(`unknown command '${command}'`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`retransmit: ${error.message}\nRun 'retransmit --help' for usage.`)
      return 2
    }
    io.err(`retransmit: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

function open(dataDirFlag: string | undefined, io: CliIo, door: 'cli' | 'http' = 'cli'): Collection {
  return openCollection({ dataDir: resolveDataDir(dataDirFlag, io.env), contentDir: locateContentDir(io.env), door })
}

/** Calls one API method through the shared dispatch; validation failures are usage errors. */
async function call<T>(collection: Collection, method: string, input: unknown): Promise<T> {
  const result = await createDispatch(collection.handlers)(method, input)
  if (result.ok) return result.value as T
  if (result.code === 'validation') throw new UsageError(result.message)
  throw new Error(result.message)
}

async function stats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {})
  if (values.help) return help(io)
  if (positionals.length > 0) throw new UsageError(`stats takes no arguments (got '${positionals[0]}')`)
  const collection = open(values['data-dir'], io)
  try {
    const decks = await call<DeckSummary[]>(collection, 'listDecks', {})
    if (values.json) io.out(JSON.stringify({ decks }, null, 2))
    else io.out(formatTable(decks))
    return 0
  } finally {
    collection.close()
  }
}

async function search(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { limit: { type: 'string' } })
  if (values.help) return help(io)
  const query = positionals.join(' ').trim()
  if (!query) throw new UsageError('search needs a QUERY')
  const limit = values.limit === undefined ? undefined : Number(values.limit)
  const collection = open(values['data-dir'], io)
  try {
    const results = await call<SearchResult[]>(collection, 'search', { query, limit })
    if (values.json) io.out(JSON.stringify({ results }, null, 2))
    else if (results.length === 0) io.out('No matches.')
    else for (const r of results) io.out(`${r.kind.padEnd(4)}  ${r.deck}  ${r.id}\n      ${r.snippet.replace(/\s+/g, ' ')}`)
    return 0
  } finally {
    collection.close()
  }
}

async function sync(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {})
  if (values.help) return help(io)
  const collection = open(values['data-dir'], io)
  try {
    const report = collection.lastSync()
    if (!report) throw new Error('no content folder found')
    if (values.json) io.out(JSON.stringify(report, null, 2))
    else {
      for (const p of report.problems) io.err(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
      io.out(`Synced ${report.decks} decks: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.retired} retired, ${report.restored} restored (${report.durationMs} ms).`)
    }
    return report.problems.some((p) => p.severity === 'error') ? 1 : 0
  } finally {
    collection.close()
  }
}

function check(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, {})
  if (values.help) return help(io)
  const dir = positionals[0] ?? locateContentDir(io.env)
  if (!dir) throw new Error('no content folder found')
  const tree = loadContentTree(dir)
  const perDeck = tree.decks.map((deck) => {
    const cards = tree.cards.filter((c) => c.deckId === deck.id)
    const quiz = tree.quizItems.filter((q) => q.deckId === deck.id)
    const quizTypes: Record<string, number> = {}
    for (const q of quiz) quizTypes[q.type] = (quizTypes[q.type] ?? 0) + 1
    return {
      id: deck.id,
      notes: tree.notes.filter((n) => n.deckId === deck.id).length,
      cards: cards.length,
      clozeCards: cards.filter((c) => c.kind === 'cloze').length,
      quizItems: quiz.length,
      quizTypes
    }
  })
  if (values.json) io.out(JSON.stringify({ decks: perDeck, problems: tree.problems }, null, 2))
  else {
    for (const d of perDeck) {
      const types = Object.entries(d.quizTypes).map(([t, n]) => `${t} ${n}`).join(', ')
      io.out(`${d.id}: ${d.notes} notes, ${d.cards} cards (${d.clozeCards} cloze), ${d.quizItems} quiz items (${types})`)
    }
    for (const p of tree.problems) io.out(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
    io.out(tree.problems.length === 0 ? 'Content OK.' : `${tree.problems.length} problem(s).`)
  }
  return tree.problems.some((p) => p.severity === 'error') ? 1 : 0
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, 'no-open': { type: 'boolean' } })
  if (values.help) return help(io)
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got '${positionals[0]}')`)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535`)
  const rendererDir = locateRendererDir()
  if (!rendererDir) throw new Error('the app is not built: run `npm run build` first')
  const collection = open(values['data-dir'], io, 'http')
  for (const p of collection.lastSync()?.problems ?? []) io.err(`${p.file}:${p.line}: ${p.severity}: ${p.message}`)
  const server = await startHttpServer({ dispatch: createDispatch(collection.handlers), rendererDir, port })
  const address = `${server.url}#token=${server.token}`
  io.out(`Retransmit is running at ${address}`)
  if (!values['no-open']) openBrowser(address)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  collection.close()
  return 0
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // No browser opener: the printed address is enough.
  }
}

function help(io: CliIo): number {
  io.out(HELP)
  return 0
}

function formatTable(decks: DeckSummary[]): string {
  const header = ['deck', 'notes', 'cards', 'quiz', 'drills', 'due', 'new']
  const rows = decks.map((d) => [d.id, d.notes, d.cards, d.quizItems, d.drills, d.due, d.new].map(String))
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}
