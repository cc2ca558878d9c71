// Issue 13 in the browser: an image pasted into the card editor is stored through the API and
// shown from the app's own /media route (the request seen, the image decoded), and a formula
// is typeset by KaTeX with its fonts from the app, under the app's CSP with no violation and
// no request leaving the origin.
import { createHash } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from './api'
import { openApp, type OpenedApp } from './harness'

/** A 2x1 PNG (real file: signature, IHDR, IDAT, IEND), so a decoded width can be checked. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGP4z8AAQv8BD/kD/YURmXYAAAAASUVORK5CYII=',
  'base64'
)

describe('pasting an image and showing math in the editor', () => {
  let app: OpenedApp
  let page: Page
  const problems: string[] = []
  const requests: string[] = []

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('request', (r) => requests.push(r.url()))
    const deck = await callApi<{ id: string }>(app.served, 'createDeck', { title: 'Media deck' })
    await callApi(app.served, 'createCard', {
      deckId: deck.id,
      kind: 'basic',
      front: 'What is the window, $W = \\frac{B}{RTT}$, for $5 and $10?',
      back: 'An answer.'
    })
    await page.goto(app.served.url)
  })

  afterAll(() => app?.close())

  it('typesets the formula with KaTeX and keeps the dollar amounts as text', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Browse' }).click()
    await page.getByRole('searchbox', { name: 'Search cards' }).fill('deck:media*')
    await page.getByRole('button', { name: /^What is the window/ }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await preview.locator('.katex').first().waitFor()
    expect(await preview.locator('.katex').count()).toBe(1)
    expect(await preview.locator('.katex annotation').textContent()).toBe('W = \\frac{B}{RTT}')
    expect(await preview.innerText()).toContain('for $5 and $10?')
    // KaTeX's own font, loaded from the app (a formula in the fallback font would mean no font).
    await expect
      .poll(() => page.evaluate(`document.fonts.check('16px KaTeX_Main') && document.fonts.status`))
      .toBe('loaded')
    expect(requests.some((url) => new URL(url).pathname.match(/\/assets\/KaTeX_[\w-]+\.woff2$/))).toBe(true)
  })

  it('stores a pasted image and shows it from /media', async () => {
    const back = page.getByLabel('Back')
    await back.click()
    await back.press('End')
    // A paste event carrying an image file, as the system clipboard delivers one.
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${PNG.toString('base64')}'), (c) => c.charCodeAt(0))
      const data = new DataTransfer()
      data.items.add(new File([bytes], 'clip.png', { type: 'image/png' }))
      document.getElementById('edit-back').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })()`)
    const url = `/media/${createHash('sha256').update(PNG).digest('hex')}.png`
    await expect.poll(() => back.inputValue()).toBe(`An answer.\n![pasted image](${url})`)
    const image = page.getByRole('region', { name: 'Preview' }).getByRole('img', { name: 'pasted image' })
    await image.waitFor()
    expect(await image.getAttribute('src')).toBe(url)
    await expect.poll(() => image.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(2)
    expect(requests).toContain(`${app.served.origin}${url}`)
    await back.press('Control+Enter')
    const { rows } = await callApi<{ rows: { id: string }[] }>(app.served, 'browseCards', { query: 'deck:media*' })
    await expect
      .poll(async () => (await callApi<{ back: string }>(app.served, 'getCard', { id: rows[0]!.id })).back)
      .toBe(`An answer.\n![pasted image](${url})`)
  })

  it('caused no CSP violation, and every request stayed on the app', () => {
    expect(problems).toEqual([])
    expect(requests.filter((url) => !url.startsWith(app.served.origin))).toEqual([])
  })
})
