// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { StrictMode, useEffect, useState } from 'react'
import type { Item } from '@palate/core'
import { PalateProvider, useRanked, useTrack } from './index.js'
import { acting, cleanup, clock, mount, products, testPalate, texts } from './testing.js'

afterEach(cleanup)

describe('useTrack', () => {
  it('records views and clicks, and the shelf follows', async () => {
    const palate = await testPalate()
    function ProductPage({ product }: { product: Item }) {
      const track = useTrack()
      useEffect(() => track('view', product), [track, product])
      return <button onClick={() => track('add_to_cart', product)}>Add</button>
    }
    function Shelf() {
      return (
        <ul>
          {useRanked(products).map((r) => (
            <li key={r.item.id}>{r.item.id}</li>
          ))}
        </ul>
      )
    }
    const page = await mount(
      <PalateProvider palate={palate}>
        <ProductPage product={products[3]!} />
        <Shelf />
      </PalateProvider>,
    )
    expect(texts(page.container)[0]).toBe('hike-2')
    await acting(() => page.container.querySelector('button')!.click())
    expect((await palate.export()).events.map((e) => e.type)).toEqual(['view', 'add_to_cart'])
  })

  it('returns the same function on every render, without re-rendering on profile changes', async () => {
    const palate = await testPalate()
    const seen: unknown[] = []
    let bump: () => void = () => {}
    function Button() {
      const [n, setN] = useState(0)
      bump = () => setN(n + 1)
      const track = useTrack()
      seen.push(track)
      return <button onClick={() => track('click', products[0]!)}>{n}</button>
    }
    const page = await mount(
      <PalateProvider palate={palate}>
        <Button />
      </PalateProvider>,
    )
    await acting(() => bump())
    expect(seen).toHaveLength(2)
    await acting(() => page.container.querySelector('button')!.click())
    expect(palate.interests().map((i) => i.key)).toContain('category:sports/gym')
    // The tracking changed the snapshot; a component that only tracks does not re-render.
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
  })

  it('throws for bad input, as palate.track does', async () => {
    const palate = await testPalate()
    let track: ReturnType<typeof useTrack> = () => {}
    function Grab() {
      track = useTrack()
      return null
    }
    await mount(
      <PalateProvider palate={palate}>
        <Grab />
      </PalateProvider>,
    )
    expect(() => track('like' as never, products[0]!)).toThrow(/\[palate\] track\(\): unknown event type "like"/)
    expect(() => track('view', { id: '' })).toThrow(TypeError)
    expect(await palate.export()).toMatchObject({ events: [] })
  })

  it('counts a view of the same item once per visit: StrictMode, coming back to the page, until 30 minutes pass', async () => {
    const palate = await testPalate()
    function ProductPage({ product }: { product: Item }) {
      const track = useTrack()
      useEffect(() => track('view', product), [track, product])
      return <button onClick={() => track('add_to_cart', product)}>Add</button>
    }
    let show: (product: Item | null) => void = () => {}
    function App() {
      const [product, setProduct] = useState<Item | null>(products[0]!)
      show = setProduct
      return product && <ProductPage key={product.id} product={product} />
    }
    const page = await mount(
      <StrictMode>
        <PalateProvider palate={palate}>
          <App />
        </PalateProvider>
      </StrictMode>,
    )
    const viewed = async () => (await palate.export()).events.filter((e) => e.type === 'view').map((e) => e.item.id)
    expect(await viewed()).toEqual([products[0]!.id])
    await acting(() => show(products[1]!))
    await acting(() => show(products[0]!))
    await acting(() => page.container.querySelector('button')!.click())
    await acting(() => page.container.querySelector('button')!.click())
    expect(await viewed()).toEqual([products[0]!.id, products[1]!.id])
    expect((await palate.export()).events.filter((e) => e.type === 'add_to_cart')).toHaveLength(2)
    // The visit is the instance's, on its clock: 30 minutes of quiet end it.
    clock.t += 31 * 60_000
    await acting(() => show(null))
    await acting(() => show(products[0]!))
    expect(await viewed()).toEqual([products[0]!.id, products[1]!.id, products[0]!.id])
  })
})
