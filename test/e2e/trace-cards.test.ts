// Cards made from a drill run's trace: pick an arrow, make a "what comes next" card into a deck,
// then study it in Review: the question shows the exchange with the arrow masked, the answer
// shows it revealed. Also: a bad trace block is refused by the add-card API with its line.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { callApi } from './api'
import { openApp, type OpenedApp } from './harness'

const ROOT = join(import.meta.dirname, '..', '..')
const SOLUTION = readFileSync(join(ROOT, 'content', 'drills', 'tcp-echo', 'solution.ts'), 'utf8')

describe('trace cards in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    await callApi(app.served, 'createDeck', { title: 'Trace practice' })
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  let chosenLabel = ''

  it('makes a "what comes next" card from an arrow of a run', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Drills' }).click()
    await page.getByRole('button', { name: /^TCP echo server: / }).click()
    await page.getByRole('heading', { name: 'TCP echo server', level: 1 }).waitFor()
    await page.getByRole('textbox', { name: 'Solution code', exact: true }).click()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(SOLUTION)
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 60_000 })
      .toContain('Run: passed')

    const arrow = page.locator('svg g.event:has(line.arrow)').nth(2)
    chosenLabel = (await arrow.locator('text.label').textContent())!.trim()
    await arrow.click()
    const maker = page.getByRole('form', { name: 'Make a card from this arrow' })
    await maker.getByRole('combobox', { name: 'Card asks' }).selectOption('next')
    await maker.getByRole('combobox', { name: 'Deck' }).selectOption({ label: 'Trace practice' })
    await maker.getByRole('button', { name: 'Make a card' }).click()
    await expect.poll(() => maker.getByRole('status').innerText()).toBe('Card added to Trace practice.')
  })

  it('studies it: the question masks the arrow, the answer reveals it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click()
    await page.getByRole('button', { name: 'Study Trace practice' }).click()
    await page.getByRole('button', { name: 'Show answer' }).waitFor()
    const question = page.getByRole('region', { name: 'Question' })
    expect(await question.innerText()).toContain('What comes next in this exchange?')
    const rows = question.locator('table.trace-card tbody tr')
    const count = await rows.count()
    expect(count).toBeGreaterThanOrEqual(2)
    expect(await rows.last().getAttribute('class')).toBe('tc-masked')
    expect(await rows.last().innerText()).toContain('? hidden message')
    expect(await question.locator('tr.tc-highlight').count()).toBe(0)

    await page.getByRole('button', { name: 'Show answer' }).click()
    const answer = page.getByRole('region', { name: 'Answer' })
    await answer.waitFor()
    const revealed = answer.locator('table.trace-card tr.tc-highlight')
    expect(await revealed.count()).toBe(1)
    expect(await revealed.locator('.tc-label').innerText()).toBe(chosenLabel)
    expect(await answer.locator('table.trace-card tbody tr').count()).toBe(count)
    // Graded like any card: FSRS schedules it (Good on a new card: the 10-minute learning step).
    // It is the deck's only card, so the learn-ahead window brings it straight back, unrevealed
    // (the old check, that Show answer was gone, passed only when it looked before the answer).
    await page.getByRole('button', { name: /^Good/ }).click()
    await expect.poll(() => page.locator('p.notice[role="status"]').innerText()).toBe('Answered Good.')
    await expect.poll(() => page.getByRole('button', { name: 'Show answer' }).count()).toBe(1)
    const decks = await callApi<{ id: string; title: string }[]>(app.served, 'listDecks', {})
    const deckId = decks.find((d) => d.title === 'Trace practice')!.id
    const learning = await callApi<{ rows: { front: string }[] }>(app.served, 'browseCards', {
      query: `deck:${deckId} is:learning`
    })
    expect(learning.rows).toHaveLength(1)
  })

  it('refuses a bad trace block through the add-card API, naming the line', async () => {
    const decks = await callApi<{ id: string; title: string }[]>(app.served, 'listDecks', {})
    const deckId = decks.find((d) => d.title === 'Trace practice')!.id
    await expect(
      callApi(app.served, 'createCard', {
        deckId,
        kind: 'basic',
        front:
          'Q?\n\n```trace\n{"mode": "next", "hide": 5,\n "events": [{"from": "a", "to": "b", "summary": "x"}, {"from": "b", "to": "a", "summary": "y"}]}\n```',
        back: 'A.',
        tags: []
      })
    ).rejects.toThrow(/front, line 4: trace block: `hide`: must be below 2/)
  })
})
