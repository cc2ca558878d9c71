// At the keyboard in Chromium: from a key press to the next frame painted with its result, in
// browser mode on the bench collection. Start: the key event's own timestamp (event.timeStamp,
// taken when the browser received the input). End: the frame after the DOM first shows the
// result (a MutationObserver sees it; then requestAnimationFrame and a task, as for Home's paint).
// Show answer, grade -> next card (Review, all decks), quiz answer -> feedback (a quiz over every
// deck), and Browse typing -> results (which includes Browse's 200 ms pause after typing).
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../test/e2e/harness'
import { serveStatic, startServe, stop } from './measures-browser'
import { progress } from './report'

type Kind = 'reveal' | 'next' | 'feedback' | 'results'

/** The page globals LATENCY uses (this file is type-checked without the DOM library). */
interface LatencyGlobals {
  __latency: { arm(kind: Kind, before: string): void; ms: number | null }
  document: {
    querySelector(selector: string): { textContent: string | null } | null
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>
  }
  addEventListener(type: string, listener: (event: { timeStamp: number }) => void, options: object): void
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void
    disconnect(): void
  }
  requestAnimationFrame(callback: () => void): void
}

/** Installed before the app's scripts: `arm(kind, before)` times the next key press until `kind`'s result shows. */
const LATENCY = () => {
  const page = globalThis as unknown as LatencyGlobals
  /** What the page shows for each kind's result (the selectors are the app's own roles and labels). */
  const browseState = () => {
    const status =
      Array.from(page.document.querySelectorAll('main [role="status"]'))
        .map((e) => e.textContent ?? '')
        .find((t) => /^\d+ cards?/.test(t)) ?? ''
    return `${status}|${page.document.querySelector('main table tbody tr')?.textContent ?? ''}`
  }
  const shown: Record<Kind, (before: string) => boolean> = {
    reveal: () => page.document.querySelector('[aria-label="Answer"]') !== null,
    next: () =>
      page.document.querySelector('[aria-label="Grade your answer"]') === null &&
      page.document.querySelector('button[aria-keyshortcuts="Space Enter"]') !== null,
    feedback: () => page.document.querySelector('.feedback') !== null,
    results: (before) => browseState() !== before
  }
  const state: LatencyGlobals['__latency'] = {
    ms: null,
    arm(kind, before) {
      state.ms = null
      let pressedAt: number | null = null
      let seen = false
      const check = () => {
        if (seen || pressedAt === null || !shown[kind](before)) return
        seen = true
        observer.disconnect()
        const start = pressedAt
        page.requestAnimationFrame(() => setTimeout(() => (state.ms = performance.now() - start), 0))
      }
      const observer = new page.MutationObserver(check)
      observer.observe(page.document, { childList: true, subtree: true, characterData: true, attributes: true })
      page.addEventListener(
        'keydown',
        (event) => {
          pressedAt = event.timeStamp
          queueMicrotask(check)
        },
        { capture: true, once: true }
      )
    }
  }
  page.__latency = state
}

/**
 * The floor under every keyboard latency: a page whose Space handler puts in an element labelled
 * Answer (Escape takes it out), timed as the app is. What remains is the browser's own share:
 * delivering the key, waiting for the next frame, painting it.
 */
