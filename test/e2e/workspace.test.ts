// The workspace as a whole (issue 15): every view in light and dark at two window sizes, with a
// screenshot of each saved under test-results/screenshots/ (gitignored) to look at; the document
// itself never scrolls; no clipped text; axe-core finds no serious or critical violation.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { callApi } from './api'
import { openApp, type OpenedApp } from './harness'

const ROOT = join(import.meta.dirname, '..', '..')
const SHOTS = join(ROOT, 'test-results', 'screenshots')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const DRILL_SOLUTION = readFileSync(join(ROOT, 'content', 'drills', 'tcp-echo', 'solution.ts'), 'utf8')
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 }
] as const
const SCHEMES = ['light', 'dark'] as const

interface View {
  name: string
  open: (page: Page) => Promise<void>
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).first().waitFor()

const VIEWS: View[] = [
  {
    name: 'home',
    open: async (p) => (
      await nav(p, 'Home'),
      await heading(p, 'Home'),
      await p.getByRole('list', { name: 'Decks' }).waitFor()
    )
  },
  {
    name: 'review',
    open: async (p) => {
      await nav(p, 'Review')
      await p.getByRole('button', { name: 'Show answer' }).waitFor()
    }
  },
  {
    name: 'review-answer',
    open: async (p) => {
      await nav(p, 'Review')
      await p.getByRole('button', { name: 'Show answer' }).click()
      await p.getByRole('button', { name: /^Good/ }).waitFor()
    }
  },
  { name: 'quiz', open: async (p) => (await nav(p, 'Quiz'), await heading(p, 'Quiz')) },
  {
    name: 'drills',
    open: async (p) => (
      await nav(p, 'Drills'),
      await heading(p, 'Drills'),
      await p.getByRole('button', { name: /^TCP echo server:/ }).waitFor()
    )
  },
  {
    name: 'drill-page',
    open: async (p) => {
      await nav(p, 'Drills')
      await p.getByRole('button', { name: /^TCP echo server:/ }).click()
      await heading(p, 'TCP echo server')
      await p.getByRole('button', { name: 'Run', exact: true }).click()
      await p.getByRole('list', { name: 'Tests' }).waitFor({ timeout: 30_000 })
      await p.getByRole('group', { name: /^Trace sequence diagram/ }).waitFor()
    }
  },
  {
    name: 'drill-trace',
    open: async (p) => {
      await VIEWS.find((v) => v.name === 'drill-page')!.open(p)
      await p.getByRole('heading', { name: 'Trace', level: 3 }).scrollIntoViewIfNeeded()
    }
  },
  {
    name: 'browse',
    open: async (p) => (await nav(p, 'Browse'), await heading(p, 'Browse'), await p.getByRole('table').waitFor())
  },
  {
    name: 'browse-card',
    open: async (p) => {
      await nav(p, 'Browse')
      await p.getByRole('table').getByRole('row').nth(3).getByRole('button').first().click()
      await p
        .getByRole('region', { name: /edit|card/i })
        .first()
        .waitFor()
    }
  },
  {
    name: 'note-reader',
    open: async (p) => {
      await nav(p, 'Home')
      await p.getByRole('button', { name: 'Read the notes of TCP vs UDP' }).click()
      await p.getByRole('navigation', { name: 'Contents' }).waitFor()
    }
  },
  {
    name: 'shortcuts',
    open: async (p) => {
      await nav(p, 'Home')
      await heading(p, 'Home')
      await p.keyboard.press('?')
      await p.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
    }
  },
  {
    name: 'stats',
    open: async (p) => (await nav(p, 'Stats'), await heading(p, 'Stats'), await p.getByRole('table').first().waitFor())
  },
  { name: 'settings', open: async (p) => (await nav(p, 'Settings'), await heading(p, 'Settings')) },
  {
    name: 'import',
    open: async (p) => {
      await nav(p, 'Home')
      await p
        .getByRole('button', { name: /^Import/ })
        .first()
        .click()
      await heading(p, 'Import')
    }
  }
]

