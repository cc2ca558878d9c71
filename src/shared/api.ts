// The one contract between the UI and the services. Every door (Electron IPC, the HTTP
// server, the CLI), the preload bridge and the renderer client are derived from this
// object; nothing else lists the methods. Inputs are validated with these schemas at
// every door; results are typed only (the services produce them).
import { z } from 'zod'
import { ENTITY_ID, PLAIN_NAME } from './plain-name'
import { MAX_PASTED_IMAGE_BYTES, PASTED_IMAGE_TYPES, type PastedImageType } from './media'

// Zod would probe `new Function` to compile faster validators; the renderer's CSP forbids
// eval, and the probe shows up as a CSP violation. The interpreted validators are plenty fast.
z.config({ jitless: true })
import { BACKUP_NAME, type BackupEntry, type RestoreResult } from './backups'
import type { AppInfo, ContentCheckReport, DeckSummary, SearchResult, SyncReport } from './domain'
import type { SyncStatus } from './device-sync'
import type {
  DrillAttemptView,
  DrillCheckResult,
  DrillDetail,
  DrillRunResult,
  DrillSubmitOutcome,
  DrillSummary,
  DrillTraceExport
} from './drills'
import type { ExportResult, ImportPreviewItem, ImportSummary } from './imports'
import type {
  AnswerResult,
  BrowseRow,
  CardInfo,
  CardDetail,
  InterviewView,
  NoteDetail,
  NoteRow,
  QueueState,
  QuizFeedback,
  QuizSession,
  QuizSummary,
  SettingsView,
  StatsReport,
  UndoResult,
  UndoStatus
} from './study'

/**
 * What a method's declaration may say about it besides its types. `changes`: after it succeeds this
 * device has something new to sync (an answer, an edit, a mark, a setting, a draft, a deck), so
 * automatic sync starts a round after it (app/auto-sync.ts). test/main/sync/changing-methods.test.ts
 * calls every method against a real collection and sync server and checks the mark against what
 * the next round sends.
 */
interface MethodMarks {
  changes?: true
}

/** Marks a method that changes what syncs (see MethodMarks). */
const CHANGES: MethodMarks = { changes: true }

/** Declares a method: its input schema now, its result type as a type argument. */
function method<Result>(marks: MethodMarks = {}) {
  return <Input extends z.ZodType>(input: Input) => ({ input, result: undefined as unknown as Result, ...marks })
}

/**
 * Declares a method of the command line only: it takes paths on this machine or reveals what the
 * page must earn (the reference solution's run), so the page's doors (IPC, HTTP) refuse it.
 */
function cliMethod<Result>(marks: MethodMarks = {}) {
  return <Input extends z.ZodType>(input: Input) => ({
    input,
    result: undefined as unknown as Result,
    cliOnly: true as const,
    ...marks
  })
}

const none = z.object({}).strict()

/** An absolute path on this machine (the CLI resolves relative ones against its working folder). */
const hostPath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)[^\0]*$/, 'must be an absolute path')

/** Bounded text: no field in the API accepts unbounded strings. */
export const text = (maxChars: number) => z.string().max(maxChars)

/** Ids are plain names, never paths (see plain-name.ts). */
const id = z.string().regex(PLAIN_NAME, 'must be a plain name (lowercase letters, digits, -)')
const cardId = z.string().regex(ENTITY_ID, 'must be a card id')
/** A chosen set of cards to study now (see StudySet): a quiz has at most a few hundred items. */
const studySet = z.object({ cardIds: z.array(cardId).max(1000), since: z.number().int().min(0) }).strict()
const tag = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[^\s]+$/, 'a tag has no spaces')

