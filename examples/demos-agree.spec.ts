// The three demo stores are the same shop: the same journey through each records the same events.
// The script-tag store learns through data attributes, the React and Vue stores through useTrack;
// what each stored is read back with export().
import type { Page } from '@playwright/test'
import { bestSellers } from './catalog/catalog.js'
import { expect, forYou, test } from './testing/fixtures.js'

type Recorded = string[]

interface Store {
  name: string
  home: string
  product: (id: string) => string
  category: (id: string) => string
  cart: string
  /** The page's instance: window.Palate in the script-tag store, window.palate in the React and Vue ones. */
  recorded: (page: Page) => Promise<Recorded>
}

const recorded = (global: 'Palate' | 'palate') => (page: Page) =>
  page.evaluate(async (global) => {
    const palate = (window as unknown as Record<string, { flush(): Promise<void>; export(): Promise<{ events: { type: string; item: { id: string } }[] }> }>)[global]!
    await palate.flush()
    return (await palate.export()).events.map((e) => `${e.type} ${e.item.id}`)
  }, global)

/** A single-page store with hash routes under `base` (the React and Vue demos), its instance on `window.palate`. */
const hashRoutedStore = (name: string, base: string): Store => ({
  name,
  home: `${base}#/`,
  product: (id) => `${base}#/p/${id}`,
  category: (id) => `${base}#/c/${id}`,
  cart: `${base}#/cart`,
  recorded: recorded('palate'),
})

const stores: Store[] = [
  {
    name: 'script-tag store',
    home: '/store/',
    product: (id) => `/store/product.html?id=${id}`,
    category: (id) => `/store/category.html?c=${id}`,
    cart: '/store/cart.html',
    recorded: recorded('Palate'),
  },
  hashRoutedStore('React store', '/react-store/'),
  hashRoutedStore('Vue store', '/vue-store/'),
]

/**
 * Home; a look at the shelf; a card's name clicked; the product page read and carted; a
 * department: a card carted, one not wanted, one opened; back to the first product (not a second
 * view); the cart bought.
 */
async function journey(page: Page, store: Store): Promise<Recorded> {
  const first = bestSellers[0]!
  await page.goto(store.home)
  const shelf = forYou(page)
  await expect(shelf.locator(':scope > li:visible')).toHaveCount(8)
  await page.waitForTimeout(1500)
  await shelf.locator(`[data-product-id="${first.id}"]`).getByRole('link', { name: first.name }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name)
  await page.getByRole('button', { name: 'Add to cart' }).click()
  await expect(page.getByRole('status')).toHaveText(`Added ${first.name} to your cart.`)

  await page.goto(store.category('hiking'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hiking')
  await page.getByRole('button', { name: 'Add Waterproof hiking boots to cart' }).click()
  await page.getByRole('button', { name: 'Not interested in Merino hiking socks (2 pairs)' }).click()
  await page.getByRole('link', { name: 'Trail daypack 24 L' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trail daypack 24 L')
  await page.waitForTimeout(1500)
  // Back to the first product, by its link in the department: a click, and no second view.
  await page.goto(store.category(first.category.split('/')[0]!))
  await page.getByRole('link', { name: first.name }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.name)
  await page.waitForTimeout(1500)

  await page.goto(store.cart)
  await page.getByRole('button', { name: 'Place order' }).click()
  await expect(page.getByRole('status')).toHaveText('Thank you! Your order is placed.')
  return store.recorded(page)
}

test('the script-tag, React and Vue stores record the same events for the same journey', async ({ browser }) => {
  test.setTimeout(90_000)
  const results: Recorded[] = []
  for (const store of stores) {
    // A fresh browser profile each: separate databases, carts and visits.
    const context = await browser.newContext()
    const page = await context.newPage()
    results.push(await journey(page, store))
    await context.close()
  }
  const [script, react, vue] = results
  expect(script).toEqual([
    `click ${bestSellers[0]!.id}`,
    `view ${bestSellers[0]!.id}`,
    `add_to_cart ${bestSellers[0]!.id}`,
    'add_to_cart hike-boots',
    'dismiss hike-socks',
    'click hike-daypack',
    'view hike-daypack',
    `click ${bestSellers[0]!.id}`,
    `purchase ${bestSellers[0]!.id}`,
    'purchase hike-boots',
  ])
  expect(react).toEqual(script)
  expect(vue).toEqual(script)
})