describe('every view, light and dark, two window sizes', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    app = await openApp({ pageOptions: { viewport: SIZES[0] } })
    page = app.page
    await page.goto(app.served.url)
    await heading(page, 'Home')
    // The TCP echo drill's draft is its reference solution, so each Run draws a full trace.
    await page.evaluate(
      `fetch('/api/saveDraft', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('retransmit.token') }, body: JSON.stringify({ id: 'tcp-echo', code: ${JSON.stringify(DRILL_SOLUTION)} }) }).then((r) => r.json())`
    )
  })
  afterAll(() => app?.close())

  /**
   * How far the document is taller or wider than the window, and how far the sidebar and the page's
   * pane reach below it: all 0 when only the panes scroll (nothing is cut off by the window either).
   */
  const documentOverflow = () =>
    page.evaluate(`({
      height: document.documentElement.scrollHeight - window.innerHeight,
      width: document.documentElement.scrollWidth - window.innerWidth,
      panesBelow: Math.max(0, ...Array.from(document.querySelectorAll('#app > .shell > nav, #app > .shell > main'), (e) => Math.ceil(e.getBoundingClientRect().bottom - window.innerHeight)))
    })`) as Promise<{ height: number; width: number; panesBelow: number }>

  /** A modal left open by the previous view would keep the navigation from being clicked. */
  async function closeDialogs(): Promise<void> {
    if (await page.getByRole('dialog').count()) await page.keyboard.press('Escape')
  }

  /**
   * Text cut off by its box: table cells and the trace's lane headings wider than they are shown,
   * and trace labels that run past the edge of the drawing.
   */
  const clippedText = () =>
    page.evaluate(`(() => {
      const cut = []
      for (const el of document.querySelectorAll('table th, table td, .trace .lane-head')) {
        if (el.scrollWidth > el.clientWidth + 1) cut.push(el.textContent.trim().slice(0, 60))
      }
      for (const svg of document.querySelectorAll('.trace svg')) {
        const box = svg.getBoundingClientRect()
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect()
          if (r.right > box.right + 0.5 || r.left < box.left - 0.5) cut.push(t.textContent.slice(0, 60))
        }
      }
      return cut
    })()`) as Promise<string[]>

  for (const scheme of SCHEMES) {
    for (const size of SIZES) {
      for (const view of VIEWS) {
        it(`${view.name}, ${scheme}, ${size.width}x${size.height}: fits the window`, async () => {
          await page.emulateMedia({ colorScheme: scheme })
          await page.setViewportSize(size)
          await closeDialogs()
          await view.open(page)
          await page.screenshot({ path: join(SHOTS, `${view.name}-${scheme}-${size.width}x${size.height}.png`) })
          expect(await documentOverflow()).toEqual({ height: 0, width: 0, panesBelow: 0 })
          expect(await clippedText()).toEqual([])
        })
      }
    }
    for (const view of VIEWS) {
      it(`${view.name}, ${scheme}: no serious or critical axe-core violation`, async () => {
        await page.emulateMedia({ colorScheme: scheme })
        await page.setViewportSize(SIZES[0])
        await closeDialogs()
        await view.open(page)
        if (!(await page.evaluate('typeof window.axe'))?.toString().startsWith('object')) await page.evaluate(AXE)
        const found = (await page.evaluate(
          `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`
        )) as unknown[]
        expect(found).toEqual([])
      })
    }
  }
})

