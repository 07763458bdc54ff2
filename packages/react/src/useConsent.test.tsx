// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { PalateProvider, useConsent, useInterests, useRanked } from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts } from './testing.js'

afterEach(cleanup)

function PrivacyPanel() {
  const { consent, optOut, optIn, setConsent } = useConsent()
  const interests = useInterests()
  const ranked = useRanked(products)
  return (
    <>
      <p>{consent}</p>
      <button id="out" onClick={() => void optOut()} />
      <button id="in" onClick={() => void optIn()} />
      <button id="deny" onClick={() => void setConsent('denied')} />
      <button id="grant" onClick={() => void setConsent('granted')} />
      <ol>{interests.map((i) => <li key={i.key}>{i.key}</li>)}</ol>
      <ul>{ranked.map((r) => <li key={r.item.id}>{r.item.id}</li>)}</ul>
    </>
  )
}

const click = (root: HTMLElement, id: string) => acting(() => root.querySelector<HTMLButtonElement>(`#${id}`)!.click())

describe('useConsent', () => {
  it('optOut empties the interests and puts the shelf back in the storefront order', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[4]!)
    const page = await mount(
      <PalateProvider palate={palate}>
        <PrivacyPanel />
      </PalateProvider>,
    )
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    expect(texts(page.container, 'ol li').length).toBeGreaterThan(0)
    expect(texts(page.container, 'ul li')[0]).toBe('cook-1')

    await click(page.container, 'out')
    expect(page.container.querySelector('p')?.textContent).toBe('denied')
    expect(texts(page.container, 'ol li')).toEqual([])
    expect(texts(page.container, 'ul li')).toEqual(storeOrder)
    expect((await palate.export()).keys).toEqual([])

    // Nothing is learned while opted out.
    await acting(() => palate.track('add_to_cart', products[4]!))
    expect(texts(page.container, 'ul li')).toEqual(storeOrder)

    await click(page.container, 'in')
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    await acting(() => palate.track('add_to_cart', products[3]!))
    expect(texts(page.container, 'ul li')[0]).toBe('hike-2')
  })

  it('setConsent answers a pending banner either way', async () => {
    const palate = await testPalate('pending')
    const page = await mount(
      <PalateProvider palate={palate}>
        <PrivacyPanel />
      </PalateProvider>,
    )
    expect(page.container.querySelector('p')?.textContent).toBe('pending')
    await click(page.container, 'grant')
    expect(palate.consent()).toBe('granted')
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    await click(page.container, 'deny')
    expect(palate.consent()).toBe('denied')
    expect(page.container.querySelector('p')?.textContent).toBe('denied')
  })

  it('returns the same object until consent changes', async () => {
    const palate = await testPalate()
    const seen: object[] = []
    function Probe() {
      seen.push(useConsent())
      useInterests()
      return null
    }
    await mount(
      <PalateProvider palate={palate}>
        <Probe />
      </PalateProvider>,
    )
    await acting(() => palate.track('view', products[0]!)) // a new snapshot, same consent
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    await acting(() => palate.optOut())
    expect(seen).toHaveLength(3)
    expect(seen[2]).not.toBe(seen[0])
    expect(seen[2]).toMatchObject({ consent: 'denied' })
  })
})
