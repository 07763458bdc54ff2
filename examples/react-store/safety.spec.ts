// The React store under hostile data, and what it asks of the network: nothing. Every test here
// also runs under the fixtures' guard: no CSP violation, page error, console error, dialog or
// request to another origin.
import { products } from '../catalog/catalog.js'
import { expect, forYou, HOSTILE_BRAND, HOSTILE_NAME, pauseClock, test, visibleIds, withHostileProduct } from '../testing/fixtures.js'

test('hostile product data is shown as text and never runs', async ({ page, context }) => {
  const paths: string[] = []
  context.on('request', (request) => paths.push(new URL(request.url()).pathname))
  await pauseClock(page)
  // The bundle's catalog as a compromised product feed would have it: markup in a name and a brand.
  await page.route('**/build/react-store.js', async (route) => {
    const response = await route.fetch()
    await route.fulfill({ response, body: withHostileProduct(await response.text(), 'run-road') })
  })

  await page.goto('/react-store/')
  const card = forYou(page).locator('[data-product-id="run-road"]')
  await expect(card.getByRole('link', { name: HOSTILE_NAME, exact: true })).toBeVisible()
  await expect(card).toContainText(HOSTILE_BRAND)

  await card.getByRole('link', { name: HOSTILE_NAME, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE_NAME)
  await expect(page).toHaveTitle(`${HOSTILE_NAME} · Palate Outfitters`)
  await expect(page.getByRole('article')).toContainText(`by ${HOSTILE_BRAND}`)
  await page.getByRole('button', { name: 'Add to cart' }).click()
  await expect(page.getByRole('status')).toHaveText(`Added ${HOSTILE_NAME} to your cart.`)
  await page.clock.runFor(2000)

  // The preferences list the brand among the interests, as text.
  await page.getByRole('link', { name: 'Your preferences' }).click()
  const brand = page.getByRole('list', { name: 'Brands' }).locator(`[data-key="brand:${HOSTILE_BRAND.toLowerCase().replace(/"/g, '\\"')}"]`)
  await expect(brand.locator('.label')).toHaveText('"><svg Onload=alert(2)>')

  await page.getByRole('link', { name: /^Cart/ }).click()
  await expect(page.getByRole('list', { name: 'Items in your cart' }).getByRole('link', { name: HOSTILE_NAME, exact: true })).toBeVisible()

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
  await page.getByRole('link', { name: 'React store' }).click()
  await expect(forYou(page).getByRole('listitem')).toHaveCount(8)
  await page.getByRole('navigation', { name: 'Departments' }).getByRole('link', { name: 'Hiking' }).click()
  const list = page.getByRole('list', { name: 'Hiking' })
  await expect(list.getByRole('listitem')).toHaveCount(products.filter((p) => p.category.startsWith('hiking/')).length)
  await list.getByRole('button', { name: 'Add Trail daypack 24 L to cart' }).click()
  await list.getByRole('link', { name: 'Waterproof hiking boots' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Waterproof hiking boots')
  await page.getByRole('button', { name: 'Add to cart' }).click()
  await page.getByRole('button', { name: 'Buy now' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you! Your order for Waterproof hiking boots is placed.')
  await page.clock.runFor(2000)

  await page.getByRole('link', { name: 'Cart (2)' }).click()
  await expect(page.getByRole('list', { name: 'Items in your cart' }).getByRole('listitem')).toHaveCount(2)
  await page.getByRole('button', { name: 'Place order' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you! Your order is placed.')
  await expect(page.getByRole('link', { name: 'Cart (0)' })).toBeVisible()

  await page.getByRole('link', { name: /^Palate Outfitters/ }).click()
  await expect(forYou(page).getByRole('listitem').first()).toHaveAttribute('data-reason-kind', 'interest')
  expect((await visibleIds(forYou(page)))[0]).toMatch(/^hike-/)
  await page.getByRole('link', { name: 'Your preferences' }).first().click()
  await page.getByRole('switch', { name: 'Surprise me' }).click()
  await expect(page.getByRole('switch', { name: 'Surprise me' })).toHaveAttribute('aria-checked', 'true')
  await page.getByRole('button', { name: /^Forget / }).first().click()
  await expect(page.getByRole('status')).toHaveText(/^Forgot /)
  await page.getByRole('button', { name: 'Turn off and delete my data' }).click()
  await expect(page.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
  await page.reload()
  await expect(page.getByRole('button', { name: 'Turn personalization on' })).toBeVisible()

  // Every request went to this origin, for the files the app is made of, and only to read them.
  const origin = new URL(baseURL!).origin
  const files = /^\/(|react-store\/|build\/react-store\.js|assets\/(style|store)\.css|assets\/favicon\.svg|assets\/icons\/[a-z]+\.svg)$/
  expect(requests.length).toBeGreaterThan(5)
  for (const { method, url } of requests) {
    expect(new URL(url).origin, url).toBe(origin)
    expect(new URL(url).pathname, url).toMatch(files)
    expect(method, url).toBe('GET')
  }
})
