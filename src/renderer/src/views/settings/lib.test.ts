import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../../../main/study/settings'
import { toForm, toPatch } from './lib'

describe('settings form', () => {
  const view = { global: DEFAULT_SETTINGS, deck: { newPerDay: 5 }, effective: { ...DEFAULT_SETTINGS, newPerDay: 5 } }

  it('shows only a deck its own overrides, and clears empty fields', () => {
    const form = toForm(view, true)
    expect(form).toMatchObject({ newPerDay: 5, desiredRetention: null, learningSteps: '' })
    expect(toPatch(form, true)).toEqual({
      desiredRetention: null,
      newPerDay: 5,
      reviewsPerDay: null,
      maximumIntervalDays: null,
      learningSteps: null,
      relearningSteps: null,
      buryNew: null,
      buryReview: null,
      buryLearning: null,
      leechThreshold: null,
      leechAction: null
    })
  })

  it("turns a deck's sibling and leech choices into overrides, and empty back into the global value", () => {
    const form = toForm({ ...view, deck: { buryNew: false, leechAction: 'tag' } }, true)
    expect(form).toMatchObject({ buryNew: 'off', buryReview: '', leechAction: 'tag', leechThreshold: null })
    form.buryReview = 'on'
    form.leechThreshold = 6
    expect(toPatch(form, true)).toMatchObject({
      buryNew: false,
      buryReview: true,
      buryLearning: null,
      leechThreshold: 6,
      leechAction: 'tag'
    })
    const global = toForm(view, false)
    expect(global).toMatchObject({
      buryNew: 'on',
      buryReview: 'on',
      buryLearning: 'on',
      leechThreshold: 8,
      leechAction: 'suspend'
    })
  })

  it('round-trips global settings, splitting steps', () => {
    const form = toForm(view, false)
    form.learningSteps = '1m, 10m 1h'
    expect(toPatch(form, false)).toMatchObject({
      desiredRetention: 0.9,
      learningSteps: ['1m', '10m', '1h'],
      dayStartHour: 4
    })
  })
})
