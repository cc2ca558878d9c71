// Settings → Scheduling in the browser: each field shows the global value it would keep, and what
// the learner types is what the server stores (read back through the API, not the page).
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SettingsView } from '../../src/shared/study'
import { callApi } from './api'
import { openApp, type OpenedApp } from './harness'

describe('scheduling settings in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
  })
  afterAll(() => app?.close())

  it('shows every field with its global value and stores what is typed', async () => {
    const before = await callApi<SettingsView>(app.served, 'getSettings', {})
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Scheduling' })
    const field = (label: string) => panel.getByLabel(label, { exact: true })
    await field('New cards per day').waitFor()
    expect(await field('Desired retention (0.70–0.97)').getAttribute('placeholder')).toBe(
      String(before.global.desiredRetention)
    )
    expect(await field('Reviews per day').getAttribute('placeholder')).toBe(String(before.global.reviewsPerDay))
    expect(await field('Maximum interval (days)').getAttribute('max')).toBe('36500')
    expect(await field('Relearning steps').getAttribute('placeholder')).toBe(before.global.relearningSteps.join(' '))

    await field('New cards per day').fill('25')
    await field('Learning steps').fill('2m 15m')
    await panel.getByRole('button', { name: 'Save scheduling settings' }).click()
    await expect.poll(() => panel.getByRole('status').innerText()).toBe('Saved.')
    const after = await callApi<SettingsView>(app.served, 'getSettings', {})
    expect(after.global).toMatchObject({ newPerDay: 25, learningSteps: ['2m', '15m'] })
    expect(after.global.reviewsPerDay).toBe(before.global.reviewsPerDay)
    expect(await field('New cards per day').inputValue()).toBe('25')
  })
})
