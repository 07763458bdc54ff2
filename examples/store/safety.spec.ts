// The script-tag store under hostile or broken data, and what it asks of the network: nothing.
// Every test here also runs under the fixtures' guard: no CSP violation, page error, console error,
// dialog or request to another origin.
import type { Page } from '@playwright/test'
import { products } from '../catalog/catalog.js'
import { dwell, expect, forYou, HOSTILE_BRAND, HOSTILE_NAME, pauseClock, test, visibleIds, withHostileProduct, type PalateWindow } from '../testing/fixtures.js'

/** Waits until Palate has ranked the shelf: `n` visible cards say why they are there. */
async function ranked(page: Page, n = 8): Promise<void> {
  await expect(forYou(page).locator(':scope > li:visible[data-palate-reason]')).toHaveCount(n)
}

test('a card with malformed data-palate-item JSON is reported once, with the element, and the rest of the page keeps working', async ({ page, guard }) => {
  guard.allowWarning(/^\[palate\] ignored data-palate-item: /)
  const broken = () => guard.warnings.filter((w) => w.text().startsWith('[palate] ignored data-palate-item: '))
  await pauseClock(page)
  // The home page as a broken CMS template could serve it: one card's JSON cut short, first on the shelf.
  await page.route('**/store/', async (route) => {
    const response = await route.fetch()
    const html = (await response.text()).replace(
      'data-palate-rank data-palate-limit="8"></ol>',
      `data-palate-rank data-palate-limit="8"><li class="card" data-product-id="broken" data-palate-item='{"id": "broken", "category": "hiking/boots"'><a class="name" href="#broken">Broken card</a><div class="actions"><button type="button" data-palate-event="add_to_cart">Add to cart</button></div></li></ol>`,
    )
    await route.fulfill({ response, body: html })
  })

  await page.goto('/store/')
  // The seven real cards around it are ranked; the broken one keeps its place, unmarked.
  await ranked(page, 7)
  const brokenCard = forYou(page).locator('[data-product-id="broken"]')
  await expect(brokenCard).toBeVisible()
  await expect(brokenCard).not.toHaveAttribute('data-palate-reason')
  await expect.poll(() => broken().length).toBe(1)
  const warning = broken()[0]!
  expect(warning.text()).toMatch(/JSON/)
  expect(await warning.args()[1]!.evaluate((element) => (element as Element).getAttribute('data-product-id'))).toBe('broken')

  // The shopper looks at the shelf (which teaches nothing), clicks a real card, then the broken
  // card's button and the card itself: the real card is tracked, the broken one is ignored, and
  // it is not reported again.
  const real = forYou(page).locator(':scope > li[data-palate-reason]').first()
  await dwell(page, real)
  await real.locator('.meta').click()
  await brokenCard.getByRole('button', { name: 'Add to cart' }).click()
  await brokenCard.getByRole('link', { name: 'Broken card' }).click()
  await page.evaluate(() => (window as unknown as PalateWindow).Palate.flush())
  const tracked = await page.evaluate(async () => (await (window as unknown as PalateWindow).Palate.export()).events.map((e) => `${e.type} ${e.item.id}`))
  expect(tracked, 'the click on the real card, nothing else').toEqual([`click ${await real.getAttribute('data-product-id')}`])
  expect(broken()).toHaveLength(1)

  await page.getByText('Your preferences', { exact: true }).click()
  await expect(page.locator('palate-preferences').getByRole('listitem').first()).toBeVisible()

  // Next page load: the shelf is personalized from that click, the broken card still sits
  // harmlessly in its place, and it is reported once for this page.
  await page.reload()
  await ranked(page, 7)
  await expect(forYou(page).locator(':scope > li:visible[data-palate-reason-kind="interest"]').first()).toBeVisible()
  await expect(brokenCard).toBeVisible()
  await expect.poll(() => broken().length).toBe(2)
})

