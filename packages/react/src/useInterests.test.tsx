// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { useState } from 'react'
import type { Interest, InterestsOptions } from '@palate/core'
import { PalateProvider, useInterests } from './index.js'
import { acting, cleanup, mount, products, testPalate, texts } from './testing.js'

afterEach(cleanup)

function Interests({ options, seen }: { options?: InterestsOptions; seen?: Interest[][] }) {
  const interests = useInterests(options)
  seen?.push(interests)
  return (
    <ul>
      {interests.map((i) => (
        <li key={i.key}>{i.key}</li>
      ))}
    </ul>
  )
}

describe('useInterests', () => {
  it('lists what the shopper has been looking at, strongest first, as it happens', async () => {
    const palate = await testPalate()
    const page = await mount(
      <PalateProvider palate={palate}>
        <Interests />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual([])

    await acting(() => {
      palate.track('add_to_cart', products[2]!)
      palate.track('view', products[4]!)
    })
    const keys = texts(page.container)
    expect(keys).toContain('category:sports/hiking/boots')
    expect(keys).toContain('tag:waterproof')
    expect(keys).toEqual(palate.interests().map((i) => i.key))
    expect(keys.indexOf('category:sports/hiking/boots')).toBeLessThan(keys.indexOf('category:kitchen/cookware'))
  })

  it('honours dimension and limit, and keeps its identity across unrelated re-renders', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[2]!)
    palate.track('view', products[4]!)
    const seen: Interest[][] = []
    let bump: () => void = () => {}
    function Page() {
      const [n, setN] = useState(0)
      bump = () => setN(n + 1)
      return (
        <>
          <p>{n}</p>
          <Interests options={{ dimension: 'tag', limit: 1 }} seen={seen} />
        </>
      )
    }
    const page = await mount(
      <PalateProvider palate={palate}>
        <Page />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(['tag:waterproof'])
    await acting(() => bump())
    expect(page.container.querySelector('p')?.textContent).toBe('1')
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
  })

  it('is empty after an opt-out', async () => {
    const palate = await testPalate()
    palate.track('view', products[0]!)
    const page = await mount(
      <PalateProvider palate={palate}>
        <Interests />
        <Interests options={{ dimension: 'category' }} />
      </PalateProvider>,
    )
    expect(texts(page.container).length).toBeGreaterThan(0)
    await acting(() => palate.optOut())
    expect(texts(page.container)).toEqual([])
  })
})
