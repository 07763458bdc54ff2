// The script-tag store (examples/store): a shopper's weeks, "surprise me" and opt-out, as a shopper sees them.
import type { Page } from '@playwright/test'
import { bestSellers, productById } from '../catalog/catalog.js'
import {
  departmentOf,
  dwell,
  expect,
  forYou,
  gymThenHiking,
  pauseClock,
  screenshot,
  seedRandom,
  test,
  visibleIds,
  DAY,
  HOUR,
  START,
  type Visit,
  type PalateWindow,
} from '../testing/fixtures.js'

const STORE_ORDER = bestSellers.slice(0, 8).map((p) => p.id)

/**
 * One visit to a product page at `visit.at`: the shopper opens it from a bookmark, looks at it
 * for two seconds (the view counts after one), and adds it to the cart when the story says so.
 * While the clock jumps to the next visit, no page with unviewed cards is open (it would collect
 * views all that time): the shopper closed it. A product page already viewed may stay open.
 */
async function visitProduct(page: Page, visit: Visit): Promise<void> {
  if (!page.url().includes('/store/product.html')) await page.goto('about:blank')
  await page.clock.pauseAt(visit.at)
  await page.goto(`/store/product.html?id=${visit.product.id}`)
  const product = page.getByRole('article')
  await expect(product.getByRole('heading', { level: 1 })).toHaveText(visit.product.name)
  await dwell(page, product)
  if (visit.addToCart) {
    const count = Number(await page.locator('#cart-count').textContent())
    await product.getByRole('button', { name: 'Add to cart' }).click()
    await expect(page.getByRole('status')).toHaveText(`Added ${visit.product.name} to your cart.`)
    await expect(page.getByRole('link', { name: /^Cart/ })).toHaveText(`Cart (${count + 1})`)
  }
  // What the tab would write as it closes, written now: the test then never races the unload.
  await page.evaluate(() => (window as unknown as PalateWindow).Palate.flush())
}

/** The home page, once Palate has ranked the shelf. */
async function openHome(page: Page): Promise<string[]> {
  await page.goto('/store/')
  return rankedShelf(page)
}

/** The visible cards of the shelf once Palate has ranked it (every one of them says why it is there). */
async function rankedShelf(page: Page): Promise<string[]> {
  const shelf = forYou(page)
  await expect(shelf.locator(':scope > li:visible')).toHaveCount(8)
  await expect(shelf.locator(':scope > li:visible:not([data-palate-reason])')).toHaveCount(0)
  return visibleIds(shelf)
}

async function openPreferences(page: Page) {
  await page.getByText('Your preferences', { exact: true }).click()
  const panel = page.locator('palate-preferences')
  await expect(panel.getByRole('heading', { name: 'Your interests' })).toBeVisible()
  return panel
}

