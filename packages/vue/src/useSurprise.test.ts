// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { useSurprise } from './index.js'
import { acting, cleanup, mount, testPalate } from './testing.js'

afterEach(cleanup)

const SurpriseToggle = defineComponent({
  setup() {
    const [on, setOn] = useSurprise()
    return () => h('input', { type: 'checkbox', checked: on.value, onChange: (e: Event) => void setOn((e.target as HTMLInputElement).checked) })
  },
})

describe('useSurprise', () => {
  it('toggles the persisted switch, and follows palate.setSurprise from elsewhere', async () => {
    const palate = await testPalate()
    const page = mount(SurpriseToggle, palate)
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
})
