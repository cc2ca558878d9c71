// The renderer's script is split by page: Home's start loads at most 300 KB of script (what
// the built index.html loads up front, and what Chromium actually fetched for Home), and the
// code editor, the drill page's trace and the charts arrive only with their pages. Under the
// app's Content-Security-Policy (script-src 'self'): any violation fails the test.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type OpenedApp } from './harness'

const OUT = join(import.meta.dirname, '..', '..', 'out', 'renderer')
const HOME_SCRIPT_LIMIT = 300 * 1024

/** The scripts index.html loads before anything runs: the entry and its module preloads. */
function initialScripts(html: string): string[] {
  const sources = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!)
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!)
  return [...sources, ...preloads]
}

/** The bytes of the scripts a page has fetched so far (decoded sizes, from Resource Timing). */
function scriptsLoaded(page: Page): Promise<{ name: string; bytes: number }[]> {
  // (This file is type-checked without the DOM library: the entry's fields are declared here.)
  type ResourceEntry = { name: string; initiatorType: string; decodedBodySize: number }
  return page.evaluate(() =>
    (performance.getEntriesByType('resource') as unknown as ResourceEntry[])
      .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => ({ name: new URL(e.name).pathname, bytes: e.decodedBodySize }))
  )
}

describe('renderer bundle split', () => {
  let app: OpenedApp
  let page: Page
  const violations: string[] = []

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
    })
    page.on('pageerror', (error) => violations.push(error.message))
  })

  afterAll(() => app?.close())

  it('index.html loads at most 300 KB of script up front', () => {
    const html = readFileSync(join(OUT, 'index.html'), 'utf8')
    const scripts = initialScripts(html)
    expect(scripts.length).toBeGreaterThan(0)
    const bytes = scripts.reduce((sum, src) => sum + statSync(join(OUT, src.replace(/^\.?\//, ''))).size, 0)
    expect(bytes).toBeLessThanOrEqual(HOME_SCRIPT_LIMIT)
  })

  it('Home fetches at most 300 KB of script, and the editor and charts come with their pages', async () => {
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
    await page.locator('ul.decks li.deck').first().waitFor()
    const home = await scriptsLoaded(page)
    const homeBytes = home.reduce((sum, s) => sum + s.bytes, 0)
    expect(homeBytes).toBeGreaterThan(0)
    expect(homeBytes).toBeLessThanOrEqual(HOME_SCRIPT_LIMIT)
    const homeNames = new Set(home.map((s) => s.name))

    // The drill page: CodeMirror (its editor's DOM) arrives in a script Home did not load.
    await page.keyboard.press('Alt+4')
    await page.getByRole('heading', { name: 'Drills', level: 1 }).waitFor()
    await page.getByRole('button', { name: /^Length-prefixed TCP echo:/ }).click()
    await page.getByRole('textbox', { name: 'Solution code', exact: true }).waitFor()
    const drill = (await scriptsLoaded(page)).filter((s) => !homeNames.has(s.name))
    expect(drill.length).toBeGreaterThan(0)
    const drillSources = drill.map((s) => readFileSync(join(OUT, s.name), 'utf8')).join('\n')
    expect(drillSources).toContain('cm-editor')

    // Stats: its charts come in a script of their own too.
    const seen = new Set([...homeNames, ...drill.map((s) => s.name)])
    await page.keyboard.press('Alt+6')
    await page.getByRole('heading', { name: 'Stats', level: 1 }).waitFor()
    const stats = (await scriptsLoaded(page)).filter((s) => !seen.has(s.name))
    expect(stats.length).toBeGreaterThan(0)
    expect(violations).toEqual([])
  })
})
