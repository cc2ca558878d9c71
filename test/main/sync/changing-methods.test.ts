// The contract's CHANGES marks (src/shared/api.ts) against what really syncs: every contract method
// is called on a real collection (a copy of the shipped library, a temp SQLite file) that syncs
// with a real sync server on loopback, and the round after it must send something exactly when the
// method is marked. A method that writes what syncs but is not marked would leave automatic sync
// idle after it (its work waits for the next periodic round); a marked one that sends nothing
// starts rounds for nothing. The table below is keyed by method name, so a new contract method
// does not compile until it has a call here.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCollection, type Collection } from '../../../src/main/app/collection'
import { createDispatch, type Dispatch } from '../../../src/main/doors/dispatch'
import { shutdownRunner } from '../../../src/main/drills/index'
import { startSyncServer, type SyncServer } from '../../../src/main/sync/server'
import { isChanging, methodNames, type InputOf, type MethodName, type ResultOf } from '../../../src/shared/api'
import { makePackage } from '../../fixtures/import/anki-package'
import { samplePackage } from '../../fixtures/import/anki-sample'
import { quizBlock } from '../../helpers/content'
import { fixedClock, tempDir } from '../../helpers/temp'

const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content')
const TOKEN = 'changing-methods-token-0123456789'
const DRILL = 'tcp-echo'
const DECK = 'tcp-vs-udp'
const SOLUTION = readFileSync(join(CONTENT, 'drills', DRILL, 'solution.ts'), 'utf8')
const STARTER = readFileSync(join(CONTENT, 'drills', DRILL, 'starter.ts'), 'utf8')
const DAY_MS = 86_400_000

let server: SyncServer
let collection: Collection
let dispatch: Dispatch
let content: string
const clock = fixedClock()

async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  const result = await dispatch(method, input)
  if (!result.ok) throw new Error(`${method}: ${result.code}: ${result.message}`)
  return result.value as ResultOf<M>
}

/** Runs one round and says how much it sent: answers, edits and marks, drill records, and tombstones of undone answers. */
async function sentByRound(): Promise<number> {
  clock.advance(1000)
  const tombstones = (collection.db.prepare('SELECT count(*) AS n FROM sync_undone').get() as { n: number }).n
  const status = await call('syncNow', {})
  expect(status.lastError, 'the round').toBe('')
  const report = status.lastReport!
  return tombstones + report.sent + report.edits + (report.drillsSent ?? 0)
}

/** Rewrites one card's question in the collection's content folder (a new version of the library). */
function reword(front: string, to: string): void {
  const file = join(content, 'decks', DECK, 'basics.md')
  const text = readFileSync(file, 'utf8')
  expect(text).toContain(front)
  writeFileSync(file, text.replace(front, to))
}

/** The sample Anki collection (every card state, review history), its notes renamed after `copy`. */
function ankiBytes(copy: string): Uint8Array {
  const spec = samplePackage('anki21')
  return makePackage({ ...spec, notes: spec.notes.map((note) => ({ ...note, guid: `${note.guid}-${copy}` })) })
}
const ankiPackage = (copy: string) => ({
  fileName: `${copy}.apkg`,
  dataBase64: Buffer.from(ankiBytes(copy)).toString('base64')
})
function ankiPackageFile(copy: string): string {
  const file = join(tempDir('retransmit-changing-apkg-'), `${copy}.apkg`)
  writeFileSync(file, ankiBytes(copy))
  return file
}

// Values one step makes and a later one uses.
let quizSession = 0
let ownDeck = ''
let backupName = ''

/**
 * Each method's call, in this order. The function may first call other methods to set the scene
 * (a round then sends what they changed) and returns the input of the call that is measured.
 */
