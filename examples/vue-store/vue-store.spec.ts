// The Vue store (examples/vue-store, @palate/vue): a shopper's weeks, "surprise me" and
// opt-out, as a shopper sees them. The same story as examples/store/store.spec.ts and
// examples/react-store/react-store.spec.ts.
import type { Page } from '@playwright/test'
import { bestSellers, productById } from '../catalog/catalog.js'
import {
  databases,
  departmentOf,
  expect,
  forgetFromKeyboard,
  forYou,
  gymThenHiking,
  pauseClock,
  screenshot,
  seedRandom,
  settleIndexedDb,
  test,
  visibleIds,
  DAY,
  HOUR,
  START,
  type Visit,
} from '../testing/fixtures.js'

const DB = 'palate-vue-store'
const STORE_ORDER = bestSellers.slice(0, 8).map((p) => p.id)

/**
 * One visit to a product page at `visit.at`: the view is tracked as the page renders; the shopper
 * reads it for two seconds (the write batch goes out after one) and adds it to the cart when the
 * story says so. The first visit of a day opens the store in a fresh tab (a full page load, the
 * profile read back from IndexedDB); later ones that day move within the open app.
 */
const lastDay = new WeakMap<Page, number>()
async function visitProduct(page: Page, visit: Visit, { recording = true } = {}): Promise<void> {
  const sameSession = lastDay.get(page) === visit.day && page.url().includes('/vue-store/')
  lastDay.set(page, visit.day)
  if (!sameSession) await page.goto('about:blank')
  await page.clock.pauseAt(visit.at)
  await page.goto(`/vue-store/#/p/${visit.product.id}`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(visit.product.name)
  if (visit.addToCart) {
    const cart = page.getByRole('link', { name: /^Cart/ })
    const count = Number((await cart.textContent())!.match(/\d+/)![0])
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await expect(page.getByRole('status')).toHaveText(`Added ${visit.product.name} to your cart.`)
    await expect(cart).toHaveText(`Cart (${count + 1})`)
  }
  await page.clock.runFor(2000)
  if (recording) await settleIndexedDb(page, DB)
}

/** The home page's shelf once it shows the shopper's profile (its first card is there for an interest). */
async function personalizedShelf(page: Page): Promise<string[]> {
  await expect(forYou(page).getByRole('listitem').first()).toHaveAttribute('data-reason-kind', 'interest')
  await expect(forYou(page).getByRole('listitem')).toHaveCount(8)
  return visibleIds(forYou(page))
}

async function openHome(page: Page): Promise<string[]> {
  await page.goto('/vue-store/#/')
  return personalizedShelf(page)
}

test.describe('Vue store', () => {
  test('six weeks of gym, then hiking: the "For you" shelf leads with hiking within two days', async ({ page }, testInfo) => {
    test.setTimeout(180_000)
    const { gym, hiking } = gymThenHiking({ gymDays: 42, hikingDays: 2 })
    await pauseClock(page, START)

    // A new shopper sees the store's own order: best sellers.
    await page.goto('/vue-store/')
    await expect(forYou(page).getByRole('listitem')).toHaveCount(8)
    expect(await visibleIds(forYou(page))).toEqual(STORE_ORDER)
    await expect(forYou(page).getByText('Picked by the store')).toHaveCount(8)

    for (const visit of gym) await visitProduct(page, visit)
    await expect(page.getByRole('link', { name: /^Cart/ })).toHaveText('Cart (4)')

    await page.goto('about:blank')
    let ids = await openHome(page)
    expect(departmentOf(ids[0]!), `shelf after six weeks of gym: ${ids.join(', ')}`).toBe('gym')
    await expect(forYou(page).getByRole('listitem').first()).toContainText("Because you've been looking at")
    await expect(page.getByRole('complementary', { name: 'Something new' })).toBeHidden()

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

    expect(departmentOf(ids[0]!)).toBe('hiking')
    expect(ids.map(departmentOf), 'the shelf still has room for gym').toContain('gym')
    await expect(forYou(page).getByRole('listitem').first()).toContainText("Because you've been looking at")
    // Hiking has displaced the long-time favourite: the home page welcomes the newcomer.
    const banner = page.getByRole('complementary', { name: 'Something new' })
    await expect(banner).toContainText('New to Hiking? Start here.')
    await expect(banner).toContainText('Lately more Hiking than Gym.')
    await screenshot(page, 'vue-store-home.png', testInfo, { fullPage: true })
    await banner.getByRole('link', { name: 'Shop Hiking essentials' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hiking')

    await page.getByRole('link', { name: 'Your preferences' }).first().click()
    const interests = page.getByRole('list', { name: 'Your interests' })
    await expect(interests.getByRole('listitem').first()).toHaveAttribute('data-key', 'category:hiking')
    await expect(interests.getByRole('listitem').first()).toContainText('Hiking')
    await screenshot(page, 'vue-store-preferences.png', testInfo)

    await page.goto(`/vue-store/#/p/${hiking[0]!.product.id}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(hiking[0]!.product.name)
    await screenshot(page, 'vue-store-product.png', testInfo)
  })

  test('"Surprise me" in the preferences mixes something different into the shelf, and holds after a reload', async ({ page }, testInfo) => {
    await seedRandom(page, 7)
    await pauseClock(page)
    // A shopper mostly into hiking, a little into camping.
    for (const [i, id] of ['hike-boots', 'hike-daypack', 'hike-shell', 'camp-tent'].entries()) {
      await visitProduct(page, { at: START + 9 * HOUR + i * 60_000, day: 0, product: productById(id)!, addToCart: false })
    }
    await page.goto('about:blank')
    const before = await openHome(page)
    expect(departmentOf(before[0]!)).toBe('hiking')
    await expect(forYou(page).locator('[data-reason-kind="surprise"]')).toHaveCount(0)

    await page.getByRole('link', { name: 'Your preferences' }).first().click()
    const surprise = page.getByRole('switch', { name: 'Surprise me' })
    await expect(surprise).toHaveAttribute('aria-checked', 'false')
    await surprise.click()
    await expect(surprise).toHaveAttribute('aria-checked', 'true')
    await expect(page.getByRole('status')).toHaveText('Surprise me on')

    await page.getByRole('link', { name: /^Palate Outfitters/ }).click()
    const after = await personalizedShelf(page)
    expect(after).not.toEqual(before)
    expect(departmentOf(after[0]!), 'the first slot is still the shopper’s own').toBe('hiking')
    const surprises = forYou(page).locator('[data-reason-kind="surprise"]')
    await expect(surprises.first()).toBeVisible()
    const surprised = await surprises.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-product-id')!))
    for (const id of surprised) {
      expect(['hiking', 'camping'], `surprise ${id} is outside the shopper's usual`).not.toContain(departmentOf(id))
      await expect(forYou(page).locator(`[data-product-id="${id}"] .reason`)).toHaveText(/^Something different/)
    }
    await screenshot(page, 'vue-store-surprise.png', testInfo, { fullPage: true })

    await page.reload()
    expect(await personalizedShelf(page)).toEqual(after)
    await expect(surprises).toHaveCount(surprised.length)
    await page.getByRole('link', { name: 'Your preferences' }).first().click()
    await expect(page.getByRole('switch', { name: 'Surprise me' })).toHaveAttribute('aria-checked', 'true')
  })

  test('opting out empties the preferences, puts the store’s own order back, and stays off after a reload', async ({ page }, testInfo) => {
    await pauseClock(page)
    for (const [i, id] of ['hike-boots', 'hike-poles', 'camp-tent'].entries()) {
      await visitProduct(page, { at: START + 9 * HOUR + i * 60_000, day: 0, product: productById(id)!, addToCart: false })
    }
    await page.goto('about:blank')
    expect(await openHome(page)).not.toEqual(STORE_ORDER)

    await page.getByRole('link', { name: 'Your preferences' }).first().click()
    const interests = page.getByRole('list', { name: 'Your interests' })
    await expect(interests.getByRole('listitem').first()).toBeVisible()
    await page.getByRole('button', { name: 'Turn off and delete my data' }).click()
    await expect(page.getByRole('status')).toHaveText('Personalization is off and your data was deleted')
    await expect(page.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
    await expect(interests).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Turn personalization on' })).toBeVisible()
    // Only the way back in: no switch that does nothing, no download of nothing.
    await expect(page.getByRole('switch', { name: 'Surprise me' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Download my data' })).toHaveCount(0)
    await screenshot(page, 'vue-store-opted-out.png', testInfo)
    expect(await databases(page)).not.toContain(DB)
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([`palate:${DB}:consent`])

    await page.getByRole('link', { name: /^Palate Outfitters/ }).click()
    await expect(forYou(page).getByRole('listitem')).toHaveCount(8)
    expect(await visibleIds(forYou(page))).toEqual(STORE_ORDER)
    await expect(forYou(page).locator('[data-reason-kind="interest"]')).toHaveCount(0)

    // Still off after a reload, and browsing records nothing.
    await visitProduct(page, { at: START + 10 * HOUR, day: 0, product: productById('surf-foamie')!, addToCart: true }, { recording: false })
    await page.goto('about:blank')
    await page.goto('/vue-store/#/preferences')
    await expect(page.getByText('Personalization is off. Nothing is recorded.')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Turn personalization on' })).toBeVisible()
    await page.getByRole('link', { name: /^Palate Outfitters/ }).click()
    await expect(forYou(page).getByRole('listitem')).toHaveCount(8)
    expect(await visibleIds(forYou(page))).toEqual(STORE_ORDER)
    expect(await databases(page)).not.toContain(DB)
  })
  test('forgetting an interest from the keyboard keeps focus in the list, on the row that took its place', async ({ page }) => {
    await forgetFromKeyboard(page, 'vue-store')
  })
})
