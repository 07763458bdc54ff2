// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useEffect } from 'react'
import {
  PalateProvider,
  useConsent,
  useInterests,
  usePalate,
  useRanked,
  useShift,
  useSnapshot,
  useSurprise,
  useTrack,
} from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts } from './testing.js'

afterEach(async () => {
  vi.restoreAllMocks()
  await cleanup()
})

const hooks = {
  usePalate: () => usePalate(),
  useSnapshot: () => useSnapshot(),
  useRanked: () => useRanked(products),
  useInterests: () => useInterests(),
  useSurprise: () => useSurprise(),
  useConsent: () => useConsent(),
  useShift: () => useShift(),
  useTrack: () => useTrack(),
}

describe('PalateProvider', () => {
  it.each(Object.entries(hooks))('%s() outside a provider throws an error naming the hook', async (name, hook) => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    function Naked() {
      hook()
      return null
    }
    const page = await mount(<div />)
    let thrown: unknown
    try {
      await page.render(<Naked />)
    } catch (error) {
      thrown = error
    }
    expect(String(thrown)).toBe(`Error: [palate] ${name}() must be used inside <PalateProvider>`)
  })

  it('gives usePalate() the instance, and useSnapshot() its snapshot', async () => {
    const palate = await testPalate()
    let got: unknown
    function Probe() {
      got = usePalate()
      return <p>{useSnapshot().status}</p>
    }
    const page = await mount(
      <PalateProvider palate={palate}>
        <Probe />
      </PalateProvider>,
    )
    expect(got).toBe(palate)
    expect(page.container.querySelector('p')?.textContent).toBe('memory')
  })

  it('with palate={null}, every hook renders sensible defaults and its setters do nothing', async () => {
    const results: Record<string, unknown> = {}
    const done: Promise<void>[] = []
    function Everything() {
      results['palate'] = usePalate()
      results['snapshot'] = useSnapshot()
      const ranked = useRanked(products, { limit: 3, surprise: true })
      results['interests'] = useInterests({ dimension: 'tag' })
      const [surprise, setSurprise] = useSurprise()
      const consent = useConsent()
      results['shift'] = useShift()
      const track = useTrack()
      results['surprise'] = surprise
      results['consent'] = consent.consent
      results['reasons'] = ranked.map((r) => r.reason)
      useEffect(() => {
        track('view', products[2]!)
        done.push(setSurprise(true), consent.optOut(), consent.optIn(), consent.setConsent('granted'))
      }, [track, setSurprise, consent])
      return (
        <ul>
          {ranked.map((r) => (
            <li key={r.item.id}>{r.item.id}</li>
          ))}
        </ul>
      )
    }
    const page = await mount(
      <PalateProvider palate={null}>
        <Everything />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(storeOrder.slice(0, 3))
    expect(results).toEqual({
      palate: null,
      snapshot: { status: 'loading', consent: 'pending', surprise: false, muted: [], interests: [], shift: null },
      interests: [],
      shift: null,
      surprise: false,
      consent: 'pending',
      reasons: [1, 2, 3].map(() => ({ kind: 'default', text: 'Picked by the store' })),
    })
    expect(done).toHaveLength(4)
    await expect(Promise.all(done)).resolves.toEqual([undefined, undefined, undefined, undefined])
  })

  it('serverConsent sets the consent reported without an instance', async () => {
    function Consent() {
      return <p>{useConsent().consent}</p>
    }
    const page = await mount(
      <PalateProvider palate={null} serverConsent="granted">
        <Consent />
      </PalateProvider>,
    )
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
  })

  it('switches from no instance to one created after mounting', async () => {
    function Shelf() {
      const track = useTrack()
      useEffect(() => track('add_to_cart', products[4]!), [track])
      return (
        <ul>
          {useRanked(products).map((r) => (
            <li key={r.item.id}>{r.item.id}</li>
          ))}
        </ul>
      )
    }
    const page = await mount(
      <PalateProvider palate={null}>
        <Shelf />
      </PalateProvider>,
    )
    expect(texts(page.container)).toEqual(storeOrder)
    const palate = await testPalate()
    await page.render(
      <PalateProvider palate={palate}>
        <Shelf />
      </PalateProvider>,
    )
    // The view effect ran again with the instance, and the shelf is ranked by it.
    expect(palate.interests().length).toBeGreaterThan(0)
    expect(texts(page.container)[0]).toBe('cook-1')
    await acting(() => palate.track('add_to_cart', products[3]!))
    await acting(() => palate.track('add_to_cart', products[3]!))
    expect(texts(page.container)[0]).toBe('hike-2')
  })
})
