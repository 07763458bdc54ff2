// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Component, useState, type ReactNode } from 'react'
import type { Palate, Ranked, RankOptions, Snapshot } from '@palate/core'
import { PalateProvider, useRanked } from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts, type Product } from './testing.js'

afterEach(async () => {
  vi.restoreAllMocks()
  await cleanup()
})

function Shelf({ items = products, options, seen }: { items?: Product[]; options?: RankOptions; seen?: Ranked<Product>[][] }) {
  const ranked = useRanked(items, options)
  seen?.push(ranked)
  return (
    <ul>
      {ranked.map(({ item, reason }) => (
        <li key={item.id} title={reason.text}>
          {item.id}
        </li>
      ))}
    </ul>
  )
}

describe('useRanked', () => {
  it('shows the storefront order for a new shopper, then follows what they track', async () => {
    const palate = await testPalate()
    const page = await mount(
      <PalateProvider palate={palate}>
        <Shelf />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(storeOrder)
    expect(page.container.querySelector('li')?.title).toBe('Picked by the store')

    await acting(() => {
      palate.track('view', products[2]!)
      palate.track('add_to_cart', products[3]!)
    })
    const order = texts(page.container)
    expect(order.slice(0, 2).sort()).toEqual(['hike-1', 'hike-2'])
    expect(order).toEqual(palate.rank(products).map((r) => r.item.id))
    expect(page.container.querySelector('li')?.title).toMatch(/Because you've been looking at/)

    await acting(() => {
      for (let i = 0; i < 5; i++) palate.track('add_to_cart', products[4]!)
    })
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('keeps the same array across unrelated re-renders, even with inline options', async () => {
    const palate = await testPalate()
    palate.track('view', products[2]!)
    const seen: Ranked<Product>[][] = []
    let bump: () => void = () => {}
    function Page() {
      const [n, setN] = useState(0)
      bump = () => setN(n + 1)
      return (
        <>
          <p>{n}</p>
          <Shelf options={{ limit: 3 }} seen={seen} />
        </>
      )
    }
    const page = await mount(
      <PalateProvider palate={palate}>
        <Page />
      </PalateProvider>,
    )
    await acting(() => bump())
    await acting(() => bump())
    expect(page.container.querySelector('p')?.textContent).toBe('2')
    expect(seen).toHaveLength(3)
    expect(seen[1]).toBe(seen[0])
    expect(seen[2]).toBe(seen[0])
    expect(texts(page.container)).toHaveLength(3)

    // A change to the profile is a new snapshot: a new array, and the ranking it implies.
    await acting(() => palate.track('add_to_cart', products[4]!))
    expect(seen).toHaveLength(4)
    expect(seen[3]).not.toBe(seen[0])
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('recomputes when the items or the option values change', async () => {
    const palate = await testPalate()
    palate.track('view', products[2]!)
    const page = await mount(
      <PalateProvider palate={palate}>
        <Shelf options={{ limit: 2 }} />
      </PalateProvider>,
    )
    expect(texts(page.container)).toHaveLength(2)
    expect(texts(page.container)[0]).toBe('hike-1')

    await page.render(
      <PalateProvider palate={palate}>
        <Shelf options={{ limit: 4 }} />
      </PalateProvider>,
    )
    expect(texts(page.container)).toHaveLength(4)

    const kitchenOnly = products.filter((p) => p.category?.startsWith('kitchen'))
    await page.render(
      <PalateProvider palate={palate}>
        <Shelf items={kitchenOnly} options={{ limit: 4 }} />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(['cook-1'])
  })

  it('falls back to the storefront order after an opt-out', async () => {
    const palate = await testPalate()
    await acting(() => {
      palate.track('add_to_cart', products[4]!)
      palate.track('view', products[2]!)
    })
    const page = await mount(
      <PalateProvider palate={palate}>
        <Shelf />
      </PalateProvider>,
    )
    expect(texts(page.container)).not.toEqual(storeOrder)

    await acting(() => palate.optOut())
    expect(texts(page.container)).toEqual(storeOrder)
    for (const li of page.container.querySelectorAll('li')) expect(li.getAttribute('title')).toBe('Picked by the store')
  })

  it('shows the storefront order while the stored profile is loading', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[4]!)
    // An instance still reading its stored profile (memory storage loads too fast to catch): the
    // live profile may already know things, but the page must not jump before the profile is in.
    let status: 'loading' | 'memory' = 'loading'
    let last: Snapshot | null = null
    const loading: Palate = {
      ...palate,
      getSnapshot() {
        const real = palate.getSnapshot()
        if (last?.interests !== real.interests || last.status !== status) last = { ...real, status }
        return last
      },
    }
    const page = await mount(
      <PalateProvider palate={loading}>
        <Shelf options={{ limit: 3 }} />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(storeOrder.slice(0, 3))

    status = 'memory'
    await acting(() => palate.track('view', products[4]!))
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('lets rank() errors for bad items reach the caller', async () => {
    const palate = await testPalate()
    const errors: unknown[] = []
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const page = await mount(<div />)
    await page.render(
      <PalateProvider palate={palate}>
        <Catch errors={errors}>
          <Shelf items={[{ id: '' } as Product]} />
        </Catch>
      </PalateProvider>,
    )
    expect(String(errors[0])).toMatch(/TypeError: \[palate\] rank\(\)/)
  })
})

class Catch extends Component<{ errors: unknown[]; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override componentDidCatch(error: unknown) {
    this.props.errors.push(error)
  }
  override render() {
    return this.state.failed ? <p>failed</p> : this.props.children
  }
}