const steps: { [M in MethodName]: () => Promise<InputOf<M>> } = {
  appInfo: async () => ({}),
  listDecks: async () => ({}),
  search: async () => ({ query: 'handshake' }),
  syncContent: async () => {
    reword('How large is a UDP header?', 'How many bytes is a UDP header?')
    return {}
  },
  getSettings: async () => ({}),
  updateSettings: async () => ({ settings: { newPerDay: 25 } }),
  getInterviewPlan: async () => ({}),
  setInterviewPlan: async () => ({ plan: { date: '2026-04-01', deckIds: [DECK], target: 0.9 } }),
  getQueue: async () => ({ deckId: DECK }),
  answerCard: async () => ({ cardId: 'tuv-udp-header-size', rating: 3, durationMs: 4000, deckId: DECK }),
  buryCard: async () => ({ cardId: 'tuv-udp-checksum', deckId: DECK }),
  suspendCard: async () => ({ cardId: 'tuv-udp-max-payload', deckId: DECK }),
  skipDrillCard: async () => ({ cardId: `drill:${DRILL}`, deckId: DECK }),
  flagCards: async () => ({ cardIds: ['tuv-hol-blocking'], flag: 2 }),
  undo: async () => {
    await call('answerCard', { cardId: 'tuv-tcp-guarantees', rating: 3, durationMs: 4000 })
    return {}
  },
  redo: async () => ({}),
  undoStatus: async () => ({}),
  cardInfo: async () => ({ id: 'tuv-udp-header-size' }),
  startQuiz: async () => ({ count: 1, itemIds: ['tuv-quiz-framing'] }),
  answerQuizItem: async () => {
    quizSession = (await call('startQuiz', { count: 1, itemIds: ['tuv-quiz-framing'] })).id
    return { sessionId: quizSession, itemId: 'tuv-quiz-framing', answer: { type: 'truefalse', value: false } }
  },
  finishQuiz: async () => ({ sessionId: quizSession }),
  browseCards: async () => ({ query: 'tcp' }),
  getCard: async () => ({ id: 'tuv-tcp-checksum-weak' }),
  updateCard: async () => ({
    id: 'tuv-tcp-checksum-weak',
    front: 'Why is the TCP checksum weak?',
    back: 'It is 16 bits.',
    tags: []
  }),
  adoptShipped: async () => {
    // The learner's own wording and tags, then a library version that rewords the card too: it
    // waits beside the edit. Taking it puts the shipped tags back, a mark that syncs. (Its text
    // does not go out: an adopted card is no longer the learner's edit, see the report.)
    const card = await call('getCard', { id: 'tuv-tcp-header-size' })
    await call('updateCard', { id: card.id, front: 'My TCP header question?', back: card.back, tags: ['mine'] })
    reword('How large is a TCP header?', 'How many bytes is a TCP header?')
    await call('syncContent', {})
    return { id: card.id }
  },
  listNotes: async () => ({ deckId: DECK }),
  getNote: async () => ({ id: 'tcp-udp-basics' }),
  updateNote: async () => ({ id: 'tcp-udp-basics', title: 'TCP and UDP', body: 'My own summary.', tags: [] }),
  bulkCards: async () => ({ cardIds: ['tuv-udp-max-payload-avoid'], action: { action: 'addTag', tag: 'mine' } }),
  createDeck: async () => ({ title: 'My deck' }),
  createCard: async () => {
    ownDeck = (await call('listDecks', {})).find((deck) => deck.title === 'My deck')!.id
    return { deckId: ownDeck, kind: 'basic', front: 'What is MSS?', back: 'The largest TCP segment payload.' }
  },
  createNote: async () => ({ deckId: ownDeck, title: 'My note', body: 'Notes on MSS.' }),
  storeImage: async () => ({
    type: 'image/png',
    dataBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64')
  }),
  createQuizItem: async () => ({
    deckId: ownDeck,
    block: quizBlock(
      'my-quiz-mss',
      'truefalse',
      'MSS counts the TCP header.\n---\nNo: payload only.',
      'answer: false\n'
    )
  }),
  // An Anki package with review history: its answers are this device's to send.
  previewImport: async () => ankiPackage('first'),
  runImport: async () => ankiPackage('first'),
  listDrills: async () => ({}),
  getDrill: async () => ({ id: DRILL }),
  openDrill: async () => ({ id: DRILL }),
  showHint: async () => ({ id: DRILL, n: 1 }),
  saveDraft: async () => ({ id: DRILL, code: `${STARTER}\n// started\n` }),
  checkDrill: async () => ({ id: DRILL, code: SOLUTION }),
  runDrill: async () => ({ id: DRILL, code: SOLUTION }),
  submitDrill: async () => ({ id: DRILL, code: SOLUTION }),
  exportDrillTrace: async () => ({ id: DRILL }),
  getSolution: async () => ({ id: DRILL }),
  getStats: async () => ({}),
  optimizerStatus: async () => ({}),
  optimizeParameters: async () => {
    // The optimizer needs 400 reviews: 40 cards answered on 12 days, mostly Good.
    const ids = (await call('browseCards', { query: '', limit: 60 })).rows
      .map((row) => row.id)
      .filter((id) => !id.startsWith('drill:'))
      .slice(0, 40)
    for (let day = 0; day < 12; day++) {
      clock.advance(5 * DAY_MS)
      for (const [i, cardId] of ids.entries())
        await call('answerCard', { cardId, rating: (i + day) % 7 === 0 ? 1 : 3, durationMs: 3000 })
    }
    return {}
  },
  listBackups: async () => ({}),
  createBackup: async () => ({}),
  restoreBackup: async () => {
    backupName = (await call('createBackup', {})).name
    return { name: backupName }
  },
  checkContent: async () => ({ dir: content }),
  previewImportFile: async () => ({ path: ankiPackageFile('second') }),
  importFile: async () => ({ path: ankiPackageFile('second') }),
  exportDecks: async () => ({ outDir: tempDir('retransmit-changing-export-') }),
  backupTo: async () => ({ file: join(tempDir('retransmit-changing-backup-'), 'copy.db') }),
  runDrillSolution: async () => ({ id: DRILL }),
  syncStatus: async () => ({}),
  configureSync: async () => ({ server: `http://127.0.0.1:${server.port}`, token: TOKEN }),
  setAutoSync: async () => ({ on: false }),
  syncNow: async () => ({}),
  deleteDeck: async () => ({ deckId: ownDeck })
}