describe('first contact and the drill page (issue 15)', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp({ pageOptions: { viewport: SIZES[0] } })
    page = app.page
  })
  afterAll(() => app?.close())

  it('explains how to open the app in a tab opened without the token', async () => {
    await page.goto(app.served.origin + '/')
    await page.getByRole('heading', { name: 'Open Retransmit from the address it printed', level: 1 }).waitFor()
    const text = await page.getByRole('main').innerText()
    expect(text).toContain('npm run serve')
    expect(text).toContain('#token=')
  })

  it('has a favicon the server serves as SVG', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(href).toMatch(/favicon\.svg$/)
    const response = await fetch(new URL(href!, app.served.origin + '/'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/svg+xml')
    expect(await response.text()).toMatch(/^<svg /)
  })

  it('opens a drill with the caret in the editor, submits with Ctrl+Shift+Enter and updates its header', async () => {
    // (Only the hash would change from the token page's address: load the app afresh.)
    await page.goto('about:blank')
    await page.goto(app.served.url)
    await heading(page, 'Home')
    await nav(page, 'Drills')
    await page.getByRole('button', { name: /^TCP echo server: intro, not tried/ }).click()
    await heading(page, 'TCP echo server')
    const editor = page.getByRole('textbox', { name: 'Solution code', exact: true })
    await expect.poll(() => editor.evaluate((e) => e.matches(':focus'))).toBe(true)
    const header = page.locator('header.top')
    expect(await header.innerText()).toContain('not scheduled')
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.insertText(DRILL_SOLUTION)
    await page.keyboard.press('ControlOrMeta+Shift+Enter')
    await page.getByRole('region', { name: 'Grade' }).waitFor({ timeout: 30_000 })
    expect(await page.getByRole('region', { name: 'Results' }).innerText()).toContain('Submit: passed')
    // Without reopening the drill, the header says what the host now has.
    await expect.poll(() => header.innerText()).toContain('last submit: passed')
    expect(await header.innerText()).not.toContain('not scheduled')
  })

  it("shows one test's traffic at a time, on lanes named client and server", async () => {
    const picker = page.getByRole('combobox', { name: 'Test' })
    const options = await picker.locator('option').allInnerTexts()
    expect(options.at(-1)).toMatch(/^All tests \(\d+ events\)$/)
    expect(options.length).toBeGreaterThan(2)
    const heads = () => page.locator('.trace .lane-head').allInnerTexts()
    expect((await heads()).map((h) => h.split('\n')[0])).toEqual(['client', 'server'])
    const oneTest = await page.locator('svg g.event').count()
    await picker.selectOption('all')
    await expect.poll(() => page.locator('svg g.event').count()).toBeGreaterThan(oneTest)
    // Every test's connections at once: several clients, numbered.
    expect((await heads()).map((h) => h.split('\n')[0])).toContain('client 2')
  })
})

