// Shared by the demo storefronts' Playwright specs (examples/store, examples/react-store, examples/vue-store).
//
// `test` here is Playwright's, with a guard on every test: the test fails on any Content-Security-
// Policy violation, uncaught page error, console error, dialog (an injected `alert()`), request to
// another origin, or `[palate]` warning it did not announce with `guard.allowWarning()`.
import { dirname, join } from 'node:path'
import { expect, test as base, type ConsoleMessage, type Frame, type Locator, type Page, type TestInfo } from '@playwright/test'
import type { PalateGlobal } from 'palate'
import { productById, products, type Product } from '../catalog/catalog.js'

export { expect }

export interface Guard {
  /** Console warnings of every page of the test, in order. */
  readonly warnings: ConsoleMessage[]
  /** Announces warnings the test expects (matched on their text); the guard lets those through. */
  allowWarning(pattern: RegExp): void
}

/** `window` of a script-tag page: `Palate` is what palate.min.js defines. */
export type PalateWindow = { Palate: PalateGlobal }

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context, baseURL }, use) => {
      const problems: string[] = []
      const warnings: ConsoleMessage[] = []
      const allowed: RegExp[] = []
      const origin = new URL(baseURL!).origin

      context.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
        else if (message.type() === 'warning') warnings.push(message)
      })
      context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`))
      context.on('dialog', (dialog) => {
        problems.push(`dialog (${dialog.type()}): ${dialog.message()}`)
        void dialog.dismiss()
      })
      context.on('request', (request) => {
        const url = new URL(request.url())
        if (url.origin !== origin && url.protocol !== 'data:' && url.href !== 'about:blank') problems.push(`request to another origin: ${url.href}`)
      })
      // Chromium reports violations on the console too; the event is the authoritative record.
      await context.exposeFunction('__reportCspViolation', (text: string) => problems.push(`CSP violation: ${text}`))
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          ;(window as Window & { __reportCspViolation?: (text: string) => void }).__reportCspViolation?.(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`)
        })
      })

      await use({ warnings, allowWarning: (pattern) => void allowed.push(pattern) })

      const unexpected = warnings.map((w) => w.text()).filter((text) => text.includes('[palate]') && !allowed.some((p) => p.test(text)))
      expect(problems, 'CSP violations, page errors, console errors, dialogs, foreign requests').toEqual([])
      expect(unexpected, '[palate] warnings the test did not expect').toEqual([])
    },
    { auto: true },
  ],
})

// ---- time --------------------------------------------------------------------------------------

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
/** Monday 2 March 2026, 00:00 UTC: day 0 of every journey. */
export const START = Date.UTC(2026, 2, 2)

/**
 * Installs Playwright's fake clock, paused at `time`: from then on, time (Date.now, which Palate
 * reads, and every timer: the 1 s view dwell, the 1 s write batch) only moves when the test moves it.
 * The clock belongs to the browser context, so it holds across navigations.
 */
export async function pauseClock(page: Page, time = START + 9 * HOUR): Promise<void> {
  // Installed a minute early: the installed clock runs until paused, and pausing in the past is refused.
  await page.clock.install({ time: time - 60_000 })
  await page.clock.pauseAt(time)
}

/**
 * The shopper looks at `target` for `ms`: once the browser reports it at least half visible (to an
 * IntersectionObserver of our own, created after the page's, so theirs has been told too), the
 * fake clock runs for `ms`. The plain store counts a view after 1 s; the write batch follows 1 s later.
 */
export async function dwell(page: Page, target: Locator, ms = 2000): Promise<void> {
  await target.evaluate(
    (element) =>
      new Promise<void>((resolve) => {
        const observer = new IntersectionObserver(
          (entries) => {
            if (entries.some((entry) => entry.isIntersecting && entry.intersectionRatio >= 0.5)) {
              observer.disconnect()
              resolve()
            }
          },
          { threshold: 0.5 },
        )
        observer.observe(element)
      }),
  )
  await page.clock.runFor(ms)
}

