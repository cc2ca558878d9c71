// Between the settings form (strings and empty fields) and the API's patch (numbers, lists,
// and null meaning "use the global value").
import type { SettingsView } from '../../../../shared/study'

export interface SettingsForm {
  desiredRetention: number | null
  newPerDay: number | null
  reviewsPerDay: number | null
  maximumIntervalDays: number | null
  learningSteps: string
  relearningSteps: string
  dayStartHour: number | null
  /** Sibling burying and leeches: '' is "use the global value" (deck scope only). */
  buryNew: Toggle
  buryReview: Toggle
  buryLearning: Toggle
  leechThreshold: number | null
  leechAction: '' | 'suspend' | 'tag'
}

export type Toggle = '' | 'on' | 'off'
const toggle = (value: boolean | undefined): Toggle => (value === undefined ? '' : value ? 'on' : 'off')
const fromToggle = (value: Toggle): boolean | null => (value === '' ? null : value === 'on')

export function toForm(view: SettingsView, deck: boolean): SettingsForm {
  const source = deck ? (view.deck ?? {}) : view.global
  return {
    desiredRetention: source.desiredRetention ?? null,
    newPerDay: source.newPerDay ?? null,
    reviewsPerDay: source.reviewsPerDay ?? null,
    maximumIntervalDays: source.maximumIntervalDays ?? null,
    learningSteps: source.learningSteps?.join(' ') ?? '',
    relearningSteps: source.relearningSteps?.join(' ') ?? '',
    dayStartHour: deck ? null : view.global.dayStartHour,
    buryNew: toggle(source.buryNew),
    buryReview: toggle(source.buryReview),
    buryLearning: toggle(source.buryLearning),
    leechThreshold: source.leechThreshold ?? null,
    leechAction: source.leechAction ?? ''
  }
}

const number = (value: number | null | undefined | string) =>
  value === null || value === undefined || value === '' ? null : Number(value)
const steps = (value: string) => (value.trim() ? value.trim().split(/[\s,]+/) : null)

export function toPatch(form: SettingsForm, deck: boolean) {
  return {
    desiredRetention: number(form.desiredRetention),
    newPerDay: number(form.newPerDay),
    reviewsPerDay: number(form.reviewsPerDay),
    maximumIntervalDays: number(form.maximumIntervalDays),
    learningSteps: steps(form.learningSteps),
    relearningSteps: steps(form.relearningSteps),
    buryNew: fromToggle(form.buryNew),
    buryReview: fromToggle(form.buryReview),
    buryLearning: fromToggle(form.buryLearning),
    leechThreshold: number(form.leechThreshold),
    leechAction: form.leechAction === '' ? null : form.leechAction,
    ...(deck ? {} : { dayStartHour: number(form.dayStartHour) })
  }
}