describe('reading notes, the keys overlay and long answers (issue 15)', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp({ pageOptions: { viewport: SIZES[0] } })
    page = app.page
    const deck = await callApi<{ id: string }>(app.served, 'createDeck', { title: 'Long answers' })
    const back = [
      'The window after a loss: b + r*T = 10 + 5*2.',
      ...Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of a long answer.`)
    ].join('\n\n')
    await callApi(app.served, 'createCard', {
      deckId: deck.id,
      kind: 'basic',
      front: 'What is the window (r*T)?',
      back,
      tags: []
    })
    await page.goto(app.served.url)
    await heading(page, 'Home')
  })
  afterAll(() => app?.close())

  it("opens a one-note deck's note from Home in the reader: title once, contents, its cards", async () => {
    await page.getByRole('button', { name: 'Read the notes of TCP vs UDP' }).click()
    await heading(page, 'TCP vs UDP')
    // The caret lands on the title; the body does not repeat it.
    await expect.poll(() => page.evaluate('document.activeElement.tagName')).toBe('H1')
    const article = page.getByRole('article')
    expect(await article.getByRole('heading', { name: 'TCP vs UDP', exact: true }).count()).toBe(0)
    const contents = page.getByRole('navigation', { name: 'Contents' }).getByRole('button')
    expect(await contents.count()).toBeGreaterThan(2)
    const cards = page.getByRole('region', { name: /^Cards from this note \((\d+)\)$/ }).getByRole('button')
    expect(await cards.count()).toBeGreaterThan(5)
    // A contents entry scrolls the note's pane (not the page) until its section's heading is in view.
    const last = contents.last()
    const name = await last.innerText()
    const target = article.getByRole('heading', { name, exact: true })
    const inView = () =>
      target.evaluate((h) => {
        const pane = h.parentElement!.closest('article')!.getBoundingClientRect()
        const box = h.getBoundingClientRect()
        return box.top >= pane.top && box.bottom <= pane.bottom
      })
    expect(await inView()).toBe(false)
    await last.click()
    await expect.poll(inView).toBe(true)
    expect(await article.evaluate((a) => a.scrollTop)).toBeGreaterThan(0)
  })

  it("reaches the reader from Browse's notes and goes back to them", async () => {
    await nav(page, 'Browse')
    await page.getByRole('radio', { name: 'Notes' }).check()
    const first = page.getByRole('table').getByRole('button').first()
    const title = await first.innerText()
    await first.click()
    await heading(page, title)
    await page.getByRole('button', { name: '← Notes' }).click()
    await heading(page, 'Browse')
  })

  it('opens a card from the reader in Browse: highlighted, scrolled into view, deck titles, a divider that moves', async () => {
    await nav(page, 'Home')
    await page.getByRole('button', { name: 'Read the notes of TCP vs UDP' }).click()
    const cards = page.getByRole('region', { name: /^Cards from this note/ }).getByRole('button')
    await cards.last().waitFor()
    const front = await cards.last().innerText()
    await cards.last().click()
    await heading(page, 'Browse')
    const current = page.locator('tr[aria-current="true"]')
    await current.waitFor()
    expect(await current.innerText()).toContain(front.slice(0, 30))
    // The row is inside the list's visible pane, which had to scroll to show it.
    const placed = () =>
      current.evaluate((row) => {
        const pane = row.closest('.list')!
        const box = pane.getBoundingClientRect()
        const r = row.getBoundingClientRect()
        return { inView: r.top >= box.top - 1 && r.bottom <= box.bottom + 1, scrolled: pane.scrollTop > 0 }
      })
    await expect.poll(placed).toEqual({ inView: true, scrolled: true })
    expect(await current.locator('td').nth(2).innerText()).toBe('TCP vs UDP')
    const divider = page.getByRole('separator', { name: 'Resize the card list and the editor' })
    const before = Number(await divider.getAttribute('aria-valuenow'))
    await divider.focus()
    await page.keyboard.press('End')
    await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBeGreaterThan(before)
    await page.keyboard.press('Home')
    await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBeLessThan(before)
  })

  it('lists every key on ?, keeps keys inside, and gives focus back on Esc', async () => {
    await nav(page, 'Review')
    const reveal = page.getByRole('button', { name: 'Show answer' })
    await reveal.waitFor()
    await reveal.focus()
    await page.keyboard.press('?')
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Close')
    const text = await dialog.innerText()
    for (const words of ['Alt+1…7', 'Ctrl+Shift+Enter', 'Ctrl+Enter', 'bury until tomorrow', 'move the divider'])
      expect(text).toContain(words)
    // Space here must not reveal the card behind the dialog.
    await page.keyboard.press('4')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    await expect.poll(() => reveal.evaluate((b) => b.matches(':focus'))).toBe(true)
    await heading(page, /^Review/)
  })

  it("keeps a long answer's question in view when the grade button takes focus, and a product is not emphasis", async () => {
    await nav(page, 'Home')
    await page.getByRole('button', { name: 'Study Long answers' }).click()
    await page.getByRole('button', { name: 'Show answer' }).waitFor()
    await page.keyboard.press('Space')
    const good = page.getByRole('button', { name: /^Good/ })
    await expect.poll(() => good.evaluate((b) => b.matches(':focus'))).toBe(true)
    expect(await page.locator('#app main').evaluate((m) => m.scrollTop)).toBe(0)
    const answer = page.getByRole('region', { name: 'Answer' })
    expect(await answer.innerText()).toContain('b + r*T = 10 + 5*2')
    expect(await answer.locator('em').count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Question' }).innerText()).toContain('(r*T)')
  })
})
