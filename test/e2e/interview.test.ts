// The interview plan through the browser: set a date and a deck in Settings, read the forecast,
// see the plan on Home, clear it. Dates are the machine's own (serve runs on the real clock).
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type OpenedApp } from './harness'

const DAY_MS = 86_400_000

describe('interview plan in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
  })
  afterAll(() => app?.close())

  it('plans to a date for one deck, forecasts it, shows it on Home, and clears it', async () => {
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
    const panel = page.getByRole('region', { name: 'Interview plan' })
    await panel.waitFor()
    // The panel reads the stored plan first and fills the form from it: type only after that.
    await expect.poll(() => panel.getByRole('progressbar', { name: 'Planning' }).count()).toBe(0)
    // Twelve days ahead of today, written as a local date; today may be on either side of the
    // rollover hour, so the days left are eleven to thirteen.
    const when = new Date(Date.now() + 12 * DAY_MS)
    const date = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`
    await panel.getByLabel('Interview date').fill(date)
    await panel.getByLabel('Target recall on the day (%)').fill('92')
    await panel.getByRole('checkbox', { name: 'TCP vs UDP' }).check()
    await panel.getByRole('button', { name: 'Save plan' }).click()
    await expect.poll(() => panel.getByRole('status').innerText()).toMatch(/Plan saved/)

    const figures = panel.getByRole('definition')
    await expect.poll(() => figures.count()).toBe(5)
    const daysLeft = Number(await figures.nth(0).innerText())
    expect(daysLeft).toBeGreaterThanOrEqual(11)
    expect(daysLeft).toBeLessThanOrEqual(13)
    expect(await figures.nth(1).innerText()).toMatch(/\(TCP vs UDP\)$/)
    const predicted = Number(/(\d+) %/.exec(await figures.nth(2).innerText())![1])
    expect(predicted).toBeGreaterThanOrEqual(92)
    // One row a day, and every new card of the deck introduced before the last day.
    const rows = panel.getByRole('table').getByRole('row')
    expect(await rows.count()).toBe(daysLeft + 1)
    const newPerDay = await panel.getByRole('table').locator('tbody tr td:nth-child(2)').allInnerTexts()
    const cards = Number(/^(\d+)/.exec(await figures.nth(1).innerText())![1])
    expect(newPerDay.map(Number).reduce((a, b) => a + b, 0)).toBe(cards)
    expect(Number(newPerDay.at(-1))).toBe(0)

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click()
    await expect
      .poll(() => page.getByText(/^Interview in \d+ days/).innerText())
      .toMatch(new RegExp(`\\(${date}\\): predicted recall \\d+ %, target 92 %`))

    await page.getByRole('button', { name: 'Plan…' }).click()
    await page.getByRole('region', { name: 'Interview plan' }).getByRole('button', { name: 'Clear plan' }).click()
    await expect.poll(() => panel.getByRole('status').innerText()).toMatch(/Plan cleared/)
    expect(await panel.getByRole('table').count()).toBe(0)
  })

  it('refuses a date in the past with a clear message', async () => {
    const panel = page.getByRole('region', { name: 'Interview plan' })
    await panel.getByLabel('Interview date').fill('2020-01-01')
    await panel.getByRole('button', { name: 'Save plan' }).click()
    await expect.poll(() => panel.getByRole('alert').innerText()).toMatch(/not after today/)
  })
})
