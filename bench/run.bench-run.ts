// `npm run bench`: every measure as a ratio to a reference measured in the same run, on the
// 100k-card collection; the keyboard latencies in Chromium; then the same per-request and start-up
// measures at 10k, 100k and 1M cards (the scaling table). Prints both tables and writes
// bench/results.json. Runs as the vitest project `bench` so the code goes through the same Vite
// transforms as the app (import.meta.glob migrations, ?raw); scripts/bench.js builds the app first.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openCollection } from '../src/main/app/collection'
import { configureRunner, shutdownRunner } from '../src/main/drills'
import type { DeckSummary } from '../src/shared/domain'
import { buildCollection, TIERS, type BuiltCollection } from './build-collection'
import { measureBrowser, staticHomePage } from './measures-browser'
import { measureAnkiImport } from './measures-anki'
import { measureImport, measureSync, writeLibrary } from './measures-content'
import { measureDrill } from './measures-drill'
import { measureKeyboard } from './measures-keyboard'
import { browseQueries, measureAnswers, measureBrowse, measureQueue, measureStats } from './measures-service'
import {
  measureBareNodeStart,
  measureFtsAlone,
  measureParseAndInsert,
  measureReadAndHash,
  measureSqliteCeiling
} from './references'
import { absolute, mergeResults, progress, scalingTable, table, versus, writeResults, type Entry } from './report'
import { emptyFigures, measureRequests, measureStarts, ROUNDS, scalingRows, type TierFigures } from './scaling'

const ROOT = join(import.meta.dirname, '..')
const CONTENT = join(ROOT, 'content')
const KEEP = process.env.RETRANSMIT_BENCH_KEEP === '1'
/** `npm run bench -- --skip-1m` sets this: the scaling table then stops at 100k. */
const SKIP_1M = process.env.RETRANSMIT_BENCH_SKIP_1M === '1'
/** The groups of measures a run takes (all when unset). */
export const GROUPS = [
  'answer',
  'queue',
  'browse',
  'stats',
  'import',
  'anki',
  'drill',
  'serve',
  'sync',
  'keyboard',
  'scaling'
] as const
/**
 * `RETRANSMIT_BENCH_ONLY=answer,keyboard npm run bench`: only these groups; their entries replace
 * the same measures in bench/results.json, the others are kept from the run before.
 */
const ONLY =
  process.env.RETRANSMIT_BENCH_ONLY?.split(',')
    .map((g) => g.trim())
    .filter(Boolean) ?? null
for (const group of ONLY ?? []) {
  if (!(GROUPS as readonly string[]).includes(group) && group !== 'device-sync')
    throw new Error(
      `RETRANSMIT_BENCH_ONLY: no group "${group}" (groups: ${GROUPS.join(', ')}, and device-sync: bench/sync.bench-run.ts)`
    )
}
const wanted = (group: (typeof GROUPS)[number]) => ONLY === null || ONLY.includes(group)

function build(tier: (typeof TIERS)[number]): BuiltCollection {
  const built = buildCollection(CONTENT, tier)
  process.stderr.write(
    `built ${tier.cards.toLocaleString('en')} cards and ${tier.logRows.toLocaleString('en')} log rows in ${(built.buildMs / 1000).toFixed(1)} s (${Object.entries(
      built.steps
    )
      .map(([name, s]) => `${name} ${s.toFixed(1)}`)
      .join(', ')})\n`
  )
  // Writing the file leaves the kernel flushing dirty pages for a while, which stalls every
  // write (the references' too); a user's collection is not in that state. Flush first.
  spawnSync('sync')
  return built
}

function discard(built: BuiltCollection): void {
  if (!KEEP) rmSync(built.dataDir, { recursive: true, force: true })
  else process.stderr.write(`kept ${built.dataDir}\n`)
}

