// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { PalateProvider, useSurprise } from './index.js'
import { acting, cleanup, mount, testPalate } from './testing.js'

afterEach(cleanup)

const setters: unknown[] = []
function SurpriseToggle() {
  const [on, setOn] = useSurprise()
  setters.push(setOn)
  return <input type="checkbox" checked={on} onChange={(e) => void setOn(e.target.checked)} />
}

describe('useSurprise', () => {
  it('toggles the persisted switch, and follows palate.setSurprise from elsewhere', async () => {
    const palate = await testPalate()
    const page = await mount(
      <PalateProvider palate={palate}>
        <SurpriseToggle />
      </PalateProvider>,
    )
    const box = page.container.querySelector('input')!
    expect(box.checked).toBe(false)

    await acting(() => box.click())
    expect(box.checked).toBe(true)
    expect(palate.getSnapshot().surprise).toBe(true)
    expect((await palate.export()).settings.surprise).toBe(true)

    await acting(() => palate.setSurprise(false))
    expect(box.checked).toBe(false)
    await acting(() => palate.setSurprise(true))
    expect(box.checked).toBe(true)
  })

  it('keeps the setter identity across renders', async () => {
    setters.length = 0
    const palate = await testPalate()
    await mount(
      <PalateProvider palate={palate}>
        <SurpriseToggle />
      </PalateProvider>,
    )
    await acting(() => palate.setSurprise(true))
    expect(setters.length).toBeGreaterThan(1)
    expect(new Set(setters).size).toBe(1)
  })
})