test.describe('script-tag store', () => {
  test('six weeks of gym, then hiking: the "For you" shelf leads with hiking within two days', async ({ page }, testInfo) => {
    test.setTimeout(180_000)
    const { gym, hiking } = gymThenHiking({ gymDays: 42, hikingDays: 2 })
    await pauseClock(page, START)

    // A new shopper sees the store's own order: best sellers.
    expect(await openHome(page)).toEqual(STORE_ORDER)

    for (const visit of gym) await visitProduct(page, visit)
    await expect(page.getByRole('link', { name: /^Cart/ })).toHaveText('Cart (4)')

    await page.goto('about:blank')
    let ids = await openHome(page)
    expect(departmentOf(ids[0]!), `shelf after six weeks of gym: ${ids.join(', ')}`).toBe('gym')
    await expect(forYou(page).locator(':scope > li').first()).toHaveAttribute('data-palate-reason', /^Because you've been looking at /)
    await expect(page.getByRole('complementary', { name: 'Something new' })).toBeHidden()

    // Hiking now, three product pages a day; the shopper checks the home page after each.
    let ledAt: Visit | null = null
    for (const visit of hiking) {
      await visitProduct(page, visit)
      await page.goto('about:blank')
      ids = await openHome(page)
      if (!ledAt && departmentOf(ids[0]!) === 'hiking') ledAt = visit
    }
    expect(ledAt, `hiking never led the shelf; last shelf: ${ids.join(', ')}`).not.toBeNull()
    const firstHiking = hiking[0]!.at
    expect(ledAt!.at - firstHiking, 'time from the first hiking view until hiking leads').toBeLessThanOrEqual(2 * DAY)
    testInfo.annotations.push({ type: 'hiking leads after', description: `${((ledAt!.at - firstHiking) / HOUR).toFixed(0)} h, ${hiking.indexOf(ledAt!) + 1} hiking views` })

    // Where the shopper is now: hiking leads the shelf and the interests, and the store says so.
    expect(departmentOf(ids[0]!)).toBe('hiking')
    expect(ids.map(departmentOf), 'the shelf still has room for gym').toContain('gym')
    // Hiking has displaced the long-time favourite: the home page welcomes the newcomer.
    const banner = page.getByRole('complementary', { name: 'Something new' })
    await expect(banner).toContainText('New to Hiking? Start here.')
    await expect(banner).toContainText('Lately more Hiking than Gym.')
    await screenshot(page, 'store-home.png', testInfo, { fullPage: true })
    await banner.getByRole('link', { name: 'Shop Hiking essentials' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hiking')

    const panel = await openPreferences(page)
    await expect(panel.getByRole('list', { name: 'Categories' }).locator(':scope > li').first().locator(':scope > [part~="label"]')).toHaveText('Hiking')
    expect(await page.evaluate(() => (window as unknown as PalateWindow).Palate.interests({ dimension: 'category' })[0]?.key)).toBe('category:hiking')
    await screenshot(page, 'store-preferences.png', testInfo, { fullPage: true })

    await page.goto(`/store/product.html?id=${hiking[0]!.product.id}`)
    await screenshot(page, 'store-product.png', testInfo)
  })

  test('"Surprise me" in the panel mixes something different into the shelf, and holds after a reload', async ({ page }, testInfo) => {
    await seedRandom(page, 7)
    await pauseClock(page)
    // A shopper mostly into hiking, a little into camping.
    for (const [i, id] of ['hike-boots', 'hike-daypack', 'hike-shell', 'camp-tent'].entries()) {
      await visitProduct(page, { at: START + 9 * HOUR + i * 60_000, day: 0, product: productById(id)!, addToCart: false })
    }
    await page.goto('about:blank')
    const before = await openHome(page)
    expect(departmentOf(before[0]!)).toBe('hiking')
    await expect(forYou(page).locator('[data-palate-surprise]')).toHaveCount(0)

    const panel = await openPreferences(page)
    const surprise = panel.getByRole('switch', { name: 'Surprise me' })
    await expect(surprise).toHaveAttribute('aria-checked', 'false')
    await surprise.click()
    await expect(surprise).toHaveAttribute('aria-checked', 'true')
    await expect(panel.getByRole('status')).toHaveText('Surprise me on')

    // The shelf changes at once: some slots now hold things from outside the shopper's usual.
    const shelf = forYou(page)
    const surprises = shelf.locator(':scope > li:visible[data-palate-surprise]')
    await expect(surprises.first()).toBeVisible()
    const surprised = await surprises.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-product-id')!))
    for (const id of surprised) {
      expect(['hiking', 'camping'], `surprise ${id} is outside the shopper's usual`).not.toContain(departmentOf(id))
      await expect(shelf.locator(`[data-product-id="${id}"]`)).toHaveAttribute('data-palate-reason', /^Something different/)
    }
    const after = await visibleIds(shelf)
    expect(after).not.toEqual(before)
    expect(departmentOf(after[0]!), 'the first slot is still the shopper’s own').toBe('hiking')
    await screenshot(page, 'store-surprise.png', testInfo, { fullPage: true })

    // The choice is the shopper's, and it sticks: same switch, same surprises after a reload.
    await page.reload()
    expect(await rankedShelf(page)).toEqual(after)
    await expect(shelf.locator(':scope > li:visible[data-palate-surprise]')).toHaveCount(surprised.length)
    const reopened = await openPreferences(page)
    await expect(reopened.getByRole('switch', { name: 'Surprise me' })).toHaveAttribute('aria-checked', 'true')
  })

  test('opting out in the panel empties it, puts the store’s own order back, and stays off after a reload', async ({ page }, testInfo) => {
    await pauseClock(page)
    for (const [i, id] of ['hike-boots', 'hike-poles', 'camp-tent'].entries()) {
      await visitProduct(page, { at: START + 9 * HOUR + i * 60_000, day: 0, product: productById(id)!, addToCart: false })
    }
    await page.goto('about:blank')
    expect(await openHome(page)).not.toEqual(STORE_ORDER)

    const panel = await openPreferences(page)
    await expect(panel.getByRole('listitem').first()).toBeVisible()
    await panel.getByRole('button', { name: 'Turn off and delete my data' }).click()
    await expect(panel.getByRole('status')).toHaveText('Personalization is off and your data was deleted')
    await expect(panel.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
    await expect(panel.getByRole('listitem')).toHaveCount(0)
    await expect(panel.getByRole('button', { name: 'Turn personalization on' })).toBeVisible()
    // The shelf goes back to the store's order at once, with nothing personal about it.
    await expect.poll(() => visibleIds(forYou(page))).toEqual(STORE_ORDER)
    await expect(forYou(page).locator('[data-palate-reason-kind="interest"]')).toHaveCount(0)
    await screenshot(page, 'store-opted-out.png', testInfo)

    // Nothing of the profile is left in the browser but the choice itself.
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).not.toContain('palate-store')
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['palate:palate-store:consent'])

    // Still off after a reload, and browsing records nothing.
    await visitProduct(page, { at: START + 10 * HOUR, day: 0, product: productById('surf-foamie')!, addToCart: true })
    await page.goto('about:blank')
    expect(await openHome(page)).toEqual(STORE_ORDER)
    const reopened = await openPreferences(page)
    await expect(reopened.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
    await expect(reopened.getByRole('listitem')).toHaveCount(0)
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name))).not.toContain('palate-store')
  })
  test('the preferences drawer closes with Escape from inside the panel, and focus goes back to its summary', async ({ page }) => {
    await openHome(page)
    const panel = await openPreferences(page)
    await panel.getByRole('switch').focus()
    await page.keyboard.press('Escape')
    await expect(page.locator('#preferences')).not.toHaveAttribute('open', '')
    await expect(page.locator('#preferences > summary')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.locator('#preferences')).toHaveAttribute('open', '')
  })
})
