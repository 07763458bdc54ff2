import { expect, test } from '../fixtures.js'

test('in a sandboxed frame, where IndexedDB is refused, the storefront keeps working from memory', async ({ page }) => {
  await page.goto('/testing/sandbox/host.html')
  const result = page.locator('#result')
  await expect(result).not.toBeEmpty()
  const report = JSON.parse((await result.textContent())!)
  expect(report.status).toBe('memory')
  expect(report.top).toBe('category:hiking/boots')
  expect(report.shelf).toEqual(['Hiking boots', 'Dumbbells'])
  // Told once, with the browser's own reason; nothing thrown at the page.
  expect(report.errors).toHaveLength(1)
  expect(report.errors[0]).toMatch(/SecurityError|denied|not allowed/i)
})