beforeAll(async () => {
  server = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-changing-server-'), token: TOKEN })
  content = tempDir('retransmit-changing-content-')
  cpSync(CONTENT, content, { recursive: true })
  // The command line's door: it answers every method, and runs no automatic rounds of its own.
  collection = openCollection({
    dataDir: tempDir('retransmit-changing-'),
    contentDir: content,
    door: 'cli',
    clock,
    autoBackup: false
  })
  dispatch = createDispatch(collection.handlers, () => {}, 'cli')
  await call('configureSync', { server: `http://127.0.0.1:${server.port}`, token: TOKEN })
  await sentByRound()
}, 120_000)

afterAll(async () => {
  collection?.close()
  await server?.close()
  await shutdownRunner()
})

describe('the contract marks the methods that change what syncs', () => {
  it('every method is called, and the round after it sends something exactly when it is marked', async () => {
    expect(Object.keys(steps).sort()).toEqual([...methodNames].sort())
    const wrong: string[] = []
    for (const [method, input] of Object.entries(steps) as [MethodName, () => Promise<unknown>][]) {
      const given = await input()
      // What setting the scene changed goes out first, so the next round measures the call alone.
      await sentByRound()
      clock.advance(1000)
      await call(method, given as never)
      const sent = await sentByRound()
      if (sent > 0 !== isChanging(method)) wrong.push(`${method}: sent ${sent}, marked ${isChanging(method)}`)
    }
    expect(wrong).toEqual([])
  }, 600_000)
})
