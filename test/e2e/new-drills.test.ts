// The new drills in browser mode: listed under their decks, opened, the reference solution
// Submitted through the page, every test green, and the trace carrying the tests' notes (the decoded
// frames and header lists; each server's answer on the walk down the tree; the UDP datagrams' text;
// the ClientHello's SNI on both legs of the router).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { countDeclaredTests } from '../../src/main/drills/declared-tests'
import type { TraceLayer } from '../../src/shared/drills'
import { openApp, type OpenedApp } from './harness'

const ROOT = join(import.meta.dirname, '..', '..')
const drillFile = (id: string, file: string) => readFileSync(join(ROOT, 'content', 'drills', id, file), 'utf8')
const solutionOf = (id: string) => drillFile(id, 'solution.ts')
/** A Submit runs the visible and the hidden tests: as many as the two files declare. */
const submitCount = (id: string) =>
  countDeclaredTests(drillFile(id, 'visible.test.ts')) + countDeclaredTests(drillFile(id, 'hidden.test.ts'))
/** A layer each drill's trace must draw arrows in. */
const LAYER: Record<string, TraceLayer> = {
  'http2-hpack': 'http',
  'dns-recursive': 'dns',
  'udp-byte-stream': 'udp',
  'sni-router': 'tcp'
}

describe('the new drills in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  const editor = () => page.getByRole('textbox', { name: 'Solution code', exact: true })

  it.each([
    [
      'HTTP semantics, caching and CDNs',
      'HTTP/2 frame reader and HPACK decoder',
      'http2-hpack',
      /your reader: HEADERS stream 9 END_STREAM: .*x-request-id: a1b2c3d4e5/
    ],
    [
      'DNS in depth',
      'Recursive DNS resolver',
      'dns-recursive',
      /root server 127\.0\.0\.10 asked www\.shop\.test A: referral to test\./
    ],
    ['TCP vs UDP', 'A reliable byte stream over UDP', 'udp-byte-stream', /client: O 7 opens session 7[\s\S]*"A 7 6"/],
    ['L4 vs L7 load balancing', 'SNI router (TLS passthrough)', 'sni-router', /ClientHello SNI=api\.example\.test/]
  ])('%s: %s opens, its reference passes Submit, and the trace shows the notes', async (deck, title, id, noteText) => {
    const testCount = submitCount(id)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Drills' }).click()
    await page.getByRole('heading', { name: 'Drills', level: 1 }).waitFor()
    await page.getByRole('combobox', { name: 'Deck' }).selectOption({ label: deck })
    await page
      .getByRole('button', { name: new RegExp(`^${title.replace(/[/()]/g, '\\$&')}: stretch, not tried`) })
      .click()
    await page.getByRole('heading', { name: title, level: 1 }).waitFor()
    await editor().click()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(solutionOf(id))
    await page.getByRole('button', { name: 'Submit', exact: true }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 60_000 })
      .toMatch(/Submit: passed/)
    const items = page.getByRole('list', { name: 'Tests' }).getByRole('listitem')
    expect(await items.count()).toBe(testCount)
    for (let i = 0; i < testCount; i++) expect(await items.nth(i).innerText()).toMatch(/✓[\s\S]*passed/)
    await page.getByRole('combobox', { name: 'Test' }).selectOption({ value: 'all' })
    await page.getByText(/^Trace as text/).click()
    await expect
      .poll(async () => (await page.locator('details.as-text li').allInnerTexts()).join('\n'))
      .toMatch(noteText)
    // Node's HTTP/2 frames are HTTP arrows, the resolver's queries DNS arrows, the byte stream's
    // datagrams UDP arrows, the router's two legs TCP connections.
    expect(await page.locator(`svg g.event[data-layer="${LAYER[id]}"]`).count()).toBeGreaterThan(0)
  })
})
