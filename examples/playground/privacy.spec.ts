import { expect, test, type Page } from '@playwright/test'

type Window = { palate: { track(type: string, item: object): void; flush(): Promise<void>; optOut(): Promise<void> } }
const DB = 'palate-playground'

const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))
const storage = (page: Page) => page.evaluate(() => Object.fromEntries(Object.entries(localStorage)))

async function browse(page: Page): Promise<void> {
  await page.goto('/playground/')
  await expect(page.locator('#status')).toHaveText('ready')
  for (let i = 0; i < 3; i++) await page.locator('li.product[data-id="surf-foamie"]').getByRole('button', { name: 'View' }).click()
  await expect(page.locator('#shelf li').first()).toHaveAttribute('data-id', /^surf-/)
}

test('optOut deletes the database; a reload stays opted out and writes nothing; another tab stops within a second', async ({ context }) => {
  const first = await context.newPage()
  const second = await context.newPage()
  await browse(first)
  // Written now rather than by the timer 5 s after the first view, which raced this expectation's
  // own 5 s timeout on a busy machine (the other tab then hears of the write and reads it back).
  await first.evaluate(() => (window as unknown as Window).palate.flush())
  await second.goto('/playground/')
  await expect(second.locator('#interests li').first()).toHaveAttribute('data-key', /^category:surf/)
  expect(await databases(first)).toContain(DB)

  await first.evaluate(() => (window as unknown as Window).palate.optOut())
  await expect(first.locator('#status')).toHaveText('opted-out')
  expect(await databases(first)).not.toContain(DB)
  expect(await storage(first)).toEqual({ [`palate:${DB}:consent`]: 'denied' })

  // The other tab drops its profile and falls back to the store's order within a second.
  await expect(second.locator('#status')).toHaveText('opted-out', { timeout: 1000 })
  await expect(second.locator('#interests li')).toHaveCount(0, { timeout: 1000 })
  await expect(second.locator('#shelf li').first()).toHaveAttribute('data-id', 'gym-dumbbells')

  await first.reload()
  await expect(first.locator('#status')).toHaveText('opted-out')
  for (let i = 0; i < 3; i++) await first.locator('li.product[data-id="hike-boots"]').getByRole('button', { name: 'Add to cart' }).click()
  await first.evaluate(() => (window as unknown as Window).palate.flush())
  await expect(first.locator('#interests li')).toHaveCount(0)
  expect(await databases(first)).not.toContain(DB)
  expect(await storage(first)).toEqual({ [`palate:${DB}:consent`]: 'denied' })
})

test('an opt-out reaches a tab that has no connection to the database and no BroadcastChannel (the consent marker’s storage event)', async ({ context }) => {
  // A browser without BroadcastChannel: only localStorage's storage event goes between the tabs.
  await context.addInitScript(() => Reflect.deleteProperty(globalThis, 'BroadcastChannel'))
  const first = await context.newPage()
  const second = await context.newPage()
  // The second tab cannot open IndexedDB (as in some private modes): it keeps its profile in
  // memory, so no deletion of the database reaches it either.
  await second.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('refused', 'SecurityError')
    }
  })
  await browse(first)
  await second.goto('/playground/')
  await expect(second.locator('#status')).toHaveText('memory')
  for (let i = 0; i < 3; i++) await second.locator('li.product[data-id="surf-foamie"]').getByRole('button', { name: 'View' }).click()
  await expect(second.locator('#shelf li').first()).toHaveAttribute('data-id', /^surf-/)
  expect(await second.evaluate(() => typeof BroadcastChannel)).toBe('undefined')

  await first.evaluate(() => (window as unknown as Window).palate.optOut())
  await expect(second.locator('#status')).toHaveText('opted-out', { timeout: 1000 })
  await expect(second.locator('#interests li')).toHaveCount(0)
  await expect(second.locator('#shelf li').first()).toHaveAttribute('data-id', 'gym-dumbbells')
})

test('with Global Privacy Control on, nothing is ever written', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }))
  await page.goto('/playground/')
  await expect(page.locator('#status')).toHaveText('opted-out')
  for (let i = 0; i < 3; i++) await page.locator('li.product[data-id="yoga-mat"]').getByRole('button', { name: 'View' }).click()
  await page.evaluate(() => (window as unknown as Window).palate.flush())
  await page.reload()
  await expect(page.locator('#status')).toHaveText('opted-out')
  expect(await databases(page)).toEqual([])
  expect(await storage(page)).toEqual({})
  expect(await page.evaluate(() => document.cookie)).toBe('')
})

test('a whole journey makes no request but for the page’s own files', async ({ page, baseURL }) => {
  const requests: string[] = []
  await page.route('**/*', (route) => {
    requests.push(route.request().url())
    return route.continue()
  })
  await page.goto('/')
  await page.getByRole('link', { name: 'Engine playground' }).click()
  await browse(page)
  await page.locator('li.product[data-id="surf-wetsuit"]').getByRole('button', { name: 'Add to cart' }).click()
  await page.evaluate(() => (window as unknown as Window).palate.flush())
  await page.reload()
  await expect(page.locator('#status')).toHaveText('ready')
  await page.evaluate(() => (window as unknown as Window).palate.optOut())
  // Every request goes to this origin, and only for the files the pages are made of.
  const files = new Set(['/', '/assets/style.css', '/build/core.js', '/playground/', '/playground/playground.js', '/catalog/catalog.js', '/assets/favicon.svg'])
  expect(requests.length).toBeGreaterThan(5)
  for (const url of requests) {
    expect(new URL(url).origin).toBe(new URL(baseURL!).origin)
    expect(files).toContain(new URL(url).pathname)
  }
})
