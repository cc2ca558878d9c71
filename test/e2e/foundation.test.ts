import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, type OpenedApp } from './harness'

describe('browser mode', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
  })
  afterAll(() => app?.close())

  it('prints exactly one line with the address and token', async () => {
    expect(app.served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/)
  })

  it('loads the app and lists the decks from content/', async () => {
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    const decks = page.getByRole('list', { name: 'Decks' })
    await expect.poll(() => decks.getByRole('heading', { level: 2 }).allTextContents()).toContain('TCP vs UDP')
    // The token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=')
  })

  it('has every navigation entry, each reachable by name', async () => {
    for (const name of ['Home', 'Review', 'Quiz', 'Drills', 'Browse', 'Stats', 'Settings']) {
      await expect
        .poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).count())
        .toBe(1)
    }
  })

  it('is usable by keyboard: Alt+5 to Browse, tab to the search, read results', async () => {
    await page.keyboard.press('Alt+5')
    await page.getByRole('heading', { name: 'Browse', level: 1 }).waitFor()
    const focusedId = () => page.evaluate('document.activeElement && document.activeElement.id')
    for (let i = 0; i < 6 && (await focusedId()) !== 'browse-search'; i++) await page.keyboard.press('Tab')
    expect(await focusedId()).toBe('browse-search')
    const rows = page.getByRole('table').getByRole('row')
    const count = async () => Number(/^(\d+) card/.exec(await page.getByRole('status').first().innerText())?.[1] ?? -1)
    await expect.poll(count).toBeGreaterThan(0)
    const all = await count()
    await page.keyboard.type('header')
    // The list updates shortly after typing stops: fewer cards, all of them about headers.
    await expect.poll(count).toBeLessThan(all)
    expect(await count()).toBeGreaterThan(0)
    expect(await rows.count()).toBeGreaterThan(1)
  })

  it('refuses an API call without the token', async () => {
    // Page scripts are strings: the test program is compiled without the DOM library.
    const status = await page.evaluate(
      `fetch('/api/listDecks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`
    )
    expect(status).toBe(401)
  })

  it('never writes the token to its logs, even for refused and failing calls', async () => {
    const bad = await fetch(`${app.served.origin}/api/listDecks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.served.token}-wrong` },
      body: '{}'
    })
    expect(bad.status).toBe(401)
    const failing = await fetch(`${app.served.origin}/api/getCard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.served.token}` },
      body: '{"id":"no-such-card"}'
    })
    expect(failing.status).toBe(404)
    const { stdout, stderr } = app.served.logs()
    expect(stdout.trim().split('\n')).toHaveLength(1)
    expect(stderr).not.toContain(app.served.token)
  })

  it('serves the page under a CSP that blocks inline script', async () => {
    const ran = await page.evaluate(`(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__inlineRan = true'
      document.body.append(script)
      return window.__inlineRan === true
    })()`)
    expect(ran).toBe(false)
  })
})