// ---- the shopper's story -----------------------------------------------------------------------

export interface Visit {
  /** When (fake clock, ms). */
  at: number
  /** Day of the journey, 0-based, for messages. */
  day: number
  product: Product
  /** Also put it in the cart. */
  addToCart: boolean
}

const inDepartment = (id: string) => products.filter((p) => p.category.startsWith(id + '/'))

/**
 * The gym → hiking shopper of the README: `gymDays` days of gym (2 product views a day, morning
 * and evening, an add-to-cart every 10th day), then hiking at 3 views a day.
 */
export function gymThenHiking({ gymDays, hikingDays }: { gymDays: number; hikingDays: number }): { gym: Visit[]; hiking: Visit[] } {
  const gym = inDepartment('gym')
  const hiking = inDepartment('hiking')
  const gymVisits: Visit[] = []
  for (let day = 0; day < gymDays; day++) {
    ;[9, 19].forEach((hour, i) => {
      gymVisits.push({ at: START + day * DAY + hour * HOUR, day, product: gym[(day * 2 + i) % gym.length]!, addToCart: i === 1 && day % 10 === 9 })
    })
  }
  const hikingVisits: Visit[] = []
  for (let d = 0; d < hikingDays; d++) {
    const day = gymDays + d
    ;[10, 14, 19].forEach((hour, i) => {
      hikingVisits.push({ at: START + day * DAY + hour * HOUR, day, product: hiking[(d * 3 + i) % hiking.length]!, addToCart: false })
    })
  }
  return { gym: gymVisits, hiking: hikingVisits }
}

// ---- what the shopper sees -----------------------------------------------------------------------

/** The "For you" shelf: a list named by its heading, in both stores. */
export function forYou(page: Page): Locator {
  return page.getByRole('list', { name: 'For you' })
}

/** Ids of the cards the shopper can see in a product list, in order. */
export async function visibleIds(list: Locator): Promise<string[]> {
  return list.locator(':scope > li:visible').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-product-id') ?? '?'))
}

/** `'hiking'` for `'hike-boots'`. */
export function departmentOf(id: string): string {
  return productById(id)?.category.split('/')[0] ?? `unknown product ${id}`
}

/** Saves a screenshot under test-results/screenshots/ (kept between runs, gitignored) and attaches it to the report. */
export async function screenshot(page: Page, name: string, testInfo: TestInfo, options: { fullPage?: boolean } = {}): Promise<void> {
  const root = testInfo.config.configFile ? dirname(testInfo.config.configFile) : process.cwd()
  const path = join(root, 'test-results', 'screenshots', name)
  await page.screenshot({ path, fullPage: options.fullPage ?? false })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/**
 * Product data a hostile catalog could carry: markup that would run if a page ever inserted
 * item data as HTML. It must only ever show up as text.
 */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>'
export const HOSTILE_BRAND = '"><svg onload=alert(2)>'

/**
 * Rewrites a script from the server so that product `id` carries the hostile name and brand:
 * a catalog that came back from a CMS full of markup.
 */
export function withHostileProduct(source: string, id: string): string {
  const product = productById(id)!
  const quoted = (text: string) => new RegExp(`(['"])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`)
  const name = quoted(product.name)
  // The product's own line: its name, and its brand on that line only.
  const at = source.search(quoted(product.id))
  const start = source.lastIndexOf('\n', at) + 1
  const end = source.indexOf('\n', at)
  const line = source.slice(start, end === -1 ? undefined : end)
  if (at === -1 || !name.test(line)) throw new Error(`withHostileProduct: ${id} not found in the script`)
  const hostile = line.replace(name, JSON.stringify(HOSTILE_NAME)).replace(quoted(product.brand), JSON.stringify(HOSTILE_BRAND))
  return source.slice(0, start) + hostile + source.slice(start + line.length)
}

/**
 * Waits until the writes the page has issued to IndexedDB database `name` have landed: a read over
 * every store of it is queued behind them (IndexedDB runs overlapping transactions in order). For
 * pages that expose no `flush()`, before the test leaves them. Only for a database that exists.
 */
export async function settleIndexedDb(page: Page, name: string): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        // A missing database would be created by open(): the caller must know it exists.
        open.onupgradeneeded = () => {
          open.transaction!.abort()
          reject(new Error(`settleIndexedDb: no database ${name}`))
        }
        open.onsuccess = () => {
          const db = open.result
          const read = db.transaction([...db.objectStoreNames], 'readonly')
          read.oncomplete = () => {
            db.close()
            resolve()
          }
          read.onerror = () => reject(read.error)
        }
      }),
    name,
  )
}