const steps = z.array(z.string().regex(/^\d+(\.\d+)?[mhd]$/, 'a step is a number and m, h or d')).max(10)
const settingsPatch = z
  .object({
    desiredRetention: z.number().min(0.7).max(0.97).nullable(),
    maximumIntervalDays: z.number().int().min(1).max(36500).nullable(),
    learningSteps: steps.nullable(),
    relearningSteps: steps.nullable(),
    newPerDay: z.number().int().min(0).max(9999).nullable(),
    reviewsPerDay: z.number().int().min(0).max(99999).nullable(),
    buryNew: z.boolean().nullable(),
    buryReview: z.boolean().nullable(),
    buryLearning: z.boolean().nullable(),
    leechThreshold: z.number().int().min(1).max(99).nullable(),
    leechAction: z.enum(['suspend', 'tag']).nullable(),
    dayStartHour: z.number().int().min(0).max(23).nullable(),
    weights: z.array(z.number().finite()).min(17).max(21).nullable()
  })
  .partial()
  .strict()

/** A file's own name, never a path. */
const fileName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\\0]+$/, 'a file name, not a path')
  .refine((name) => name !== '.' && name !== '..', 'a file name, not a path')
/** A CSV/TSV file's column mapping (the preview's mapping step, the CLI's `--columns`). */
const tableChoices = {
  columns: z
    .array(z.enum(['front', 'back', 'tags', 'deck', 'ignore']))
    .min(1)
    .max(200)
    .optional(),
  header: z.boolean().optional()
}
const importPathInput = z.object({ path: hostPath, deck: text(200).optional(), ...tableChoices }).strict()
const importInput = z
  .object({ fileName, dataBase64: z.string().max(70_000_000), deck: text(200).optional(), ...tableChoices })
  .strict()

const quizAnswer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choice'), selected: z.array(z.number().int().min(0).max(50)).max(50) }),
  z.object({ type: z.literal('truefalse'), value: z.boolean() }),
  z.object({ type: z.literal('typein'), text: text(2000) }),
  z.object({ type: z.literal('cloze'), texts: z.array(text(2000)).max(50) }),
  z.object({ type: z.literal('order'), order: z.array(z.number().int().min(0).max(100)).max(100) }),
  z.object({ type: z.literal('match'), pairs: z.array(z.number().int().min(0).max(100)).max(100) })
])

