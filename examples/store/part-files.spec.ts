// The script tag's lazy parts (export and import, forget, the memory store, recovery…) are files
// of their own next to palate.min.js, loaded with a <script> on first use: none is fetched by a page
// that does not need it, they load under the demo server's strict CSP and in an srcdoc frame, and
// one that does not load reaches onError while the storefront goes on.
import { test as unguarded } from '@playwright/test'
import { expect, forYou, scriptTagFrame, test, type PalateWindow } from '../testing/fixtures.js'

/** The part files a page fetched, by path. */
function partRequests(page: import('@playwright/test').Page): string[] {
  const requested: string[] = []
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (/\/palate-(?!preferences).+\.min\.js$/.test(path)) requested.push(path)
  })
  return requested
}

test.describe('the engine part files of the script tag', () => {
  test('tracking and ranking fetch none; the first write fetches the write part, export() its parts, each once, under script-src self', async ({ page }) => {
    const requested = partRequests(page)
    await page.goto('/store/')
    await expect(forYou(page).locator(':scope > li:visible').first()).toBeVisible()
    await page.evaluate(async () => {
      const palate = (window as unknown as PalateWindow).Palate.instance!
      await palate.ready
      palate.track('click', { id: 'parts-boot', category: 'hiking/boots' })
      palate.rank([{ id: 'parts-boot', category: 'hiking/boots' }])
    })
    expect(requested).toEqual([])
    await page.evaluate(async () => {
      const palate = (window as unknown as PalateWindow).Palate.instance!
      await palate.flush()
      palate.track('click', { id: 'parts-tent', category: 'camping/tents' })
      await palate.flush()
    })
    // The write transactions, idb beneath them, and the caps they enforce: fetched once for both writes.
    expect([...requested].sort()).toEqual(['/build/palate-caps.min.js', '/build/palate-idb.min.js', '/build/palate-idbMerge.min.js'])
    requested.length = 0
    const ids = await page.evaluate(async () => {
      const palate = (window as unknown as PalateWindow).Palate.instance!
      const first = await palate.export()
      await palate.export()
      return first.events.map((event) => event.item.id)
    })
    expect(ids).toEqual(expect.arrayContaining(['parts-boot', 'parts-tent']))
    // export() and the IndexedDB store's dump behind it, each fetched once for both calls.
    expect(requested).toEqual(['/build/palate-transfer.min.js', '/build/palate-idbRare.min.js'])
  })

  test('in an srcdoc frame, found from the script element and not the frame base URL', async ({ page }) => {
    await page.goto('/store/')
    const inner = await scriptTagFrame(page)
    const keys = await inner.evaluate(async () => {
      const palate = (window as unknown as PalateWindow).Palate.init({ name: `parts-srcdoc-${Date.now()}` })
      await palate.ready
      palate.track('click', { id: 'parts-tent', category: 'camping/tents' })
      await palate.forget('category:camping/tents')
      return palate.interests({ limit: 100 }).map((interest) => interest.key)
    })
    expect(keys).not.toContain('category:camping/tents')
  })
})

// Not the guarded test: a 404 is a console error in Chromium, which the guard refuses.
unguarded('a part file that does not load reaches onError, the call rejects, and the storefront goes on', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  let blocked = true
  await page.route('**/build/palate-forget.min.js', (route) => (blocked ? route.fulfill({ status: 404, body: 'not here' }) : route.continue()))
  await page.goto('/store/')
  const inner = await scriptTagFrame(page)
  const heard = await inner.evaluate(async () => {
    const seen: string[] = []
    const palate = (window as unknown as PalateWindow).Palate.init({ name: `parts-404-${Date.now()}`, onError: (error) => seen.push(error.message) })
    await palate.ready
    palate.track('click', { id: 'parts-404-tent', category: 'camping/tents' })
    const rejected = await palate.forget('category:camping/tents').then(
      () => null,
      (error: Error) => error.message,
    )
    palate.track('click', { id: 'parts-404-boot', category: 'hiking/boots' })
    return { seen, rejected, keys: palate.interests({ limit: 100 }).map((interest) => interest.key) }
  })
  const message = /^\[palate\] palate-forget\.min\.js could not be loaded from http:\/\/127\.0\.0\.1:\d+\/build\/palate-forget\.min\.js$/
  expect(heard.seen).toEqual([expect.stringMatching(message)])
  expect(heard.rejected).toMatch(message)
  expect(heard.keys).toEqual(expect.arrayContaining(['category:camping/tents', 'category:hiking/boots']))

  // Once the file can be had again, a later call loads it.
  blocked = false
  const after = await inner.evaluate(async () => {
    const palate = (window as unknown as PalateWindow).Palate.instance!
    await palate.forget('category:camping/tents')
    return palate.interests({ limit: 100 }).map((interest) => interest.key)
  })
  expect(after).not.toContain('category:camping/tents')
  expect(pageErrors).toEqual([])
})

unguarded('a write part file that does not load: onError hears it once, nothing tracked is lost, and the next write saves it', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  let blocked = true
  await page.route('**/build/palate-idbMerge.min.js', (route) => (blocked ? route.fulfill({ status: 404, body: 'not here' }) : route.continue()))
  await page.goto('/store/')
  const inner = await scriptTagFrame(page)
  const heard = await inner.evaluate(async () => {
    const seen: string[] = []
    const palate = (window as unknown as PalateWindow).Palate.init({ name: `parts-write-404-${Date.now()}`, onError: (error) => seen.push(error.message) })
    await palate.ready
    const started = palate.getSnapshot().status
    palate.track('click', { id: 'parts-write-tent', category: 'camping/tents' })
    await palate.flush()
    palate.track('click', { id: 'parts-write-boot', category: 'hiking/boots' })
    await palate.flush()
    return { started, seen, status: palate.getSnapshot().status, keys: palate.interests({ limit: 100 }).map((interest) => interest.key) }
  })
  expect(heard.started).toBe('ready')
  expect(heard.seen).toEqual([expect.stringMatching(/^\[palate\] palate-idbMerge\.min\.js could not be loaded from http:\/\/127\.0\.0\.1:\d+\/build\/palate-idbMerge\.min\.js$/)])
  // The page says its profile lives in this page only, and still ranks from all of it.
  expect(heard.status).toBe('memory')
  expect(heard.keys).toEqual(expect.arrayContaining(['category:camping/tents', 'category:hiking/boots']))

  blocked = false
  const after = await inner.evaluate(async () => {
    const palate = (window as unknown as PalateWindow).Palate.instance!
    await palate.flush()
    return { status: palate.getSnapshot().status, ids: (await palate.export()).events.map((event) => event.item.id) }
  })
  expect(after).toEqual({ status: 'ready', ids: ['parts-write-tent', 'parts-write-boot'] })
  expect(pageErrors).toEqual([])
})
