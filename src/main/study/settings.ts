// Scheduling settings: global values with per-deck overrides. A deck override covers the
// scheduling fields only; the rollover hour and FSRS weights are global.
import type { z } from 'zod'
import { contract } from '../../shared/api'
import { ValidationError } from '../../shared/errors'
import type { GlobalSettings, SchedulingSettings, SettingsView } from '../../shared/study'
import { writeTransaction, type Db } from '../store/db'
import type { SettingsStore } from '../store/settings'

export const DEFAULT_SETTINGS: GlobalSettings = {
  desiredRetention: 0.9,
  maximumIntervalDays: 36500,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  newPerDay: 20,
  reviewsPerDay: 200,
  buryNew: true,
  buryReview: true,
  buryLearning: true,
  leechThreshold: 8,
  leechAction: 'suspend',
  dayStartHour: 4,
  weights: null
}

const DECK_FIELDS: (keyof SchedulingSettings)[] = [
  'desiredRetention',
  'maximumIntervalDays',
  'learningSteps',
  'relearningSteps',
  'newPerDay',
  'reviewsPerDay',
  'buryNew',
  'buryReview',
  'buryLearning',
  'leechThreshold',
  'leechAction'
]

type Patch = z.output<(typeof contract)['updateSettings']['input']>['settings']

const GLOBAL_KEY = 'scheduling'
const deckKey = (deckId: string) => `deck:${deckId}`

/** `current` with `patch` applied: a null clears the field. */
function patched(current: Record<string, unknown>, patch: Patch): Record<string, unknown> {
  const next = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next
}

/**
 * What device sync needs of the settings (sync/settings-sync.ts): the fields changed here, and
 * writes of another device's values. `key` is 'scheduling' or 'deck:<id>'; a null value is a
 * field cleared (back to the default, or to the global value for a deck).
 */
export interface SyncedSettings {
  changes(): { key: string; field: string; at: number; value: unknown }[]
  clearSent(sent: readonly { key: string; field: string; at: number }[]): void
  unsent(key: string, field: string): number | null
  value(key: string, field: string): unknown
  /** Takes another device's value in: written, and not noted as a change made here. */
  set(key: string, field: string, value: unknown): void
  /** Whether `value` is a valid value of `field` under `key`. */
  valid(key: string, field: string, value: unknown): boolean
}

export function createSettingsService({
  db,
  store,
  clock = Date.now
}: {
  db: Db
  store: SettingsStore
  /** When a change is made (ms), for device sync's "latest change wins". */
  clock?: () => number
}) {
  const global = (): GlobalSettings => ({
    ...DEFAULT_SETTINGS,
    ...(store.get<Partial<GlobalSettings>>(GLOBAL_KEY) ?? {})
  })
  const deck = (deckId: string): Partial<SchedulingSettings> => ({
    ...(store.get<Partial<SchedulingSettings>>(deckKey(deckId)) ?? {})
  })

  function effective(deckId: string | null): GlobalSettings {
    return deckId ? { ...global(), ...deck(deckId) } : global()
  }

  function view(deckId: string | null): SettingsView {
    return { global: global(), deck: deckId ? deck(deckId) : null, effective: effective(deckId) }
  }

  /** Read, patch and write in one IMMEDIATE transaction: another connection's update is never lost. */
  const update = writeTransaction(db, (deckId: string | null, patch: Patch): SettingsView => {
    if (deckId) {
      const bad = Object.keys(patch).find((key) => !DECK_FIELDS.includes(key as keyof SchedulingSettings))
      if (bad) throw new ValidationError(`${bad} is a global setting; a deck cannot override it`)
      write(deckKey(deckId), patch)
    } else {
      write(GLOBAL_KEY, patch)
    }
    store.noteChanges(deckId ? deckKey(deckId) : GLOBAL_KEY, Object.keys(patch), clock())
    return view(deckId)
  })

  function write(key: string, patch: Patch): void {
    const next = patched(store.get<Record<string, unknown>>(key) ?? {}, patch)
    if (Object.keys(next).length === 0 && key !== GLOBAL_KEY) store.remove(key)
    else store.put(key, next)
  }

  const synced: SyncedSettings = {
    changes: () =>
      store.syncChanges().map((change) => ({
        ...change,
        value: store.get<Record<string, unknown>>(change.key)?.[change.field] ?? null
      })),
    clearSent: (sent) => store.clearSyncChanges(sent),
    unsent: (key, field) => store.unsyncedAt(key, field),
    value: (key, field) => store.get<Record<string, unknown>>(key)?.[field] ?? null,
    set(key, field, value) {
      write(key, { [field]: value } as Patch)
      store.dropSyncChange(key, field)
    },
    valid(key, field, value) {
      const deckId = key.startsWith('deck:') ? key.slice(5) : null
      if (deckId === null ? key !== GLOBAL_KEY : !DECK_FIELDS.includes(field as keyof SchedulingSettings)) return false
      const parsed = contract.updateSettings.input.safeParse({
        ...(deckId ? { deckId } : {}),
        settings: { [field]: value }
      })
      return parsed.success && field in parsed.data.settings
    }
  }

  return { effective, view, update, global, synced }
}

export type SettingsService = ReturnType<typeof createSettingsService>
