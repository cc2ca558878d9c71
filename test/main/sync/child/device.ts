// One device as its own process, for the multi-device sync tests. It reads one JSON command per
// line on stdin and writes one JSON line per command on stdout, after the command has finished
// (its transactions committed). While a sync runs it also writes `{"step": ...}` lines, which the
// crash test uses to kill it at known points of a round.
//   node device.mjs DATA_DIR CONTENT_DIR
import { writeSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { openCollection } from '../../../../src/main/app/collection'
import { configureRunner, shutdownRunner } from '../../../../src/main/drills'
import { createSettingsService } from '../../../../src/main/study/settings'
import { createSettingsStore } from '../../../../src/main/store/settings'
import { createDeviceSync } from '../../../../src/main/sync/device-sync'

const [dataDir, contentDir] = process.argv.slice(2)
// Drills run in the real sandbox; its script is bundled by the test (this bundle has no sources beside it).
if (process.env.RETRANSMIT_TEST_DRILL_CHILD)
  configureRunner({ childScriptPath: process.env.RETRANSMIT_TEST_DRILL_CHILD, typeCheck: false })
let now = Date.UTC(2026, 11, 1, 9, 0, 0)
const clock = () => now
const say = (value: unknown) => writeSync(1, JSON.stringify(value) + '\n')

const collection = openCollection({
  dataDir: dataDir!,
  contentDir: contentDir!,
  door: 'cli',
  clock,
  tzOffset: () => 0,
  autoBackup: false,
  log: () => {}
})
const { handlers, db } = collection
const settings = createSettingsService({ db, store: createSettingsStore(db) })
// The connection stays open between rounds, as in the app (closed below before the process ends).
const sync = createDeviceSync({
  db,
  dataDir: dataDir!,
  settings,
  clock,
  tzOffset: () => 0,
  timeoutMs: 30_000,
  keepConnection: true
})

type Command = Record<string, unknown> & { cmd: string }

function dump() {
  const answers = db
    .prepare('SELECT uid, card_id AS cardId, reviewed_at AS reviewedAt, rating, source FROM review_log ORDER BY uid')
    .all()
  const cards = db
    .prepare(
      `SELECT id, deck_id AS deckId, front, back, retired_at IS NOT NULL AS retired, state, due, stability, difficulty,
              elapsed_days AS elapsedDays, scheduled_days AS scheduledDays, learning_steps AS learningSteps, reps, lapses,
              last_review AS lastReview, suspended, flag, tags, buried_until AS buriedUntil
         FROM cards ORDER BY id`
    )
    .all()
  const decks = db.prepare('SELECT id, title, retired_at IS NOT NULL AS retired FROM decks ORDER BY id').all()
  const integrity = db.pragma('integrity_check', { simple: true })
  const daily = db.prepare('SELECT sum(answers) AS answers FROM review_daily').get()
  const notes = db
    .prepare(
      'SELECT id, deck_id AS deckId, title, body, tags, origin, retired_at IS NOT NULL AS retired FROM notes ORDER BY id'
    )
    .all()
  const settingRows = db.prepare('SELECT key, value FROM settings ORDER BY key').all() as {
    key: string
    value: string
  }[]
  const settings = Object.fromEntries(settingRows.map((row) => [row.key, JSON.parse(row.value) as unknown]))
  const drafts = db
    .prepare('SELECT drill_id AS drillId, code, updated_at AS updatedAt FROM drill_drafts ORDER BY drill_id')
    .all()
  const drillAttempts = db
    .prepare(
      `SELECT a.uid, a.drill_id AS drillId, s.uid AS session, a.at, a.mode, a.status, a.passed, a.total, a.grade, a.code
         FROM drill_attempts a LEFT JOIN drill_sessions s ON s.id = a.session_id ORDER BY a.uid`
    )
    .all()
  const drillSessions = (
    db
      .prepare(
        'SELECT id, uid, drill_id AS drillId, opened_at AS openedAt, timed, ended_at AS endedAt FROM drill_sessions ORDER BY uid'
      )
      .all() as { id: number }[]
  ).map(({ id, ...session }) => ({
    ...session,
    events: db.prepare('SELECT at, kind, hint FROM drill_session_events WHERE session_id = ? ORDER BY at').all(id)
  }))
  const quizItems = db
    .prepare(
      `SELECT id, deck_id AS deckId, card_id AS cardId, type, prompt, data, explanation, tags, origin,
              retired_at IS NOT NULL AS retired FROM quiz_items ORDER BY id`
    )
    .all()
  return {
    answers,
    quizItems,
    cards,
    decks,
    notes,
    settings,
    drafts,
    drillAttempts,
    drillSessions,
    integrity,
    daily,
    status: sync.status()
  }
}

async function run(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'clock':
      now = command.at as number
      return now
    case 'answer':
      return handlers.answerCard({ cardId: command.cardId as string, rating: command.rating as 1, durationMs: 1000 })
    case 'answers': {
      // `count` answers round-robin over the shipped cards, `stepMs` apart from `from`.
      const ids = ['alpha-1', 'alpha-2', 'beta-1']
      for (let i = 0; i < (command.count as number); i++) {
        now = (command.from as number) + i * (command.stepMs as number)
        await handlers.answerCard({ cardId: ids[i % ids.length]!, rating: ((i % 4) + 1) as 1, durationMs: 1000 })
      }
      return now
    }
    case 'edit': {
      const card = await handlers.getCard({ id: command.cardId as string })
      return handlers.updateCard({
        id: card.id,
        front: command.front as string,
        back: command.back as string,
        tags: card.tags
      })
    }
    case 'bulk':
      return handlers.bulkCards({
        cardIds: command.cardIds as string[],
        action: command.action as { action: 'suspend' }
      })
    case 'flag':
      return handlers.flagCards({ cardIds: command.cardIds as string[], flag: command.flag as number })
    case 'bury':
      return handlers.buryCard({ cardId: command.cardId as string })
    case 'edit-note':
      return handlers.updateNote({
        id: command.id as string,
        title: command.title as string,
        body: command.body as string,
        tags: command.tags as string[]
      })
    case 'create-note':
      return handlers.createNote({
        deckId: command.deckId as string,
        title: command.title as string,
        body: command.body as string,
        tags: []
      })
    case 'undo':
      return handlers.undo({})
    case 'redo':
      return handlers.redo({})
    case 'settings':
      return handlers.updateSettings({
        settings: command.settings as Record<string, never>,
        ...(command.deckId ? { deckId: command.deckId as string } : {})
      })
    case 'draft':
      return handlers.saveDraft({ id: command.id as string, code: command.code as string })
    case 'create-quiz':
      return handlers.createQuizItem({ deckId: command.deckId as string, block: command.block as string })
    case 'open-drill':
      return handlers.openDrill({ id: command.id as string })
    case 'hint':
      return handlers.showHint({ id: command.id as string, n: command.n as number })
    case 'run-drill':
      return handlers.runDrill({ id: command.id as string, code: command.code as string })
    case 'submit-drill':
      return handlers.submitDrill({ id: command.id as string, code: command.code as string })
    case 'list-drills':
      return handlers.listDrills({})
    case 'create-deck':
      return handlers.createDeck({ title: command.title as string })
    case 'create-card':
      return handlers.createCard({
        deckId: command.deckId as string,
        kind: 'basic',
        front: command.front as string,
        back: command.back as string,
        tags: []
      })
    case 'delete-deck':
      return sync.deleteDeck(command.deckId as string)
    case 'configure':
      return sync.configure({ server: command.server as string, token: command.token as string })
    case 'sync':
      return sync.syncNow((step) => say({ step }))
    case 'dump':
      return dump()
    default:
      throw new Error(`unknown command ${command.cmd}`)
  }
}

// Round-robin grades make leeches; suspending them would refuse later answers to them.
await handlers.updateSettings({ settings: { leechAction: 'tag' } })
say({ ready: true })
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  const command = JSON.parse(line) as Command
  if (command.cmd === 'close') break
  try {
    say({ ok: true, result: (await run(command)) ?? null })
  } catch (error) {
    say({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
  }
}
await sync.close()
await shutdownRunner()
collection.close()
process.stdin.destroy()
say({ closed: true })
