// The script tag's preferences panel is a file of its own, loaded from next to palate.min.js when
// the first <palate-preferences> connects: under the demo server's strict CSP, in an srcdoc frame
// (whose base URL is about:srcdoc), and when the file does not load at all.
import { test as unguarded } from '@playwright/test'
import { expect, forYou, scriptTagFrame, test, type PalateWindow } from '../testing/fixtures.js'

const PANEL_FILE = '/build/palate-preferences.min.js'

test.describe('the preferences panel file', () => {
  test('loads once from next to the script, under script-src self', async ({ page }) => {
    const requested: string[] = []
    page.on('request', (request) => void (request.url().includes('palate-preferences') && requested.push(new URL(request.url()).pathname)))
    await page.goto('/store/')
    await page.getByText('Your preferences', { exact: true }).click()
    await expect(page.locator('palate-preferences').getByRole('heading', { name: 'Your interests' })).toBeVisible()
    expect(requested).toEqual([PANEL_FILE])
  })

  test('loads in an srcdoc frame, found from the script element and not the frame base URL', async ({ page }) => {
    await page.goto('/store/')
    const frame = await page.evaluateHandle(() => {
      const node = document.createElement('iframe')
      node.srcdoc = `<!doctype html><script src="/build/palate.min.js" data-auto data-name="srcdoc-${Date.now()}"></script><palate-preferences></palate-preferences>`
      document.body.append(node)
      return node
    })
    const inner = await (await frame.asElement()!.contentFrame())!
    await expect(inner.locator('palate-preferences').getByRole('heading', { name: 'Your interests' })).toBeVisible()
  })
})

// Not the guarded test: a 404 is a console error in Chromium, which the guard refuses.
unguarded('a panel file that does not load reaches onError, and the storefront goes on without it', async ({ page }) => {
  const pageErrors: string[] = []
  const warnings: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => void (message.type() === 'warning' && warnings.push(message.text())))
  await page.route(`**${PANEL_FILE}`, (route) => route.fulfill({ status: 404, body: 'not here' }))

  // data-auto passes no onError: the failure is one console warning, and the store goes on.
  await page.goto('/store/')
  await expect(forYou(page).locator(':scope > li:visible').first()).toBeVisible()
  await expect.poll(() => warnings.filter((text) => text.includes('the preferences panel could not be loaded'))).toHaveLength(1)
  const keys = await page.evaluate(async () => {
    const palate = (window as unknown as PalateWindow).Palate.instance!
    await palate.ready
    palate.track('click', { id: 'panel-404-boot', category: 'hiking/boots' })
    return palate.interests().map((interest) => interest.key)
  })
  expect(keys).toContain('category:hiking/boots')
  expect(await page.evaluate(() => customElements.get('palate-preferences'))).toBeUndefined()

  // A storefront that calls init() with onError hears of it there.
  const inner = await scriptTagFrame(page, '<palate-preferences></palate-preferences>')
  const heard = await inner.evaluate(async () => {
    const seen: string[] = []
    const palate = (window as unknown as PalateWindow).Palate.init({ name: `panel-404-${Date.now()}`, onError: (error) => seen.push(error.message) })
    await palate.ready
    await new Promise((resolve) => setTimeout(resolve, 500))
    palate.track('click', { id: 'panel-404-tent', category: 'camping/tents' })
    return { seen, keys: palate.interests().map((interest) => interest.key) }
  })
  expect(heard.seen).toEqual([expect.stringMatching(/^\[palate\] the preferences panel could not be loaded from http:\/\/127\.0\.0\.1:\d+\/build\/palate-preferences\.min\.js$/)])
  expect(heard.keys).toContain('category:camping/tents')
  expect(pageErrors).toEqual([])
})
