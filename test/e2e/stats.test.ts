// The Stats page in browser mode: a history made by answering cards through the HTTP API,
// then the page's charts (SVG images with their names, bars actually drawn) and the text
// summaries that carry the same numbers for screen readers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { callApi } from './api'
import { openApp, type OpenedApp } from './harness'

/** Six answers, five passing (Again is the only failing grade): 83% passed. */
const RATINGS = [3, 4, 1, 3, 2, 4] as const

describe('stats page', () => {
  let app: OpenedApp
  let page: Page
  const problems: string[] = []
  let quizTotal = 0

  const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app.served, method, input)

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    let queue = await call<{ card: { id: string } | null }>('getQueue', {})
    for (const rating of RATINGS) {
      if (!queue.card) throw new Error('the queue ran out of cards')
      queue = await call('answerCard', { cardId: queue.card.id, rating, durationMs: 4000 })
    }
    // One quiz, finished straight away: 0 right out of the items it drew.
    const decks = await call<{ id: string; title: string }[]>('listDecks', {})
    const tcp = decks.find((d) => d.title === 'TCP vs UDP')!
    const quiz = await call<{ id: number; items: unknown[] }>('startQuiz', { deckIds: [tcp.id], count: 3 })
    quizTotal = quiz.items.length
    await call('finishQuiz', { sessionId: quiz.id })
    // A CSP refusal (say, of an inline style) shows up as a console error. Failed loads are
    // caught by status below; the one the page cannot see is Chromium's own /favicon.ico probe.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
    })
    await page.goto(app.served.url)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Stats', exact: true }).click()
    await page.getByRole('heading', { name: 'Stats', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  /**
   * How many shapes matching `selector` inside the SVG image named `name` have a positive drawn
   * size. (Page scripts are strings: the test program has no DOM typings; a string handed to
   * locator.evaluate is not called as a function, so this goes through page.evaluate.)
   */
  async function drawn(name: string, selector: string): Promise<number> {
    await page.getByRole('img', { name, exact: true }).waitFor()
    const svg = `svg[role="img"][aria-label=${JSON.stringify(name)}]`
    return (await page.evaluate(`(() => {
      const svgs = document.querySelectorAll(${JSON.stringify(svg)})
      if (svgs.length !== 1) return -svgs.length
      return [...svgs[0].querySelectorAll(${JSON.stringify(selector)})]
        .filter((r) => Number(r.getAttribute('height')) > 0 && Number(r.getAttribute('width')) > 0).length
    })()`)) as number
  }

  it('draws reviews per day as stacked passed and failed bars, and says so in words', async () => {
    const chart = page.getByRole('img', { name: 'Reviews per day, 30 days: passed and failed', exact: true })
    await chart.waitFor()
    expect(await drawn('Reviews per day, 30 days: passed and failed', 'rect.segment.passed')).toBe(1)
    expect(await drawn('Reviews per day, 30 days: passed and failed', 'rect.segment.failed')).toBe(1)
    const summary = page.getByRole('region', { name: 'Reviews per day' }).locator('.summary')
    await expect
      .poll(() => summary.textContent())
      .toMatch(/^6 reviews in the last 30 days, 83% passed; busiest day \d{4}-\d{2}-\d{2} with 6\.$/)
    const tiles = page.getByRole('list', { name: 'Totals' })
    const text = (await tiles.textContent())!.replace(/\s+/g, ' ')
    expect(text).toContain('6 answers in 30 days')
    expect(text).toContain('83% passed (5)')
    expect(text).toContain('1 day streak')
  })

  it('has the same figures as a table behind a disclosure', async () => {
    const region = page.getByRole('region', { name: 'Reviews per day' })
    await region.getByText('Show as a table').click()
    const table = region.getByRole('table', { name: /Reviews per day, 30 days/ })
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    expect((await table.getByRole('row').nth(1).textContent())!.replace(/\s+/g, ' ').trim()).toMatch(
      /^\d{4}-\d{2}-\d{2} ?6 ?5 ?1$/
    )
  })

  it('draws the due forecast with the answered cards due soon', async () => {
    const name = 'Cards due per day, next 30 days'
    await page.getByRole('img', { name, exact: true }).waitFor()
    expect(await drawn(name, 'rect.segment.due')).toBeGreaterThan(0)
    const summary = await page.getByRole('region', { name: 'Due forecast' }).locator('.summary').textContent()
    expect(summary).toMatch(/^\d+ cards? due in the next 30 days; \d+ due today, overdue included/)
  })

  it('marks today on the study-day heatmap and counts it', async () => {
    const name = 'Study days, last 365 days'
    await page.getByRole('img', { name, exact: true }).waitFor()
    expect(await drawn(name, 'rect.cell')).toBe(365)
    expect(await drawn(name, 'rect.cell.l4')).toBe(1)
    expect(await page.getByRole('region', { name: 'Study days' }).locator('.summary').textContent()).toBe(
      'Studied on 1 of the last 365 days; current streak 1 day.'
    )
  })

  it('shows card states as a stacked bar with a summary that adds up', async () => {
    const name = 'Cards by state'
    expect(await drawn(name, 'rect.state')).toBeGreaterThanOrEqual(2) // new and learning at least
    const summary = (await page.getByRole('region', { name: 'Card states' }).locator('.summary').textContent())!
    const match =
      /^([\d,]+) cards: ([\d,]+) new, ([\d,]+) learning, ([\d,]+) review, ([\d,]+) relearning, ([\d,]+) suspended\.$/.exec(
        summary
      )
    expect(match).not.toBeNull()
    const [total, ...parts] = match!.slice(1).map((n) => Number(n.replace(/,/g, '')))
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
    expect(parts[1]! + parts[2]!).toBeGreaterThan(0) // the answered cards left the new state
  })

  it('lists every deck with mastery and retention', async () => {
    const table = page.getByRole('table', { name: /Mastery and retention per deck/ })
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(2)
    expect(await table.getByRole('rowheader', { name: 'TCP vs UDP' }).count()).toBe(1)
  })

  it('lists the quiz in the history table with its deck and score', async () => {
    const table = page.getByRole('table', { name: /newest first/ })
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    const row = (await table.getByRole('row').nth(1).textContent())!.replace(/\s+/g, ' ')
    expect(row).toContain('TCP vs UDP')
    expect(row).toContain(`0/${quizTotal} (0%)`)
  })

  it('switches the period by keyboard-reachable radio buttons', async () => {
    await page.getByRole('radio', { name: '1 year' }).check()
    const name = 'Reviews per day, 1 year: passed and failed'
    await page.getByRole('img', { name, exact: true }).waitFor()
    expect(await drawn(name, 'rect.segment')).toBe(2)
    await expect
      .poll(() => page.getByRole('region', { name: 'Reviews per day' }).locator('.summary').textContent())
      .toMatch(/^6 reviews in the last year, 83% passed/)
    expect(await page.getByRole('radio', { name: '1 year' }).isChecked()).toBe(true)
  })

  it('filters by deck from a labelled select', async () => {
    await page.getByRole('combobox', { name: 'Deck' }).selectOption({ label: 'TCP vs UDP' })
    const table = page.getByRole('table', { name: /Mastery and retention per deck/ })
    await expect.poll(() => table.getByRole('row').count()).toBe(2) // the header and one deck
    await page.getByRole('combobox', { name: 'Deck' }).selectOption({ label: 'All decks' })
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(2)
  })

  it('ran without errors, CSP refusals included', () => {
    expect(problems).toEqual([])
  })
})
