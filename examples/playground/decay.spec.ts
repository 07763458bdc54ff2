// The playground's "Watch it decay" view: a clock moved by a day, a week or a month, and the
// shares it charts, for each preset shopper.
import type { Page } from '@playwright/test'
import { docScreenshot, expect, test } from '../testing/fixtures.js'

/** Today's departments, strongest first, with their percent. */
async function today(page: Page): Promise<[string, number][]> {
  return page.locator('#today > li').evaluateAll((lis) => lis.map((li) => [li.dataset.department!, Number.parseInt(li.querySelector('.share')!.textContent!)] as [string, number]))
}

const move = (page: Page, by: '+1 day' | '+1 week' | '+1 month') => page.getByRole('button', { name: by, exact: true }).click()
const day = (page: Page) => page.evaluate(() => (window as unknown as { decay: { day: number } }).decay.day)

test.describe('watch it decay', () => {
  test('gym → hiking: a day at a time, hiking overtakes gym within three days, and the chart draws both', async ({ page }, testInfo) => {
    await page.goto('/playground/decay.html')
    await expect(page.getByRole('radio', { name: 'Gym → hiking' })).toBeChecked()
    await expect(page.locator('#now')).toHaveText(/^Day 41 · /)
    expect((await today(page))[0]![0]).toBe('gym')
    await expect(page.locator('#shift')).toHaveText(/^No shift/)
    let led = 0
    for (let i = 1; i <= 3 && !led; i++) {
      await move(page, '+1 day')
      await expect(page.locator('#now')).toHaveText(new RegExp(`^Day ${41 + i} · `))
      if ((await today(page))[0]![0] === 'hiking') led = i
    }
    expect(led, 'days of hiking until it leads').toBeGreaterThan(0)
    await expect(page.locator('#shift')).toHaveText('Shift: Hiking has displaced Gym, the cue for “New to Hiking? Start here”.')
    await expect(page.locator('#chart polyline')).toHaveCount(2)
    await expect(page.locator('#chart-desc')).toHaveText(/^Day 4\d: Hiking \d+%, Gym \d+%\.$/)
    const shares = (await today(page)).map(([, p]) => p)
    expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(99)
    await move(page, '+1 day')
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 1000 })
      await expect(page.locator('#chart')).toHaveAttribute('viewBox', width === 375 ? /^0 0 3\d\d / : /^0 0 [67]\d\d /)
      await docScreenshot(page.locator('main'), `decay-${width}.png`, testInfo)
    }
  })

  test('six months away: time alone never reorders interests', async ({ page }) => {
    await page.goto('/playground/decay.html')
    await page.getByRole('radio', { name: 'Six months away' }).check()
    await expect(page.locator('#now')).toHaveText(/^Day 30 · /)
    const before = (await today(page)).map(([id]) => id)
    expect(before).toEqual(['hiking', 'camping'])
    for (let month = 1; month <= 6; month++) {
      await move(page, '+1 month')
      expect((await today(page)).map(([id]) => id), `after ${month} month(s) away`).toEqual(before)
    }
    expect(await day(page)).toBe(210)
  })

  test('a stray click: an evening of toys never leads the running shopper, and fades within a week', async ({ page }) => {
    await page.goto('/playground/decay.html')
    await page.getByRole('radio', { name: 'Stray click' }).check()
    await move(page, '+1 day')
    const burst = await today(page)
    expect(burst[0]![0]).toBe('running')
    await move(page, '+1 week')
    const later = Object.fromEntries(await today(page))
    expect(later.running).toBeGreaterThan(90)
    expect(later.toys ?? 0).toBeLessThan(Object.fromEntries(burst).toys!)
  })

  test('seasonal: skiing comes back to lead within a week of the new season', async ({ page }) => {
    await page.goto('/playground/decay.html')
    await page.getByRole('radio', { name: 'Seasonal' }).check()
    expect((await today(page))[0]![0]).toBe('surf')
    await move(page, '+1 week')
    expect((await today(page))[0]![0]).toBe('ski')
    // Restart puts the clock back to the preset's first day.
    await page.getByRole('button', { name: 'Restart' }).click()
    await expect(page.locator('#now')).toHaveText(/^Day 149 · /)
  })
})