/** Names of the page origin's IndexedDB databases. */
export async function databases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''))
}

/**
 * Seeds the pages' `Math.random` (mulberry32), which Palate draws the visit's surprise seed from:
 * the same surprises on every run of a test. Set before any page script runs.
 */
export async function seedRandom(page: Page, seed: number): Promise<void> {
  await page.addInitScript((seed) => {
    let a = seed >>> 0
    Math.random = () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }, seed)
}

/**
 * A screenshot for the docs: `name` under examples/screenshots/ when UPDATE_SCREENSHOTS=1 (they
 * are committed and shown in the README), else under test-results/screenshots/. First it checks
 * what a reader would see go wrong: nothing in `target` is wider than it, and the page does not
 * scroll sideways.
 */
export async function docScreenshot(target: Locator, name: string, testInfo: TestInfo): Promise<void> {
  const overflow = await target.evaluate((root) => {
    const problems: string[] = []
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`)
    const box = root.getBoundingClientRect()
    const all = [root, ...root.querySelectorAll('*'), ...(root.querySelector('palate-preferences')?.shadowRoot?.querySelectorAll('*') ?? [])]
    for (const el of all) {
      const r = el.getBoundingClientRect()
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) problems.push(`${el.localName}.${el.getAttribute('part') ?? el.className} sticks out`)
    }
    return problems
  })
  expect(overflow, `${name}: layout`).toEqual([])
  const root = testInfo.config.configFile ? dirname(testInfo.config.configFile) : process.cwd()
  const path = process.env.UPDATE_SCREENSHOTS ? join(root, 'examples', 'screenshots', name) : join(root, 'test-results', 'screenshots', name)
  await target.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/**
 * An srcdoc frame added to `page` with the script tag in it (and `extra` markup after it), once
 * `window.Palate` is defined there: its base URL is `about:srcdoc`, so what it loads is found
 * from the script element.
 */
export async function scriptTagFrame(page: Page, extra = ''): Promise<Frame> {
  const frame = await page.evaluateHandle((extra) => {
    const node = document.createElement('iframe')
    node.srcdoc = `<!doctype html><script src="/build/palate.min.js"></script>${extra}`
    document.body.append(node)
    return node
  }, extra)
  const inner = (await frame.asElement()!.contentFrame())!
  await inner.waitForFunction(() => 'Palate' in window)
  return inner
}

/**
 * A single-page store's preferences page (`/<app>/#/preferences`, React or Vue), driven from the
 * keyboard: after products of two departments are viewed, "Forget" on the first Gym row is pressed
 * with Enter. Resolves once the row is gone, with focus where the shopper expects it: on the
 * "Forget" button of the row that took its place, not on <body>.
 */
export async function forgetFromKeyboard(page: Page, app: 'react-store' | 'vue-store'): Promise<void> {
  for (const id of ['gym-dumbbells', 'hike-boots', 'hike-daypack']) {
    await page.goto(`/${app}/#/p/${id}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(productById(id)!.name)
  }
  await page.goto(`/${app}/#/preferences`)
  await page.getByRole('button', { name: /^Forget Gym/ }).first().focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('status')).toHaveText(/^Forgot Gym/)
  await expect(page.getByRole('button', { name: /^Forget Gym/ })).toHaveCount(0)
  await expect(page.locator(':focus')).toHaveAttribute('aria-label', /^Forget /)
}
