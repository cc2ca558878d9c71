// Generated practice in the browser: a quiz of the congestion-control deck's generated items.
// Each prompt's numbers are read from the page's session, the answer is computed here (not by
// the app's code) and typed in; one is answered wrong on purpose. The verdict, the right answer
// and the worked solution must show.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../src/shared/errors'
import type { QuizSession } from '../../src/shared/study'
import { openApp, type OpenedApp } from './harness'

const num = (text: string) => Number(text.replaceAll(',', ''))
const rate = (value: string, unit: string) => Number(value) * (unit === 'Gbit' ? 1e9 : 1e6)

/** The answer to a generated prompt, computed from its numbers; null for a kind this test does not know. */
function solve(prompt: string): string | null {
  let m = /\*\*([\d.]+) (Mbit|Gbit)\/s\*\* with a round-trip time of \*\*(\d+) ms\*\*/.exec(prompt)
  if (m) return `${(rate(m[1]!, m[2]!) * Number(m[3])) / 1000 / 8} bytes`
  m = /window of \*\*([\d,]+) bytes\*\*.*RTT is \*\*(\d+) ms\*\*/s.exec(prompt)
  if (m) return `${(num(m[1]!) * 8) / (Number(m[2]) / 1000) / 1e6} Mbit/s`
  m = /\*\*([\d.]+) (Mbit|Gbit)\/s\*\* path with a \*\*(\d+) ms\*\* RTT/.exec(prompt)
  if (m) {
    const bdp = (rate(m[1]!, m[2]!) * Number(m[3])) / 1000 / 8
    let shift = 0
    while (65_535 * 2 ** shift < bdp) shift++
    return String(shift)
  }
  m = /initial window of \*\*(\d+) segments\*\*.*at least \*\*([\d,]+) segments\*\*/s.exec(prompt)
  if (m) {
    let rounds = 0
    for (let cwnd = Number(m[1]); cwnd < num(m[2]!); cwnd *= 2) rounds++
    return String(rounds)
  }
  m = /window is \*\*([\d,]+) segments\*\* when it detects a loss/.exec(prompt)
  if (m) return `${Math.cbrt((num(m[1]!) * 0.3) / 0.4).toFixed(3)} s`
  return null
}

describe('generated quiz items in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
  })
  afterAll(() => app?.close())

  it('answers generated items with computed numbers and shows the worked solution', async () => {
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    await page.keyboard.press('Alt+3')
    await page.getByRole('heading', { name: 'Quiz', level: 1 }).waitFor()
    await page.getByRole('checkbox', { name: 'TCP congestion control', exact: true }).check()
    await page.getByRole('textbox', { name: 'Tags' }).fill('practice')
    await page.getByRole('spinbutton', { name: 'Number of questions' }).fill('5')

    const started = page.waitForResponse((r) => r.url().endsWith('/api/startQuiz'))
    await page.getByRole('button', { name: 'Start quiz' }).click()
    const envelope = (await (await started).json()) as Envelope<QuizSession>
    if (!envelope.ok) throw new Error(envelope.message)
    const session = envelope.value
    expect(session.items).toHaveLength(5)
    expect(session.items.every((i) => i.type === 'typein' && i.id.startsWith('cc-gen-'))).toBe(true)

    const missId = session.items[0]!.id
    for (const [index, view] of session.items.entries()) {
      const form = page.getByRole('form', { name: `Question ${index + 1} of ${session.items.length}` })
      await form.waitFor()
      const solved = solve(view.prompt)
      expect(solved, view.prompt).not.toBeNull()
      const miss = view.id === missId
      await form.getByRole('textbox', { name: 'Your answer' }).fill(miss ? '-1' : solved!)
      await page.keyboard.press('Enter')

      const verdict = page.getByRole('status').getByText(/✓ Correct|✗ Not quite/)
      await verdict.waitFor()
      expect(await verdict.textContent(), `${view.id}: ${view.prompt} answered ${solved}`).toBe(
        miss ? '✗ Not quite' : '✓ Correct'
      )
      expect(await page.getByRole('status').getByText('Worked answer').count()).toBe(1)
      if (miss) expect(await page.getByRole('status').locator('.expected').textContent()).toMatch(/\d/)
      await form
        .getByRole('button', { name: index === session.items.length - 1 ? 'See results' : 'Next question' })
        .click()
    }
    await page.getByRole('heading', { name: 'Quiz results' }).waitFor()
    expect(await page.getByLabel('Score: 4 of 5').count()).toBe(1)
  })
})
