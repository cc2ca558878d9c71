// Browser mode, as a user starts it: the built `node bin/retransmit.js serve` on the bench
// collection. Measures process start to the first successful API answer (polled), the service
// process's resident memory (VmRSS), and the first paint of Home with its deck list in Chromium,
// against a static HTML page listing the same decks, served from this process, painted by the
// same Chromium (runs alternate between the two).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../test/e2e/harness'
import { progress } from './report'

const ROOT = join(import.meta.dirname, '..')
const POLL_MS = 2

export interface BrowserSamples {
  startMs: number[]
  rssMb: number[]
  homePaintMs: number[]
  fcpMs: number[]
  staticPaintMs: number[]
}

/** Resident memory of a process from /proc (MB, 1 MB = 1024 KiB). */
export function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) / 1024
}

export interface Started {
  child: ChildProcess
  origin: string
  token: string
  startMs: number
}

export async function startServe(dataDir: string, contentDir: string): Promise<Started> {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'retransmit.js'), 'serve', '--no-open', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, RETRANSMIT_CONTENT_DIR: contentDir },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const address = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
    let out = ''
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Retransmit is running at (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out)
      if (match) resolve({ origin: match[1]!, token: match[2]! })
    })
  })
  child.removeAllListeners('exit')
  for (;;) {
    try {
      const response = await fetch(`${address.origin}/api/appInfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${address.token}`, 'content-type': 'application/json' },
        body: '{}'
      })
      const body = (await response.json()) as { ok: boolean }
      if (body.ok) break
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return { child, ...address, startMs: performance.now() - started }
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** The page globals OBSERVE_HOME uses (this file is type-checked without the DOM library). */
interface PageGlobals {
  __bench: { fcp?: number; decks?: number; painted?: number }
  document: { querySelector(selector: string): unknown }
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void
    disconnect(): void
  }
  PerformanceObserver: new (callback: (list: { getEntries(): { name: string; startTime: number }[] }) => void) => {
    observe(options: { type: string; buffered: boolean }): void
  }
  requestAnimationFrame(callback: () => void): void
}

/** Runs in the page before its own scripts: notes FCP and the frame after Home's deck list appears. */
const OBSERVE_HOME = () => {
  const page = globalThis as unknown as PageGlobals
  const marks: PageGlobals['__bench'] = {}
  page.__bench = marks
  new page.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') marks.fcp = entry.startTime
  }).observe({ type: 'paint', buffered: true })
  const observer = new page.MutationObserver(() => {
    if (marks.decks !== undefined || !page.document.querySelector('ul.decks li.deck')) return
    marks.decks = performance.now()
    observer.disconnect()
    // The frame that shows the list: after the next animation frame has been produced.
    page.requestAnimationFrame(() => setTimeout(() => (marks.painted = performance.now()), 0))
  })
  observer.observe(page.document, { childList: true, subtree: true })
}

const benchMarks = () => (globalThis as unknown as PageGlobals).__bench

const escape = (text: string) => text.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** The reference page: the same decks (title, counts) as Home lists them, as plain HTML. */
export function staticHomePage(decks: { title: string; new: number; due: number; cards: number }[]): string {
  const items = decks.map(
    (d) => `<li class="deck"><h2>${escape(d.title)}</h2><p>${d.cards} cards · ${d.new} new · ${d.due} due</p></li>`
  )
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Retransmit</title></head>
<body><main><h1>Home</h1><ul class="decks">${items.join('')}</ul></main></body></html>`
}

/** Serves one HTML page on loopback until closed. */
export async function serveStatic(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    response.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** Loads a URL in a fresh context and returns the page's marks once the deck list has painted. */
async function paintOf(browser: Browser, url: string): Promise<PageGlobals['__bench']> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.addInitScript(OBSERVE_HOME)
    await page.goto(url)
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__bench.painted !== undefined, undefined, {
      timeout: 30_000
    })
    return await page.evaluate(benchMarks)
  } finally {
    await context.close()
  }
}

export async function measureBrowser(
  dataDir: string,
  contentDir: string,
  runs: number,
  staticHtml: string
): Promise<BrowserSamples> {
  const samples: BrowserSamples = { startMs: [], rssMb: [], homePaintMs: [], fcpMs: [], staticPaintMs: [] }
  let browser: Browser | null = null
  const reference = await serveStatic(staticHtml)
  try {
    browser = await launchBrowser()
    // One untimed load of each: the first page of a new browser process pays for its start-up.
    await paintOf(browser, reference.url)
    for (let run = 0; run < runs; run++) {
      progress(`browser mode: run ${run + 1} / ${runs}`)
      samples.staticPaintMs.push((await paintOf(browser, reference.url)).painted!)
      const served = await startServe(dataDir, contentDir)
      try {
        samples.startMs.push(served.startMs)
        samples.rssMb.push(rssMb(served.child.pid!))
        const marks = await paintOf(browser, `${served.origin}/#token=${served.token}`)
        samples.homePaintMs.push(marks.painted!)
        if (marks.fcp !== undefined) samples.fcpMs.push(marks.fcp)
        samples.rssMb.push(rssMb(served.child.pid!))
      } finally {
        await stop(served.child)
      }
    }
  } finally {
    await browser?.close()
    await reference.close()
    progress('')
  }
  return samples
}
