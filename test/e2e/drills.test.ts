import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, type OpenedApp } from './harness'

const ROOT = join(import.meta.dirname, '..', '..')
const DRILL = 'tcp-length-prefix-echo'
const SOLUTION = readFileSync(join(ROOT, 'content', 'drills', DRILL, 'solution.ts'), 'utf8')

describe('a drill in the browser: edit, run, read the results and the trace', () => {
  let app: OpenedApp
  let page: Page
  const cspErrors: string[] = []

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspErrors.push(message.text())
    })
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  const editor = () => page.getByRole('textbox', { name: 'Solution code', exact: true })
  const tests = () => page.getByRole('list', { name: 'Tests' })
  const solutionRefusal = () => page.getByRole('region', { name: 'Solution' }).getByRole('alert')

  /** Replaces the editor's text the way a learner would: select all, then paste-like insert. */
  async function setCode(code: string): Promise<void> {
    await editor().click()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(code)
    await expect.poll(() => editor().innerText()).toContain(code.split('\n')[0]!.trim())
  }

  it('lists the drill under its deck, not tried yet, and opens it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Drills' }).click()
    await page.getByRole('heading', { name: 'Drills', level: 1 }).waitFor()
    // The intro drills come first, and the filters narrow the list (keyboard-operable selects).
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents()
    expect(headings[0]).toBe('Start here: intro drills')
    await page.getByRole('combobox', { name: 'Difficulty' }).selectOption('stretch')
    await page
      .getByRole('status')
      .filter({ hasText: /drills shown/ })
      .waitFor()
    expect(await page.getByRole('button', { name: /^TCP echo server: intro/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /: stretch, / }).count()).toBeGreaterThan(0)
    await page.getByRole('combobox', { name: 'Deck' }).selectOption({ label: 'Routing' })
    expect(await page.getByText('No drill matches these filters.').count()).toBe(1)
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByRole('button', { name: /^TCP echo server: intro, not tried/ }).waitFor()
    const open = page.getByRole('button', { name: /^Length-prefixed TCP echo: core, not tried/ })
    await open.click()
    await page.getByRole('heading', { name: 'Length-prefixed TCP echo', level: 1 }).waitFor()
    expect(await page.getByRole('region', { name: 'Task' }).innerText()).toContain('byte stream')
    await editor().waitFor()
    // Regression (issue 11): the solution opens only after a Submit has run the tests; the app refuses and the page says why.
    await page.getByRole('button', { name: 'Show solution' }).click()
    await expect.poll(() => solutionRefusal().textContent()).toMatch(/^Submit your code first/)
    expect(await page.getByRole('region', { name: 'Reference solution' }).count()).toBe(0)
  })

  it('reveals hints one at a time', async () => {
    await page.getByRole('button', { name: 'Show hint 1 of 3' }).click()
    await page.getByRole('region', { name: 'Hint 1' }).waitFor()
    await page.getByRole('button', { name: 'Show hint 2 of 3' }).waitFor()
    expect(await page.getByRole('region', { name: 'Hint 2' }).count()).toBe(0)
  })

  it('runs the starter: failing tests with their messages', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    await tests().waitFor({ timeout: 30_000 })
    const shown = await tests().innerText()
    expect(shown).toContain('failed')
    expect(shown).toContain('FrameDecoder returns every frame in one chunk')
    expect(shown).toContain('loop until the buffer holds no whole frame')
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^.*Run: failed/ })
        .count()
    ).toBeGreaterThan(0)
    // Regression (issue 11): a Run used to unlock the reference solution.
    await page.getByRole('button', { name: 'Show solution' }).click()
    await expect.poll(() => solutionRefusal().textContent()).toMatch(/^Submit your code first/)
    expect(await page.getByRole('region', { name: 'Reference solution' }).count()).toBe(0)
  })

  it('marks a type error and a refused import as you type, before any Run, and clears them once fixed', async () => {
    const status = page.getByRole('region', { name: 'Solution' }).getByRole('status')
    // The visible tests import all three names; a Run of code without them would be refused too.
    const rest =
      'export class FrameDecoder {\n  push(_chunk: Buffer): Buffer[] {\n    return []\n  }\n}\nexport function startEchoServer(): Promise<net.Server> {\n  return Promise.resolve(net.createServer())\n}\n'
    await setCode(
      `import net from 'node:net'\nexport function encodeFrame(p: Uint8Array): number {\n  return p\n}\n${rest}`
    )
    await expect
      .poll(() => status.textContent(), { timeout: 30_000 })
      .toMatch(/^1 problem: line 3: TS2322: Type 'Uint8Array.*' is not assignable to type 'number'/)
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0)
    await setCode(
      `import net from 'node:net'\nimport fs from 'node:fs'\nexport function encodeFrame(p: Uint8Array): number {\n  return fs ? p.length : 0\n}\n${rest}`
    )
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^1 problem: line 2: .*node:fs/)
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0)
    await setCode(
      `import net from 'node:net'\nexport function encodeFrame(p: Uint8Array): number {\n  return p.length\n}\n${rest}`
    )
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('No problems')
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBe(0)
  })

  it('shows a syntax error as a diagnostic in the editor', async () => {
    await setCode('export function encodeFrame(p: Uint8Array) {\n  return p +\n}\n')
    await page.keyboard.press('ControlOrMeta+Enter')
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 30_000 })
      .toContain('could not be compiled')
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0)
    expect(await page.locator('.cm-lint-marker-error').count()).toBeGreaterThan(0)
  })

  it('runs the reference solution: every test green, a trace with TCP arrows and a hex dump', async () => {
    await setCode(SOLUTION)
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 30_000 })
      .toContain('Run: passed')
    const items = tests().getByRole('listitem')
    const count = await items.count()
    expect(count).toBeGreaterThanOrEqual(5)
    for (let i = 0; i < count; i++) expect(await items.nth(i).innerText()).toMatch(/✓[\s\S]*passed/)

    const diagram = page.getByRole('group', { name: /^Trace sequence diagram: \d+ events? between (client|server)/ })
    await diagram.waitFor()
    const arrows = page.locator('svg g.event[data-layer="tcp"]')
    expect(await arrows.count()).toBeGreaterThan(0)
    expect(await page.locator('svg g.event[data-layer="tcp"] line.arrow').count()).toBeGreaterThan(0)

    // Keyboard: focus the first arrow, move to a data event and open it.
    await page.getByRole('checkbox', { name: /TCP/ }).waitFor()
    expect(await page.getByRole('checkbox', { name: /TCP/ }).isChecked()).toBe(true)
    await arrows.first().focus()
    const firstData = await page.evaluate(
      `Array.from(document.querySelectorAll('svg g.event')).findIndex((g) => (g.getAttribute('aria-label') || '').includes('tcp-data'))`
    )
    expect(firstData).toBeGreaterThanOrEqual(0)
    for (let i = 0; i < (firstData as number); i++) await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const details = page.getByRole('region', { name: 'Selected event' })
    await details.waitFor()
    const detailText = await details.innerText()
    expect(detailText).toContain('tcp-data')
    expect(detailText).toMatch(/0000 {2}00 00 00 /)

    // The text alternative lists the same events.
    await page.getByText(/^Trace as text/).click()
    expect(await page.locator('details.as-text li').count()).toBe(await page.locator('svg g.event').count())

    // Unticking TCP hides its arrows.
    await page.getByRole('checkbox', { name: /TCP/ }).uncheck()
    expect(await page.locator('svg g.event[data-layer="tcp"]').count()).toBe(0)
    await page.getByRole('checkbox', { name: /TCP/ }).check()
  })

  it('autosaves the draft', async () => {
    await editor().click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.insertText('\n// my note\n')
    await expect.poll(() => page.getByText(/^Saved/).count(), { timeout: 5_000 }).toBeGreaterThan(0)
    const saved = await page.evaluate(
      `fetch('/api/getDrill', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('retransmit.token') }, body: JSON.stringify({ id: '${DRILL}' }) }).then((r) => r.json())`
    )
    expect((saved as { value: { draft: string } }).value.draft).toContain('// my note')
  })

  it('resets to the starter only after confirming', async () => {
    await page.getByRole('button', { name: 'Reset to starter' }).click()
    await page.getByRole('button', { name: 'Cancel' }).click()
    expect(await editor().innerText()).toContain('// my note')
    await page.getByRole('button', { name: 'Reset to starter' }).click()
    await page.getByRole('button', { name: 'Replace' }).click()
    await expect.poll(() => editor().innerText()).toContain('TODO: this assumes every chunk is exactly one whole frame')
  })

  it('submits the starter: Again, with the linked cards; then Show solution opens, read-only', async () => {
    await page.getByRole('button', { name: 'Submit', exact: true }).click()
    const grade = page.getByRole('region', { name: 'Grade' })
    await grade.waitFor({ timeout: 30_000 })
    const graded = await grade.innerText()
    expect(graded).toContain('Graded Again')
    expect(graded).toContain('Linked cards scheduled (3)')
    for (const card of ['tuv-length-prefix', 'tuv-short-io', 'tuv-half-close']) expect(graded).toContain(card)

    await page.getByRole('button', { name: 'Show solution' }).click()
    const reference = page.getByRole('textbox', { name: 'Reference solution code' })
    await reference.waitFor()
    expect(await reference.getAttribute('contenteditable')).toBe('false')
    expect(await reference.innerText()).toContain('class FrameDecoder')
    expect(await solutionRefusal().count()).toBe(0)
  })

  it('submits the solution after seeing it: graded Hard, not Easy (regression: a pasted solution was Easy)', async () => {
    await setCode(SOLUTION)
    await page.getByRole('button', { name: 'Submit', exact: true }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 30_000 })
      .toContain('Submit: passed')
    const graded = await page.getByRole('region', { name: 'Grade' }).innerText()
    expect(graded).toContain('Graded Hard — the solution was shown within the last 24 hours')
    await page.getByRole('button', { name: '← All drills' }).first().click()
    await page.getByRole('button', { name: /^Length-prefixed TCP echo: core, passed/ }).waitFor()
    expect(cspErrors).toEqual([])
  })
})
