// Backups in browser mode: the Settings panel lists backups, makes one, and restores one
// after a confirm step; a damaged collection at start shows the recovery page, whose button
// restores the newest backup and brings the app back.
import { openSync, writeSync, closeSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openApp, type OpenedApp, serve } from './harness'

describe('backups in browser mode', () => {
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    app = await openApp()
    page = app.page
    await page.goto(app.served.url)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('heading', { name: 'Backups' }).waitFor()
  })
  afterAll(() => app?.close())

  it('lists the start-up backup, makes one now, and restores one after confirming', async () => {
    const rows = page.getByRole('table').getByRole('row')
    await expect.poll(() => rows.count()).toBe(2) // header + the automatic start-up backup
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/automatic/)

    await page.getByRole('button', { name: 'Back up now' }).click()
    await page.getByRole('status').filter({ hasText: 'Backed up' }).waitFor()
    await expect.poll(() => rows.count()).toBe(3)
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/made by you/)

    await page
      .getByRole('button', { name: /^Restore the backup from/ })
      .first()
      .click()
    const dialog = page.getByRole('alertdialog')
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => dialog.count()).toBe(0)

    await page
      .getByRole('button', { name: /^Restore the backup from/ })
      .first()
      .click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Restore', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Restored the backup' }).waitFor()
    expect(readdirSync(app.served.dataDir).some((f) => f.startsWith('collection.sqlite.before-restore-'))).toBe(true)
  })

  it('a damaged collection at start: the recovery page restores the newest backup', async () => {
    const dataDir = app.served.dataDir
    await app.served.stop()
    // Garbage over the header page: not a database any more.
    const fd = openSync(join(dataDir, 'collection.sqlite'), 'r+')
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0)
    closeSync(fd)

    const again = await serve({}, dataDir)
    try {
      await page.goto(again.url)
      await page.getByRole('heading', { name: 'Your collection file is damaged' }).waitFor()
      await expect.poll(() => page.textContent('body')).toMatch(/collection\.sqlite\.corrupt-/)
      await page.getByRole('button', { name: 'Restore newest backup' }).click()
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Settings', exact: true })
        .click()
      await page.getByRole('heading', { name: 'Backups' }).waitFor()
    } finally {
      await again.stop()
    }
  })
})