/** The ratio measures on the 100k collection (the first part of the table). */
async function ratios(built: BuiltCollection): Promise<Entry[]> {
  const entries: Entry[] = []
  progress('references: raw SQLite')
  const ceiling =
    wanted('answer') || wanted('queue') ? await measureSqliteCeiling(built.dataDir) : { write: [], read: [] }
  const rawWrite = { what: 'raw SQLite UPDATE + INSERT transaction', samples: ceiling.write }
  const pointSelect = { what: 'raw SQLite indexed point SELECT', samples: ceiling.read }

  configureRunner({ childScriptPath: join(ROOT, 'out', 'drills', 'child.cjs') })
  // No automatic backup here: it would copy the file beside the measures. Browser mode (below)
  // runs as users run it, backups included.
  const collection = openCollection({ dataDir: built.dataDir, contentDir: CONTENT, door: 'cli', autoBackup: false })
  let decks: DeckSummary[]
  try {
    const { handlers, db } = collection
    decks = await handlers.listDecks({})
    if (wanted('answer')) {
      const answers = await measureAnswers(handlers, 2000)
      const answerNote =
        'answerCard: schedule (FSRS), write card and log in one transaction, then the next card of the deck'
      entries.push(versus('answer a card, p50', answers, rawWrite, 'p50', 8, answerNote))
      entries.push(versus('answer a card, p99', answers, rawWrite, 'p99', 8))
    }
    if (wanted('queue')) {
      progress('queue')
      entries.push(
        versus(
          "today's queue, all decks (getQueue)",
          await measureQueue(handlers),
          pointSelect,
          'p50',
          20,
          'Review over every deck: each deck counted under its own daily limits (one set of count queries per deck)'
        )
      )
      entries.push(
        versus("today's queue, one deck (getQueue)", await measureQueue(handlers, true), pointSelect, 'p50', 20)
      )
    }
    if (wanted('browse')) {
      progress('browse search')
      const queries = browseQueries(320)
      const browse = await measureBrowse(handlers)
      const fts = await measureFtsAlone(db, queries)
      entries.push(
        versus(
          'Browse `deck:` + 2 words (browseCards)',
          browse,
          { what: 'full-text match of the same words alone (count)', samples: fts },
          'p50',
          3
        )
      )
    }
    if (wanted('stats')) {
      progress('stats')
      entries.push(absolute('Stats page, 365 days, all decks (getStats)', await measureStats(handlers), 'p50', null))
    }
    if (wanted('import')) {
      const imported = await measureImport(handlers, 5)
      const raw = measureParseAndInsert(db, imported.guide, imported.lastDeck, 5)
      entries.push(
        versus(
          'import a 1 MB markdown guide (runImport)',
          imported.times,
          { what: 'markdown-it parse + raw inserts of its rows', samples: raw },
          'p50',
          3,
          `${imported.bytes} bytes, ${imported.created} notes and cards per run, into the 100k collection`
        )
      )
    }
    if (wanted('anki')) {
      const anki = await measureAnkiImport(3)
      entries.push(
        versus(
          'import a 20k-note Anki package (importFile)',
          anki.imports,
          {
            what: 'unzip + zstd + open its collection and read every note, card and review row',
            samples: anki.reference
          },
          'p50',
          5,
          `anki21b, ${(anki.packageBytes / 1e6).toFixed(1)} MB: ${anki.created} cards, ${anki.reviews} review rows, ${anki.media} images per run, each into a new collection (undo history included)`
        )
      )
    }
    if (wanted('drill')) {
      const echo = await measureDrill(handlers, CONTENT, 'tcp-echo', 9)
      entries.push(
        versus(
          'drill run, TCP echo (runDrill, warm runner)',
          echo.warm,
          { what: 'fresh `node` running the same drill code', samples: echo.fresh },
          'p50',
          0.5,
          'new code each run, type-checked while typing as the drill page does'
        )
      )
      entries.push(
        versus(
          '  the same Run of code not type-checked yet',
          echo.unchecked,
          { what: 'fresh `node` running the same drill code', samples: echo.fresh },
          'p50',
          null,
          'the type check (a TypeScript language service) runs beside the tests'
        )
      )
      entries.push(
        absolute(
          '  the same tests alone, inside the fresh process',
          echo.testsOnly,
          'p50',
          null,
          'ms',
          'the floor for any runner'
        )
      )
    }
  } finally {
    collection.close()
    await shutdownRunner()
  }

  if (wanted('serve')) {
    const bare = await measureBareNodeStart(join(built.dataDir, 'collection.sqlite'), 5)
    const browser = await measureBrowser(built.dataDir, CONTENT, 5, staticHomePage(decks))
    entries.push(
      versus(
        'serve: process start to first API answer',
        browser.startMs,
        { what: 'bare `node` opening the same file and reading it', samples: bare },
        'p50',
        2
      )
    )
    entries.push(
      versus(
        'first paint of Home with its decks (Chromium)',
        browser.homePaintMs,
        { what: 'static HTML page of the same decks, same Chromium', samples: browser.staticPaintMs },
        'p50',
        1.5,
        'navigation start to the frame after ul.decks li.deck appears (rAF + task), a fresh browser context each time'
      )
    )
    entries.push(
      absolute(
        'resident memory of serve, collection open',
        browser.rssMb,
        'p95',
        null,
        'MB',
        'VmRSS after the first API answer and after Home loaded'
      )
    )
  }

  if (wanted('sync')) {
    const library = writeLibrary()
    try {
      const sync = measureSync(library, 2, 10)
      expect(sync.cards).toBe(10_000)
      const hashing = measureReadAndHash(library, 10)
      entries.push(
        versus(
          'content sync, nothing changed (syncContent)',
          sync.unchanged,
          { what: 'reading and hashing the same files', samples: hashing },
          'p50',
          3,
          '10 decks x 20 files x 50 cards'
        )
      )
      entries.push(absolute('  content sync, 10,000 cards, first time', sync.first, 'p50', null))
    } finally {
      rmSync(library, { recursive: true, force: true })
    }
  }
  if (!wanted('keyboard')) return entries

  progress('keyboard')
  const keys = await measureKeyboard(built.dataDir, CONTENT, 40, browseQueries(60))
  const missed = (kind: keyof typeof keys.missed) =>
    keys.missed[kind] ? `; ${keys.missed[kind]} presses showed nothing within 5 s` : ''
  entries.push(
    absolute(
      'keyboard: the floor, Space -> element shown on a static page',
      keys.floor,
      'p95',
      null,
      'ms',
      'a page with one key handler and nothing else, same browser, timed the same way: the browser share of every key below'
    )
  )
  entries.push(
    absolute(
      "keyboard: the page's smallest API call (appInfo over HTTP)",
      keys.roundTrip,
      'p95',
      null,
      'ms',
      "fetch to parsed answer from the app's page: the transport share of grade and quiz feedback"
    )
  )
  entries.push(
    absolute(
      'keyboard: Space -> answer shown (Review)',
      keys.reveal,
      'p95',
      16.7,
      'ms',
      `key event to the next painted frame${missed('reveal')}`
    )
  )
  entries.push(
    absolute(
      'keyboard: grade -> next card shown',
      keys.next,
      'p95',
      33,
      'ms',
      `includes answerCard over HTTP${missed('next')}`
    )
  )
  entries.push(
    absolute(
      'keyboard: quiz answer -> feedback shown',
      keys.feedback,
      'p95',
      33,
      'ms',
      `includes answerQuizItem over HTTP${missed('feedback')}`
    )
  )
  entries.push(
    absolute(
      'keyboard: Browse typing -> results shown',
      keys.results,
      'p95',
      null,
      'ms',
      `includes the search box's 200 ms pause after typing${missed('results')}`
    )
  )
  return entries
}

