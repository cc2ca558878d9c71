import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { occlusionPackage } from '../fixtures/import/occlusion-package'
import { openApp, type OpenedApp } from './harness'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

describe('import in the browser', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  /** From Home: Import…, a file made of `bytes`, Preview. */
  async function previewBytes(name: string, bytes: Uint8Array): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page
      .getByLabel('File to import')
      .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
    await page.getByRole('button', { name: 'Preview' }).click()
  }

  it('previews a markdown guide without writing, then imports it and studies it', async () => {
    const countDecks = async (): Promise<number> =>
      Number(
        await page.evaluate(
          `fetch('/api/listDecks', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ${app.served.token}' }, body: '{}' }).then((r) => r.json()).then((b) => b.value.length)`
        )
      )
    const decksBefore = await countDecks()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByLabel('File to import').setInputFiles(join(FIXTURES, 'interview-guide.md'))
    await page.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await preview.waitFor()
    const text = await preview.innerText()
    expect(text).toMatch(/guide \(numbered question headings\) into/)
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

  it('maps CSV columns in the preview, previews again, and imports with the mapping', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click()
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.getByLabel('File to import').setInputFiles(join(FIXTURES, 'other-columns.csv'))
    await page.getByLabel('Deck (optional; default from the file)').fill('Mapped columns')
    await page.getByRole('button', { name: 'Preview' }).click()
    const mapping = page.getByRole('group', { name: 'Columns' })
    await mapping.waitFor()
    // The first rows are shown under each column's role, as read.
    expect(await mapping.innerText()).toContain('What is a RST?')
    await page.evaluate(AXE)
    const violations = await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`
    )
    expect(violations).toEqual([])
    const topic = mapping.getByRole('combobox', { name: 'Column 1 (Topic) becomes' })
    expect(await topic.inputValue()).toBe('back')
    await topic.selectOption('tags')
    await mapping.getByRole('combobox', { name: 'Column 4 (Source) becomes' }).selectOption('ignore')
    const importButton = page.getByRole('button', { name: 'Import', exact: true })
    // What is imported must be what was previewed: the changed mapping needs a new preview first.
    expect(await importButton.isDisabled()).toBe(true)
    await mapping.getByRole('combobox', { name: 'Column 2 (Question) becomes' }).selectOption('back')
    await expect.poll(() => mapping.getByRole('alert').innerText()).toMatch(/front/)
    await mapping.getByRole('combobox', { name: 'Column 2 (Question) becomes' }).selectOption('front')
    await mapping.getByRole('button', { name: 'Update preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect.poll(() => preview.innerText()).toContain('column 4 ("Source") is ignored')
    // Each row of the preview names the source lines it comes from.
    const items = preview.getByRole('table', { name: /What the import will do/ })
    const firstRow = items.getByRole('row').filter({ hasText: 'What is a RST?' })
    expect(await firstRow.getByRole('cell').nth(2).innerText()).toBe('2')
    await importButton.click()
    await page.getByRole('region', { name: 'Imported' }).waitFor()
    const cards = await page.evaluate(
      `fetch('/api/search', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ${app.served.token}' }, body: JSON.stringify({ query: 'RST' }) }).then((r) => r.json()).then((b) => b.value)`
    )
    expect(JSON.stringify(cards)).toContain('mapped-columns')
  })

  it('shows an Anki image occlusion card as its picture under a mask, the mask changing on the answer', async () => {
    await previewBytes('diagrams.apkg', occlusionPackage('anki21b'))
    await page.getByRole('region', { name: 'Preview' }).waitFor()
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByRole('region', { name: 'Imported' }).waitFor()
    await page.getByRole('button', { name: 'Study it now' }).click()
    await page.getByRole('button', { name: 'Show answer' }).waitFor()
    // Both images are served from /media and decoded; the mask covers exactly the picture.
    const layers = async (region: string) => {
      const picture = page
        .getByRole('region', { name: region })
        .getByRole('img', { name: 'Image with regions covered' })
      await picture.waitFor()
      return picture.evaluate((div) =>
        [...div.querySelectorAll('img')].map((img) => {
          const box = img.getBoundingClientRect()
          return {
            src: img.getAttribute('src'),
            decoded: img.complete && img.naturalWidth > 0,
            box: [box.x, box.y, box.width, box.height]
          }
        })
      )
    }
    await expect.poll(async () => (await layers('Question')).every((layer) => layer.decoded)).toBe(true)
    const question = await layers('Question')
    expect(question).toHaveLength(2)
    expect(question[1]!.box).toEqual(question[0]!.box)
    expect(question[0]!.box[2]).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Show answer' }).click()
    await expect.poll(async () => (await layers('Answer')).every((layer) => layer.decoded)).toBe(true)
    const answer = await layers('Answer')
    expect(answer[0]!.src).toBe(question[0]!.src)
    expect(answer[1]!.src).not.toBe(question[1]!.src)
  })

  it('refuses a file that is not an importable format, with a clear message', async () => {
    await previewBytes('random.apkg', Buffer.from('not a zip at all, just text pretending'))
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/zip|Anki|format/i)
  })
})