test('hostile product data is shown as text and never runs', async ({ page, context }) => {
  const paths: string[] = []
  context.on('request', (request) => paths.push(new URL(request.url()).pathname))
  await pauseClock(page)
  // The catalog as a compromised product feed would send it: markup in a name and a brand.
  await page.route('**/catalog/catalog.js', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: withHostileProduct(await response.text(), 'run-road') })
  })

  await page.goto('/store/')
  await ranked(page)
  const card = forYou(page).locator('[data-product-id="run-road"]')
  await expect(card.getByRole('link', { name: HOSTILE_NAME, exact: true })).toBeVisible()
  await expect(card).toContainText(HOSTILE_BRAND)

  await card.getByRole('link', { name: HOSTILE_NAME, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE_NAME)
  await expect(page).toHaveTitle(`${HOSTILE_NAME} · Palate Outfitters`)
  await expect(page.getByRole('article')).toContainText(`by ${HOSTILE_BRAND}`)
  await dwell(page, page.getByRole('article'))
  await page.getByRole('button', { name: 'Add to cart' }).click()
  await expect(page.getByRole('status')).toHaveText(`Added ${HOSTILE_NAME} to your cart.`)

  // The panel lists the brand among the interests, as text.
  await page.getByText('Your preferences', { exact: true }).click()
  const label = await page.evaluate((brand) => (window as unknown as PalateWindow).Palate.labelOf(`brand:${brand.toLowerCase()}`), HOSTILE_BRAND)
  await expect(page.locator('palate-preferences').getByText(label, { exact: true })).toBeVisible()

  await page.getByRole('link', { name: /^Cart/ }).click()
  await expect(page.getByRole('list', { name: 'Items in your cart' }).getByRole('link', { name: HOSTILE_NAME, exact: true })).toBeVisible()

  // No element was made from the data (the panel's shadow DOM included), nothing asked for "x".
  await expect(page.locator('img[src="x"], svg[onload], [onerror], [onload]')).toHaveCount(0)
  expect(paths.filter((path) => path.endsWith('/x'))).toEqual([])
})

test('a whole visit makes no request but for the store’s own files', async ({ page, context, baseURL }) => {
  test.setTimeout(60_000)
  const requests: { method: string; url: string }[] = []
  await context.route('**/*', (route) => {
    requests.push({ method: route.request().method(), url: route.request().url() })
    return route.continue()
  })
  await pauseClock(page)

  await page.goto('/')
  await page.getByRole('link', { name: 'Script-tag store' }).click()
  await ranked(page)
  await page.getByRole('navigation', { name: 'Departments' }).getByRole('link', { name: 'Hiking' }).click()
  const list = page.getByRole('list', { name: 'Hiking' })
  await expect(list.locator(':scope > li[data-palate-reason]')).toHaveCount(products.filter((p) => p.category.startsWith('hiking/')).length)
  await list.getByRole('button', { name: 'Add Trail daypack 24 L to cart' }).click()
  await list.getByRole('link', { name: 'Waterproof hiking boots' }).click()
  await dwell(page, page.getByRole('article'))
  await page.getByRole('button', { name: 'Add to cart' }).click()
  await page.getByRole('button', { name: 'Buy now' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you! Your order for Waterproof hiking boots is placed.')

  await page.getByRole('link', { name: 'Cart (2)' }).click()
  await expect(page.getByRole('list', { name: 'Items in your cart' }).getByRole('listitem')).toHaveCount(2)
  await page.getByRole('button', { name: 'Place order' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you! Your order is placed.')
  await expect(page.getByRole('link', { name: 'Cart (0)' })).toBeVisible()

  await page.getByRole('link', { name: 'Palate Outfitters' }).click()
  await ranked(page)
  expect((await visibleIds(forYou(page)))[0]).toMatch(/^hike-/)
  await page.getByText('Your preferences', { exact: true }).click()
  const panel = page.locator('palate-preferences')
  await panel.getByRole('switch', { name: 'Surprise me' }).click()
  await expect(forYou(page).locator('[data-palate-surprise]').first()).toBeVisible()
  await panel.getByRole('button', { name: /^Forget / }).first().click()
  await expect(panel.getByRole('status')).toHaveText(/^Forgot /)
  await panel.getByRole('button', { name: 'Turn off and delete my data' }).click()
  await expect(panel.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
  await page.reload()
  await ranked(page)

  // Every request went to this origin, for the files the pages are made of (the script tag's own
  // files next to it among them: the panel, the parts the panel's buttons needed), and only to read them.
  const origin = new URL(baseURL!).origin
  const files = /^\/(|store\/|store\/(category|product|cart)\.html|store\/store\.js|catalog\/catalog\.js|build\/palate(-[a-zA-Z]+)?\.min\.js|assets\/(style|store)\.css|assets\/favicon\.svg|assets\/icons\/[a-z]+\.svg)$/
  expect(requests.length).toBeGreaterThan(10)
  for (const { method, url } of requests) {
    expect(new URL(url).origin, url).toBe(origin)
    expect(new URL(url).pathname, url).toMatch(files)
    expect(method, url).toBe('GET')
  }
})