export const contract = {
  appInfo: method<AppInfo>()(none),
  listDecks: method<DeckSummary[]>()(none),
  search: method<SearchResult[]>()(
    z.object({ query: text(500), limit: z.number().int().min(1).max(500).optional() }).strict()
  ),
  syncContent: method<SyncReport>()(none),

  // Settings: global, or one deck's overrides (null clears an override).
  getSettings: method<SettingsView>()(z.object({ deckId: id.optional() }).strict()),
  updateSettings: method<SettingsView>(CHANGES)(z.object({ deckId: id.optional(), settings: settingsPatch }).strict()),

  // Planning to an interview date (see study/interview.ts).
  getInterviewPlan: method<InterviewView>()(none),
  setInterviewPlan: method<InterviewView>()(
    z
      .object({
        plan: z
          .object({
            date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD'),
            deckIds: z.array(id).max(200),
            target: z.number().min(0.7).max(0.99)
          })
          .strict()
          .nullable()
      })
      .strict()
  ),

  // Review.
  /** `first`: show this card first if it is in the deck and can be studied now (after an undo). */
  getQueue: method<QueueState>()(
    z.object({ deckId: id.optional(), first: cardId.optional(), set: studySet.optional() }).strict()
  ),
  answerCard: method<AnswerResult>(CHANGES)(
    z
      .object({
        cardId: cardId,
        rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
        durationMs: z.number().int().min(0).max(86_400_000),
        deckId: id.optional(),
        set: studySet.optional()
      })
      .strict()
  ),
  buryCard: method<QueueState>(CHANGES)(
    z.object({ cardId: cardId, deckId: id.optional(), set: studySet.optional() }).strict()
  ),
  suspendCard: method<QueueState>(CHANGES)(
    z.object({ cardId: cardId, deckId: id.optional(), set: studySet.optional() }).strict()
  ),
  /** Sets a drill card aside for an hour (it stays due); a drill card is never self-graded. */
  skipDrillCard: method<QueueState>(CHANGES)(z.object({ cardId: cardId, deckId: id.optional() }).strict()),
  /** Flags 1-7 as in Anki (red, orange, green, blue, pink, turquoise, purple); 0 clears. */
  flagCards: method<{ changed: number }>(CHANGES)(
    z.object({ cardIds: z.array(cardId).min(1).max(100_000), flag: z.number().int().min(0).max(7) }).strict()
  ),

  // Undo and redo: every study action, Browse's bulk actions and imports (see study/undo.ts).
  undo: method<UndoResult>(CHANGES)(none),
  redo: method<UndoResult>(CHANGES)(none),
  undoStatus: method<UndoStatus>()(none),
  /** Every review of a card with the FSRS state after it, and its forgetting curve. */
  cardInfo: method<CardInfo>()(z.object({ id: cardId }).strict()),

  // Quiz.
  startQuiz: method<QuizSession>()(
    z
      .object({
        deckIds: z.array(id).max(200).default([]),
        tags: z.array(tag).max(50).default([]),
        count: z.number().int().min(1).max(200),
        timeLimitSec: z
          .number()
          .int()
          .min(10)
          .max(4 * 3600)
          .nullable()
          .default(null),
        /** Only these items (Retry missed); the decks and tags are then not used. */
        itemIds: z.array(id).max(200).optional()
      })
      .strict()
  ),
  answerQuizItem: method<QuizFeedback>(CHANGES)(
    z.object({ sessionId: z.number().int().positive(), itemId: id, answer: quizAnswer }).strict()
  ),
  finishQuiz: method<QuizSummary>()(z.object({ sessionId: z.number().int().positive() }).strict()),

  // Browse and edit.
  browseCards: method<{ total: number; rows: BrowseRow[] }>()(
    z
      .object({
        query: text(1000),
        sort: z
          .enum(['position', 'due', 'interval', 'lapses', 'created', 'difficulty', 'stability', 'retrievability'])
          .default('position'),
        descending: z.boolean().default(false),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0)
      })
      .strict()
  ),
  getCard: method<CardDetail>()(z.object({ id: cardId }).strict()),
  updateCard: method<CardDetail>(CHANGES)(
    z.object({ id: cardId, front: text(100_000), back: text(100_000), tags: z.array(tag).max(50) }).strict()
  ),
  adoptShipped: method<CardDetail>(CHANGES)(z.object({ id: cardId }).strict()),
  /** Long-form notes, in deck order; `query` words must all match (full text). */
  listNotes: method<NoteRow[]>()(
    z
      .object({
        deckId: id.optional(),
        query: text(500).default(''),
        limit: z.number().int().min(1).max(1000).default(500)
      })
      .strict()
  ),
  getNote: method<NoteDetail>()(z.object({ id }).strict()),
  updateNote: method<NoteDetail>(CHANGES)(
    z.object({ id, title: text(500).min(1), body: text(1_000_000), tags: z.array(tag).max(50) }).strict()
  ),
  bulkCards: method<{ changed: number }>(CHANGES)(
    z
      .object({
        cardIds: z.array(cardId).min(1).max(100_000),
        action: z.discriminatedUnion('action', [
          z.object({ action: z.literal('suspend') }),
          z.object({ action: z.literal('unsuspend') }),
          z.object({ action: z.literal('reset') }),
          z.object({ action: z.literal('addTag'), tag }),
          z.object({ action: z.literal('removeTag'), tag }),
          z.object({ action: z.literal('move'), deckId: id })
        ])
      })
      .strict()
  ),
  createDeck: method<{ id: string }>(CHANGES)(z.object({ title: text(200).min(1) }).strict()),
  createCard: method<CardDetail>(CHANGES)(
    z
      .object({
        deckId: id,
        kind: z.enum(['basic', 'cloze']),
        front: text(100_000).min(1),
        back: text(100_000),
        tags: z.array(tag).max(50).default([])
      })
      .strict()
  ),
  createNote: method<{ id: string }>(CHANGES)(
    z
      .object({ deckId: id, title: text(500).min(1), body: text(1_000_000), tags: z.array(tag).max(50).default([]) })
      .strict()
  ),
  /**
   * An image pasted into the card editor: stored content-addressed in the data folder; the
   * result is its same-origin URL (/media/<sha256>.<ext>) for the card's markdown.
   */
  storeImage: method<{ url: string; sizeBytes: number }>()(
    z
      .object({
        type: z.enum(Object.keys(PASTED_IMAGE_TYPES) as [PastedImageType, ...PastedImageType[]]),
        dataBase64: z.string().max(Math.ceil(MAX_PASTED_IMAGE_BYTES / 3) * 4 + 4)
      })
      .strict()
  ),
  /** A quiz item written in the content format's `::: quiz <id> <type>` block syntax. */
  createQuizItem: method<{ id: string }>(CHANGES)(z.object({ deckId: id, block: text(100_000) }).strict()),

  // Import: the file travels as base64 (at most 50 MB decoded); preview writes nothing.
  previewImport: method<ImportSummary & { items: ImportPreviewItem[] }>()(importInput),
  runImport: method<ImportSummary>(CHANGES)(importInput),

  // Code drills.
  listDrills: method<DrillSummary[]>()(none),
  /** The drill as it stands, recording nothing (the CLI's `drill run` reads the draft from it). */
  getDrill: method<DrillDetail>()(z.object({ id }).strict()),
  /** Opening the drill to work on it: starts an attempt, or continues the open one (see README, Drills). */
  openDrill: method<DrillDetail>(CHANGES)(z.object({ id }).strict()),
  /** Hint `n` (1-based) of the drill; the host records it in the attempt (a hint caps the grade at Good). */
  showHint: method<DrillAttemptView>(CHANGES)(z.object({ id, n: z.number().int().min(1).max(50) }).strict()),
  saveDraft: method<{ savedAt: number }>(CHANGES)(z.object({ id, code: text(500_000) }).strict()),
  /** Compile and type-check a draft without running it (the editor calls this as the learner types). */
  checkDrill: method<DrillCheckResult>()(z.object({ id, code: text(500_000) }).strict()),
  /** Run: the visible tests. Nothing is graded; the code is saved as the draft. */
  runDrill: method<DrillRunResult>(CHANGES)(z.object({ id, code: text(500_000) }).strict()),
  /**
   * Submit: visible and hidden tests; grades the drill from the host's record of the attempt (the
   * page sends only the code) and schedules its linked cards.
   */
  submitDrill: method<DrillSubmitOutcome>(CHANGES)(z.object({ id, code: text(500_000) }).strict()),
  /**
   * The drill's last Run or Submit since the app started, as pcapng with its TLS key log embedded
   * (a Decryption Secrets Block), so Wireshark opens its TLS 1.3 records decrypted.
   */
  exportDrillTrace: method<DrillTraceExport>()(z.object({ id }).strict()),
  /** The reference solution; refused until a Submit in this attempt ran the tests. Recorded. */
  getSolution: method<{ code: string }>(CHANGES)(z.object({ id }).strict()),

  // Stats.
  getStats: method<StatsReport>()(
    z
      .object({ days: z.union([z.literal(30), z.literal(90), z.literal(365)]).default(30), deckId: id.optional() })
      .strict()
  ),
  optimizerStatus: method<{ available: boolean; reviews: number; needed: number; reason: string | null }>()(none),
  /** Fits the FSRS weights to this collection's answers and saves them as the global weights. */
  optimizeParameters: method<{ weights: number[]; reviews: number }>(CHANGES)(none),

  // Backups (in <data folder>/backups/). Names are plain file names from listBackups, never paths.
  listBackups: method<BackupEntry[]>()(none),
  createBackup: method<BackupEntry>()(none),
  /** Keeps the current collection aside, then puts the backup in its place and reopens. */
  restoreBackup: method<RestoreResult>()(
    z.object({ name: z.string().max(80).regex(BACKUP_NAME, 'must be a backup name from listBackups') }).strict()
  ),

  // The command line only (see cliMethod): the page's doors answer these `forbidden`.
  /** Parses a content folder (the shipped library when `dir` is absent) and counts it; writes nothing. */
  checkContent: cliMethod<ContentCheckReport>()(z.object({ dir: hostPath.optional() }).strict()),
  /** What importing a file or folder would do; writes nothing. Progress goes to the door's progress sink. */
  previewImportFile: cliMethod<ImportSummary & { items: ImportPreviewItem[] }>()(importPathInput),
  importFile: cliMethod<ImportSummary>(CHANGES)(importPathInput),
  /** Writes every deck (or one) in the content format under `outDir/decks/`. */
  exportDecks: cliMethod<ExportResult>()(z.object({ outDir: hostPath, deckId: id.optional() }).strict()),
  /** A consistent copy now: to `file` (which must not exist), or a manual backup in <data folder>/backups/. */
  backupTo: cliMethod<{ file: string }>()(z.object({ file: hostPath.optional() }).strict()),
  /** Runs the reference solution against every test; records and grades nothing. */
  runDrillSolution: cliMethod<DrillRunResult>()(z.object({ id }).strict()),

  // Sync across devices (src/main/sync/README.md). The token is write-only: status never returns it.
  syncStatus: method<SyncStatus>()(none),
  configureSync: method<SyncStatus>()(
    z
      .object({
        server: text(500).regex(/^https?:\/\/[^\s/?#]+\/?$/, 'the sync server address is http://host:port'),
        token: text(500).min(16, 'a sync token has at least 16 characters')
      })
      .strict()
  ),
  /** Turns automatic sync on or off on this device (the choice is not synced). */
  setAutoSync: method<SyncStatus>()(z.object({ on: z.boolean() }).strict()),
  /** Runs one round now and resolves when it ends; a failed round is reported in `lastError`. */
  syncNow: method<SyncStatus>()(none),
  /** Deletes one of your own decks (retired: its cards and answers stay); syncs as a deletion. */
  deleteDeck: method<{ id: string }>(CHANGES)(z.object({ deckId: id }).strict())
}

export type Contract = typeof contract
export type MethodName = keyof Contract
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>
export type ResultOf<M extends MethodName> = Contract[M]['result']

/** Methods only the command line may call (declared with cliMethod). */
export type CliOnlyMethodName = { [M in MethodName]: Contract[M] extends { cliOnly: true } ? M : never }[MethodName]
/** Methods the page may call, through IPC or HTTP. */
export type PageMethodName = Exclude<MethodName, CliOnlyMethodName>

/** What the renderer sees as `api`, whichever door it is behind. */
export type Api = { [M in PageMethodName]: (input: InputOf<M>) => Promise<ResultOf<M>> }

/** What the services implement: parsed input in, result (or a promise of it) out. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInputOf<M>) => ResultOf<M> | Promise<ResultOf<M>>
}

export const methodNames = Object.keys(contract) as MethodName[]

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name)
}

export function isCliOnly(name: MethodName): name is CliOnlyMethodName {
  return 'cliOnly' in contract[name]
}

/** Whether a method changes what syncs (declared with CHANGES): automatic sync starts a round after it. */
export function isChanging(name: MethodName): boolean {
  return (contract[name] as MethodMarks).changes === true
}

/** The methods after which this device has something new to sync. */
export const changingMethodNames: readonly MethodName[] = methodNames.filter(isChanging)

/** The methods a page door (Electron IPC, the preload bridge) registers. */
export const pageMethodNames = methodNames.filter((m): m is PageMethodName => !isCliOnly(m))

/** What the preload exposes as `window.api`: the same methods, answering envelopes. */
export type Bridge = { [M in PageMethodName]: (input: InputOf<M>) => Promise<import('./errors').Envelope<ResultOf<M>>> }
