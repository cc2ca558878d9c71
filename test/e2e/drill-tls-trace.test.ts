// The drill page's trace of a TLS 1.3 run: records shown decrypted (messages and fields) or as
// ciphertext by a toggle, and the trace downloaded as pcapng that tshark opens decrypted.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, type OpenedApp } from './harness'
import { tempDir } from '../helpers/temp'

const ROOT = join(import.meta.dirname, '..', '..')
const SOLUTION = readFileSync(join(ROOT, 'content', 'drills', 'tls-echo', 'solution.ts'), 'utf8')
const tshark = await new Promise<boolean>((resolve) =>
  execFile('sh', ['-c', 'command -v tshark'], (err) => resolve(!err))
)

describe('a TLS drill trace in the browser: decrypted, ciphertext, pcapng', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp({ pageOptions: { acceptDownloads: true } })
    page = app.page
    await page.goto(app.served.url)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
  })
  afterAll(() => app?.close())

  const labels = async () => (await page.locator('svg g.event text.label').allTextContents()).join('\n')

  it('runs the TLS echo solution and shows the encrypted handshake decrypted', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Drills' }).click()
    await page.getByRole('button', { name: /^TLS echo with a private CA: / }).click()
    await page.getByRole('heading', { name: 'TLS echo with a private CA', level: 1 }).waitFor()
    const editor = page.getByRole('textbox', { name: 'Solution code', exact: true })
    await editor.click()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(SOLUTION)
    await page.getByRole('button', { name: 'Run', exact: true }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Results' }).innerText(), { timeout: 60_000 })
      .toContain('Run: passed')
    const option = await page.locator('select option', { hasText: 'bytes come back unchanged' }).getAttribute('value')
    await page.getByRole('combobox', { name: 'Test', exact: true }).selectOption(option!)
    expect(await page.getByRole('radio', { name: 'Decrypted' }).isChecked()).toBe(true)
    await expect.poll(labels).toContain('decrypted EncryptedExtensions')
    const shown = await labels()
    for (const m of ['Certificate', 'CertificateVerify', 'Finished'])
      expect(shown).toMatch(new RegExp(`decrypted (.*, )?${m}\\b`))
    expect(shown).toContain('decrypted ApplicationData 14 bytes "hello over TLS"')

    // The selected record: which secret opened it and its fields.
    await page.locator('svg g.event', { hasText: 'decrypted Certificate' }).first().click()
    const details = page.getByRole('region', { name: 'Selected event' })
    const text = await details.innerText()
    expect(text).toContain('SERVER_HANDSHAKE_TRAFFIC_SECRET')
    expect(text).toMatch(/subject CN=localhost/)
  })

  it('shows the same records as ciphertext when toggled, with no plaintext', async () => {
    await page.getByRole('radio', { name: 'Ciphertext' }).check()
    await expect.poll(labels).not.toContain('decrypted EncryptedExtensions')
    const shown = await labels()
    expect(shown).toContain('ApplicationData (encrypted')
    expect(shown).not.toContain('hello over TLS')
    await page.getByRole('radio', { name: 'Decrypted' }).check()
    await expect.poll(labels).toContain('decrypted EncryptedExtensions')
  })

  it('downloads the trace as pcapng, which tshark decrypts with the key log inside', async () => {
    const waiting = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download trace (pcapng)' }).click()
    const download = await waiting
    expect(download.suggestedFilename()).toMatch(/^tls-echo-.*\.pcapng$/)
    const file = join(tempDir(), download.suggestedFilename())
    await download.saveAs(file)
    const bytes = readFileSync(file)
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a)
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Saved tls-echo-/ })
          .count()
      )
      .toBe(1)
    if (!tshark) return
    const types = await new Promise<string>((resolve, reject) =>
      execFile('tshark', ['-r', file, '-Y', 'tls.handshake', '-T', 'fields', '-e', 'tls.handshake.type'], (err, out) =>
        err ? reject(err) : resolve(out)
      )
    )
    expect(types.split(/[\n,]/)).toEqual(expect.arrayContaining(['8', '11', '15', '20']))
  })
})
