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
}

export function toForm(view: SettingsView, deck: boolean): SettingsForm {
  const source = deck ? (view.deck ?? {}) : view.global
  return {
    desiredRetention: source.desiredRetention ?? null,
    newPerDay: source.newPerDay ?? null,
    reviewsPerDay: source.reviewsPerDay ?? null,
    maximumIntervalDays: source.maximumIntervalDays ?? null,
    learningSteps: source.learningSteps?.join(' ') ?? '',
    relearningSteps: source.relearningSteps?.join(' ') ?? '',
    dayStartHour: deck ? null : view.global.dayStartHour
  }
}

const number = (value: number | null | undefined | string) => (value === null || value === undefined || value === '' ? null : Number(value))
const steps = (value: string) => (value.trim() ? value.trim().split(/[\s,]+/) : null)

export function toPatch(form: SettingsForm, deck: boolean) {
  return {
    desiredRetention: number(form.desiredRetention),
    newPerDay: number(form.newPerDay),
    reviewsPerDay: number(form.reviewsPerDay),
    maximumIntervalDays: number(form.maximumIntervalDays),
    learningSteps: steps(form.learningSteps),
    relearningSteps: steps(form.relearningSteps),
    ...(deck ? {} : { dayStartHour: number(form.dayStartHour) })
  }
}
