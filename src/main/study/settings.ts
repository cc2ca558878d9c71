// Scheduling settings: global values with per-deck overrides. A deck override covers the
// scheduling fields only; the rollover hour and FSRS weights are global.
import type { z } from 'zod'
import type { contract } from '../../shared/api'
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

export function createSettingsService({ db, store }: { db: Db; store: SettingsStore }) {
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
      const next = patched(deck(deckId), patch)
      if (Object.keys(next).length === 0) store.remove(deckKey(deckId))
      else store.put(deckKey(deckId), next)
    } else {
      store.put(GLOBAL_KEY, patched(store.get<Record<string, unknown>>(GLOBAL_KEY) ?? {}, patch))
    }
    return view(deckId)
  })

  return { effective, view, update, global }
}

export type SettingsService = ReturnType<typeof createSettingsService>
