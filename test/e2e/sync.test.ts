// Settings → Sync in browser mode: the learner types the server's address and token, saves,
// syncs, and sees when it last synced and what went out; the token is never shown back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startSyncServer, type SyncServer } from '../../src/main/sync/server'
import { tempDir } from '../helpers/temp'
import { openApp, type OpenedApp } from './harness'

const TOKEN = 'e2e-sync-token-0123456789abcdef'

describe('Settings → Sync', () => {
  let server: SyncServer
  let app: OpenedApp
  let page: Page

  beforeAll(async () => {
    server = await startSyncServer({ port: 0, dataDir: tempDir('retransmit-e2e-sync-'), token: TOKEN })
    app = await openApp()
    page = app.page
    await page.goto(app.served.url)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('heading', { name: 'Sync' }).waitFor()
  })
  afterAll(async () => {
    await app?.close()
    await server?.close()
  })

  it('saves the address and token, syncs, and says when and what', async () => {
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Never synced' }).count()).toBe(1)
    await page.getByLabel('Server address').fill(`http://127.0.0.1:${server.port}`)
    await page.getByLabel('Token').fill(TOKEN)
    await page.getByRole('button', { name: 'Save server' }).click()
    await expect.poll(() => page.getByLabel('Token').getAttribute('placeholder')).toMatch(/^saved/)
    expect(await page.getByLabel('Token').inputValue()).toBe('')
    // Sync automatically is on once a server is saved: a round runs a few seconds later with no
    // click, and the panel, reading the status while automatic sync is on, shows it.
    expect(await page.getByRole('checkbox', { name: 'Sync automatically' }).isChecked()).toBe(true)
    await page.getByRole('status').filter({ hasText: 'Last synced' }).waitFor({ timeout: 30_000 })

    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByRole('status').filter({ hasText: 'Last synced' }).waitFor()
    expect(await page.getByRole('status').filter({ hasText: 'Last synced' }).textContent()).toMatch(
      /0 answers sent, 0 answers received, 0 edits sent\./
    )
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.content()).not.toContain(TOKEN)
  })

  it('turns automatic sync off by keyboard, on this device', async () => {
    const auto = page.getByRole('checkbox', { name: 'Sync automatically' })
    expect(await auto.isChecked()).toBe(true)
    await auto.focus()
    await page.keyboard.press('Space')
    await expect.poll(() => auto.isChecked()).toBe(false)
    // Kept on this device: the panel shows it off after a reload.
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('heading', { name: 'Sync' }).waitFor()
    await expect.poll(() => page.getByRole('checkbox', { name: 'Sync automatically' }).isChecked()).toBe(false)
  })
})
