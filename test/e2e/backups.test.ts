// Backups in browser mode: the Settings panel lists backups, makes one, and restores one
// after a confirm step; a damaged collection at start shows the recovery page, whose button
// restores the newest backup and brings the app back.
import { spawn } from 'node:child_process'
import { openSync, writeSync, closeSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, serve, type Served } from './harness'

const ROOT = join(import.meta.dirname, '..', '..')

/** `retransmit serve` on an existing data folder (the harness always makes a new one). */
function serveFolder(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'retransmit.js'), 'serve', '--no-open', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^Retransmit is running at (\S+)$/m.exec(out)
      if (!match) return
      child.removeAllListeners('exit')
      resolve({
        url: match[1]!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          })
      })
    })
  })
}

describe('backups in browser mode', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await serve()
    browser = await launchBrowser()
    page = await browser.newPage()
    await page.goto(served.url)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
    await page.getByRole('heading', { name: 'Backups' }).waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('lists the start-up backup, makes one now, and restores one after confirming', async () => {
    const rows = page.getByRole('table').getByRole('row')
    await expect.poll(() => rows.count()).toBe(2) // header + the automatic start-up backup
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/automatic/)

    await page.getByRole('button', { name: 'Back up now' }).click()
    await page.getByRole('status').filter({ hasText: 'Backed up' }).waitFor()
    await expect.poll(() => rows.count()).toBe(3)
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/made by you/)

    await page.getByRole('button', { name: /^Restore the backup from/ }).first().click()
    const dialog = page.getByRole('alertdialog')
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => dialog.count()).toBe(0)

    await page.getByRole('button', { name: /^Restore the backup from/ }).first().click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Restore', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Restored the backup' }).waitFor()
    expect(readdirSync(served.dataDir).some((f) => f.startsWith('collection.sqlite.before-restore-'))).toBe(true)
  })

  it('a damaged collection at start: the recovery page restores the newest backup', async () => {
    const dataDir = served.dataDir
    await served.stop()
    // Garbage over the header page: not a database any more.
    const fd = openSync(join(dataDir, 'collection.sqlite'), 'r+')
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0)
    closeSync(fd)

    const again = await serveFolder(dataDir)
    try {
      await page.goto(again.url)
      await page.getByRole('heading', { name: 'Your collection file is damaged' }).waitFor()
      await expect.poll(() => page.textContent('body')).toMatch(/collection\.sqlite\.corrupt-/)
      await page.getByRole('button', { name: 'Restore newest backup' }).click()
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
      await page.getByRole('heading', { name: 'Backups' }).waitFor()
    } finally {
      await again.stop()
    }
  })
})