const FLOOR_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><main><p>Press Space</p><div id="out"></div></main><script>
addEventListener('keydown', (event) => {
  const out = document.getElementById('out')
  if (event.key !== ' ') return out.replaceChildren()
  event.preventDefault()
  const answer = document.createElement('p')
  answer.setAttribute('aria-label', 'Answer')
  answer.textContent = 'The answer'
  out.replaceChildren(answer)
})
</script></body></html>`

const browseBefore = () => {
  const page = globalThis as unknown as LatencyGlobals
  const status =
    Array.from(page.document.querySelectorAll('main [role="status"]'))
      .map((e) => e.textContent ?? '')
      .find((t) => /^\d+ cards?/.test(t)) ?? ''
  return `${status}|${page.document.querySelector('main table tbody tr')?.textContent ?? ''}`
}

/** Presses `key` with `kind` armed and returns the latency (ms), or null if the result never showed. */
async function timed(page: Page, kind: Kind, key: string, before = ''): Promise<number | null> {
  await page.evaluate(
    ([k, b]) => (globalThis as unknown as LatencyGlobals).__latency.arm(k as Kind, b as string),
    [kind, before]
  )
  await page.keyboard.press(key)
  try {
    await page.waitForFunction(() => (globalThis as unknown as LatencyGlobals).__latency.ms !== null, undefined, {
      timeout: 5000,
      polling: 20
    })
  } catch {
    return null
  }
  return page.evaluate(() => (globalThis as unknown as LatencyGlobals).__latency.ms)
}

export interface KeyboardSamples {
  reveal: number[]
  next: number[]
  feedback: number[]
  results: number[]
  /** The floor: Space -> an element shown, on a static page with one key handler (no app, no call). */
  floor: number[]
  /** One smallest API call (appInfo) from the app's page: fetch to parsed answer. */
  roundTrip: number[]
  /** Presses whose result never showed within 5 s (the measure would be wrong to skip silently). */
  missed: Record<Kind, number>
}

export async function measureKeyboard(
  dataDir: string,
  contentDir: string,
  cards: number,
  browseQueries: string[]
): Promise<KeyboardSamples> {
  const samples: KeyboardSamples = {
    reveal: [],
    next: [],
    feedback: [],
    results: [],
    floor: [],
    roundTrip: [],
    missed: { reveal: 0, next: 0, feedback: 0, results: 0 }
  }
  const record = (kind: Kind, ms: number | null) => (ms === null ? samples.missed[kind]++ : samples[kind].push(ms))
  const served = await startServe(dataDir, contentDir)
  let browser: Browser | null = null
  try {
    browser = await launchBrowser()
    progress('keyboard: the floor (static page)')
    const floorPage = await (await browser.newContext()).newPage()
    await floorPage.addInitScript(LATENCY)
    const floor = await serveStatic(FLOOR_PAGE)
    try {
      await floorPage.goto(floor.url)
      for (let i = 0; i < cards + 5; i++) {
        const ms = await timed(floorPage, 'reveal', 'Space')
        if (i >= 5 && ms !== null) samples.floor.push(ms)
        await floorPage.keyboard.press('Escape')
      }
    } finally {
      await floorPage.context().close()
      await floor.close()
    }

    const page = await (await browser.newContext()).newPage()
    await page.addInitScript(LATENCY)
    await page.goto(`${served.origin}/#token=${served.token}`)
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()

    // The page's own round trip for the smallest call, as the app's api module makes it.
    samples.roundTrip = await page.evaluate(async (count) => {
      const token = sessionStorage.getItem('retransmit.token') ?? ''
      const times: number[] = []
      for (let i = 0; i < count + 5; i++) {
        const start = performance.now()
        const response = await fetch('/api/appInfo', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: '{}'
        })
        await response.json()
        if (i >= 5) times.push(performance.now() - start)
      }
      return times
    }, cards)

    progress('keyboard: review')
    await page.keyboard.press('Alt+2')
    await page.getByRole('button', { name: 'Show answer' }).waitFor()
    for (let i = 0; i < cards + 5; i++) {
      const reveal = await timed(page, 'reveal', 'Space')
      const next = await timed(page, 'next', '3')
      // The first five of each are untimed: the page's first renders compile their code paths.
      if (i >= 5) {
        record('reveal', reveal)
        record('next', next)
      }
    }

    progress('keyboard: quiz')
    await page.keyboard.press('Alt+3')
    const count = page.getByRole('spinbutton', { name: 'Number of questions' })
    await count.fill(String(cards + 5))
    await page.getByRole('button', { name: 'Start quiz' }).click()
    await page.getByRole('region', { name: 'Quiz' }).waitFor()
    for (let i = 0; i < cards + 5; i++) {
      // An answer for any item type: a second option in every list, text in every text field,
      // the first option of a choice (its own key); then Enter checks it.
      const form = page.locator('form.question')
      for (const select of await form.locator('select').all()) await select.selectOption({ index: 1 })
      for (const field of await form.locator('input[type="text"], input:not([type])').all()) await field.fill('x')
      const option = form.locator('input[type="radio"], input[type="checkbox"]').first()
      if (await option.count()) {
        await option.focus()
        await page.keyboard.press('1')
      }
      const ms = await timed(page, 'feedback', 'Enter')
      if (ms === null) {
        samples.missed.feedback++ // the answer was refused (a problem shown) or never checked
        break
      }
      if (i >= 5) record('feedback', ms)
      if (await page.getByRole('button', { name: /results/i }).count()) break
      await page.keyboard.press('Enter') // next item
      await page.waitForFunction(
        () => (globalThis as unknown as LatencyGlobals).document.querySelector('.feedback') === null
      )
    }

    progress('keyboard: browse')
    await page.keyboard.press('Alt+5')
    const search = page.getByRole('searchbox', { name: 'Search cards' })
    await search.waitFor()
    // `deck:<deck> <word> ` is typed and its results shown; the measured key is the first letter
    // of the next word (a new prefix term, so the results change).
    for (const [i, query] of browseQueries.slice(0, cards + 5).entries()) {
      const words = query.split(' ')
      const base = `${words.slice(0, -1).join(' ')} `
      await search.focus()
      await page.keyboard.press('ControlOrMeta+a')
      const settled = page.waitForResponse((r) => r.url().endsWith('/api/browseCards'))
      await page.keyboard.type(base)
      await settled
      await page.evaluate(
        () =>
          new Promise<void>((resolve) =>
            (globalThis as unknown as LatencyGlobals).requestAnimationFrame(() => resolve())
          )
      )
      const ms = await timed(page, 'results', words.at(-1)![0]!, await page.evaluate(browseBefore))
      if (i >= 5) record('results', ms)
    }
  } finally {
    await browser?.close()
    await stop(served.child)
    progress('')
  }
  return samples
}
