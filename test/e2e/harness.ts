// The browser suite's harness: `retransmit serve` as a real child process on a temp data
// folder, and Debian's Chromium (or another installed Chromium) driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { tempDir } from '../helpers/temp'

const ROOT = join(import.meta.dirname, '..', '..')

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
]

export function findChromium(): string {
  const fromEnv = process.env.RETRANSMIT_CHROMIUM ?? process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`RETRANSMIT_CHROMIUM points to ${fromEnv}, which does not exist`)
    return fromEnv
  }
  const found = CANDIDATES.find((path) => existsSync(path))
  if (!found) {
    throw new Error(
      'The browser suite needs Chromium and found none. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set RETRANSMIT_CHROMIUM to a Chrome or Chromium executable.'
    )
  }
  return found
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
}

export interface Served {
  url: string
  origin: string
  token: string
  dataDir: string
  child: ChildProcess
  /** Everything the server printed so far. */
  logs(): { stdout: string; stderr: string }
  stop(): Promise<void>
}

/** Starts `retransmit serve --no-open --port 0` (on a new data folder unless given one) and waits for its one line. */
export function serve(extraEnv: NodeJS.ProcessEnv = {}, existingDataDir?: string): Promise<Served> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('the app is not built: `npm test` builds it; to run this suite alone, `npm run build` first')
  }
  const dataDir = existingDataDir ?? tempDir('retransmit-e2e-')
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'retransmit.js'), 'serve', '--no-open', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
    let started = false
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (started) return
      const match = /^Retransmit is running at (http:\/\/127\.0\.0\.1:\d+\/)#token=([A-Za-z0-9_-]+)$/m.exec(out)
      if (!match) return
      started = true
      child.removeAllListeners('exit')
      resolve({
        url: `${match[1]}#token=${match[2]}`,
        origin: match[1]!.replace(/\/$/, ''),
        token: match[2]!,
        dataDir,
        child,
        logs: () => ({ stdout: out, stderr: err }),
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

export interface OpenedApp {
  served: Served
  browser: Browser
  /** A blank page: seed data through the api first if the test needs it, then `page.goto(served.url)`. */
  page: Page
  /** Closes the browser, then stops the server (safe to call after a failed start). */
  close(): Promise<void>
}

/**
 * A test file's app: `retransmit serve` on a new data folder (or `dataDir`), Chromium, and one page
 * with `pageOptions` (e.g. acceptDownloads). Call it in beforeAll and `app?.close()` in afterAll.
 */
export async function openApp(
  options: { env?: NodeJS.ProcessEnv; dataDir?: string; pageOptions?: BrowserContextOptions } = {}
): Promise<OpenedApp> {
  const served = await serve(options.env, options.dataDir)
  let browser: Browser | undefined
  try {
    browser = await launchBrowser()
    const page = await browser.newPage(options.pageOptions)
    const opened = browser
    return {
      served,
      browser: opened,
      page,
      close: async () => {
        await opened.close()
        await served.stop()
      }
    }
  } catch (e) {
    // Nothing is left running when the browser does not start.
    await browser?.close()
    await served.stop()
    throw e
  }
}
