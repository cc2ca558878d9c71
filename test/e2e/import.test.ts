import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, serve, type Served } from './harness'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import')

describe('import in the browser', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await serve()
    browser = await launchBrowser()
    page = await browser.newPage()
    await page.goto(served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('previews a markdown guide without writing, then imports it and studies it', async () => {
    const countDecks = async (): Promise<number> =>
      Number(
        await page.evaluate(
          `fetch('/api/listDecks', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ${served.token}' }, body: '{}' }).then((r) => r.json()).then((b) => b.value.length)`
        )
      )
    const decksBefore = await countDecks()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByLabel('File to import').setInputFiles(join(FIXTURES, 'interview-guide.md'))
    await page.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await preview.waitFor()
    const text = await preview.innerText()
    expect(text).toMatch(/guide into/)
    expect(text).toMatch(/Nothing has been written yet/)
    expect(text).toContain('(incomplete)')
    expect(await countDecks()).toBe(decksBefore) // the preview wrote nothing
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const done = page.getByRole('region', { name: 'Imported' })
    await done.waitFor()
    expect(await done.innerText()).toMatch(/\d+ created/)
    expect(await countDecks()).toBe(decksBefore + 1)
    await page.getByRole('button', { name: 'Study it now' }).click()
    await page.getByRole('button', { name: 'Show answer' }).waitFor()
  })

  it('refuses a file that is not an importable format, with a clear message', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByLabel('File to import').setInputFiles({
      name: 'random.apkg',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not a zip at all, just text pretending')
    })
    await page.getByRole('button', { name: 'Preview' }).click()
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/zip|Anki|format/i)
  })
})