it('measures every target against its reference, and the scaling from 10k to 1M cards', async () => {
  // Only the device-sync bench asked for: nothing of this file's.
  if (!GROUPS.some(wanted)) return
  const needsBuild = wanted('drill') || wanted('serve') || wanted('keyboard') || wanted('scaling')
  if (
    needsBuild &&
    (!existsSync(join(ROOT, 'out', 'drills', 'child.cjs')) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
  ) {
    throw new Error('the app is not built: `npm run bench` builds it first')
  }
  const benchStarted = performance.now()
  /** Each tier's figures once all its measures are taken (the scaling table reads these). */
  const figures: Record<string, TierFigures> = {}
  /** Each tier's figures while they are being taken. */
  const starts: Record<string, TierFigures> = {}

  const order = wanted('scaling') ? [TIERS[1]!, TIERS[0]!, ...(SKIP_1M ? [] : [TIERS[2]!])] : [TIERS[1]!]
  let entries: Entry[] = []
  /** Written after the ratios and at the end, so a run stopped during the scaling still leaves the ratios. */
  const report = (final: boolean) => {
    const tierNames = TIERS.map((t) => t.name).filter((name) => figures[name])
    const rows = scalingRows(figures, tierNames)
    const file = join(ROOT, 'bench', 'results.json')
    if (ONLY) mergeResults(file, entries, wanted('scaling') ? { tiers: tierNames, rows } : null)
    else writeResults(file, { measures: entries, scaling: { tiers: tierNames, rows } })
    if (!final || !wanted('scaling')) return
    process.stdout.write(
      `\nScaling (p50):\n\n${scalingTable(rows, tierNames)}\n\nwhole run ${((performance.now() - benchStarted) / 1000).toFixed(0)} s; results in bench/results.json\n`
    )
  }
  // Every tier is kept until the per-request measures have run in rounds over all of them.
  const kept: BuiltCollection[] = []
  try {
    for (const tier of order) {
      const built = build(tier)
      kept.push(built)
      if (tier === TIERS[1]) {
        entries = await ratios(built)
        const notes = entries.filter((e) => e.note).map((e) => `- ${e.measure.trim()}: ${e.note}`)
        process.stdout.write(`\n${table(entries)}\n\n${notes.join('\n')}\n`)
        report(false)
      }
      if (wanted('scaling')) await measureStarts(built, CONTENT, (starts[tier.name] = emptyFigures()))
    }
    if (wanted('scaling')) {
      for (let round = 0; round < ROUNDS; round++)
        for (const built of kept) await measureRequests(built, CONTENT, round, starts[built.tier.name]!)
      Object.assign(figures, starts)
    }
  } finally {
    for (const built of kept) discard(built)
  }
  report(true)
})
