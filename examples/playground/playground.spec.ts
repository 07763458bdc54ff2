import { expect, test } from '@playwright/test'

test.describe('engine playground', () => {
  test('views and carts become interests that lead the shelf, and survive a reload', async ({ page }) => {
    await page.goto('/playground/')
    await expect(page.locator('#status')).toHaveText('ready')
    // With nothing learned yet, the shelf is the catalog's own order.
    await expect(page.locator('#shelf li').first()).toHaveAttribute('data-id', 'gym-dumbbells')

    const hiking = page.locator('li.product[data-id="hike-daypack"]')
    for (let i = 0; i < 3; i++) await hiking.getByRole('button', { name: 'View' }).click()
    await hiking.getByRole('button', { name: 'Add to cart' }).click()

    await expect(page.locator('#interests li').first()).toHaveAttribute('data-key', /^category:hiking/)
    await expect(page.locator('#shelf li').first()).toHaveAttribute('data-id', /^hike-/)
    await expect(page.locator('#shelf li').first()).toContainText("Because you've been looking at")

    await page.reload()
    await expect(page.locator('#status')).toHaveText('ready')
    await expect(page.locator('#interests li').first()).toHaveAttribute('data-key', /^category:hiking/)
  })

  test('events tracked just before leaving the page are not lost', async ({ page }) => {
    await page.goto('/playground/')
    await expect(page.locator('#status')).toHaveText('ready')
    // Track and navigate away at once: only the pagehide flush can save these.
    await page.evaluate(() => {
      const palate = (window as unknown as { palate: { track(type: string, item: object): void } }).palate
      for (let i = 0; i < 5; i++) palate.track('view', { id: `surf-${i}`, category: 'surf/boards' })
    })
    await page.goto('/')
    await page.goto('/playground/')
    await expect(page.locator('#status')).toHaveText('ready')
    const events = await page.evaluate(async () => {
      const palate = (window as unknown as { palate: { export(): Promise<{ events: { item: { category?: string } }[] }> } }).palate
      return (await palate.export()).events.filter((e) => e.item.category === 'surf/boards').length
    })
    expect(events).toBe(5)
  })
})
