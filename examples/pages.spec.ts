// Every demo page, opened the way a developer does after `npm start`: no console error, no failed
// request (a 404 favicon included), an icon of its own, and nothing left as a bare heading over an
// empty list. The guard of testing/fixtures.ts fails the test on console errors, page errors and
// CSP violations; this adds every request that fails or answers 400 or more.
import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './testing/fixtures.js'

const examples = fileURLToPath(new URL('.', import.meta.url))

/** Each page, by the address it is reached at (a store page needs its query to show something). */
const PAGES = [
  '/',
  '/store/',
  '/store/category.html?c=hiking',
  '/store/product.html?id=hike-boots',
  '/store/cart.html',
  '/react-store/',
  '/react-store/#/c/hiking',
  '/react-store/#/p/hike-boots',
  '/react-store/#/cart',
  '/react-store/#/preferences',
  '/vue-store/',
  '/vue-store/#/c/hiking',
  '/vue-store/#/p/hike-boots',
  '/vue-store/#/cart',
  '/vue-store/#/preferences',
  '/playground/',
  '/playground/decay.html',
  '/bench/',
  '/testing/nested/',
  '/testing/sandbox/host.html',
  '/testing/sandbox/frame.html',
]

/** Every HTML file under examples/ but the build output, as the server maps it to an address. */
function htmlFiles(dir = examples): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'build' || name === 'node_modules' ? [] : htmlFiles(path)
    if (!name.endsWith('.html')) return []
    const url = '/' + relative(examples, path).split(sep).join('/')
    return [url.replace(/(^|\/)index\.html$/, '$1')]
  })
}

test('the tour covers every HTML page of the demos', () => {
  const visited = new Set(PAGES.map((page) => page.split(/[?#]/)[0]))
  expect(htmlFiles().filter((file) => !visited.has(file))).toEqual([])
})

for (const path of PAGES) {
  test(`${path} loads with no console error and no failed request`, async ({ page, guard }) => {
    // The nested-cards page holds one misconfigured column on purpose, to show its warning.
    if (path === '/testing/nested/') guard.allowWarning(/holds 2 items/)
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`))
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`)
    })
    await page.goto(path)
    await page.waitForLoadState('networkidle')
    // Without an icon of its own, the browser asks for /favicon.ico and logs the 404.
    const icon = page.locator('link[rel="icon"]')
    await expect(icon).toHaveAttribute('href', '/assets/favicon.svg')
    const served = await page.request.get('/assets/favicon.svg')
    expect(served.status()).toBe(200)
    expect(served.headers()['content-type']).toBe('image/svg+xml')
    expect(failed).toEqual([])
  })
}

test('no demo page scrolls sideways on a phone (375 px wide)', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 })
  const wide: string[] = []
  for (const path of PAGES.filter((p) => !p.startsWith('/testing/') && p !== '/bench/')) {
    await page.goto(path)
    await page.waitForLoadState('networkidle')
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
    if (scroll > client) wide.push(`${path}: ${scroll} px wide`)
  }
  expect(wide).toEqual([])
})

test('the playground says why its lists are empty, and uses the stores’ 70-product catalog', async ({ page }) => {
  await page.goto('/playground/')
  await expect(page.locator('#status')).toHaveText('ready')
  await expect(page.locator('li.product')).toHaveCount(70)
  await expect(page.locator('#interests li')).toHaveCount(0)
  await expect(page.locator('#interests-empty')).toBeVisible()
  await expect(page.locator('#interests-empty')).toContainText('Nothing learned yet')

  for (let i = 0; i < 2; i++) await page.locator('li.product[data-id="surf-foamie"]').getByRole('button', { name: 'View' }).click()
  await expect(page.locator('#interests li').first()).toHaveAttribute('data-key', /^category:surf/)
  await expect(page.locator('#interests-empty')).toBeHidden()

  await page.evaluate(() => (window as unknown as { palate: { optOut(): Promise<void> } }).palate.optOut())
  await expect(page.locator('#interests-empty')).toHaveText('Personalization is off: nothing is learned or stored.')
})
