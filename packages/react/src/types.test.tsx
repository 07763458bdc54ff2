// @vitest-environment happy-dom
// Type tests: checked by `tsc --noEmit` (a wrong type fails the typecheck), and the hooks are
// rendered for real so the values behind the types are checked too.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import type { ConsentState, Interest, Palate, Ranked, RankOptions, Reason, Shift, Snapshot } from '@palate/core'
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
  type ConsentControls,
  type PalateProviderProps,
} from './index.js'
import { cleanup, mount, products, testPalate, type Product } from './testing.js'

afterEach(cleanup)

describe('types', () => {
  it('useRanked keeps the storefront item type, extra fields included', async () => {
    const palate = await testPalate()
    let ranked: Ranked<Product>[] = []
    function Probe() {
      const result = useRanked(products, { limit: 2 })
      expectTypeOf(result).toEqualTypeOf<Ranked<Product>[]>()
      expectTypeOf(result[0]!.item.price).toEqualTypeOf<number>()
      expectTypeOf(result[0]!.reason).toEqualTypeOf<Reason>()
      ranked = result
      return null
    }
    await mount(
      <PalateProvider palate={palate}>
        <Probe />
      </PalateProvider>,
    )
    // The storefront's own objects come back, not copies.
    expect(ranked.map((r) => r.item)).toEqual([products[0], products[1]])
    expect(ranked[0]!.item).toBe(products[0])
  })

  it('the other hooks return what they promise', async () => {
    const palate = await testPalate()
    const got: unknown[] = []
    function Probe() {
      const p = usePalate()
      const snapshot = useSnapshot()
      const interests = useInterests({ dimension: 'brand' })
      const surprise = useSurprise()
      const consent = useConsent()
      const shift = useShift()
      const track = useTrack()
      expectTypeOf(p).toEqualTypeOf<Palate | null>()
      expectTypeOf(snapshot).toEqualTypeOf<Snapshot>()
      expectTypeOf(interests).toEqualTypeOf<Interest[]>()
      expectTypeOf(surprise).toEqualTypeOf<[on: boolean, set: (on: boolean) => Promise<void>]>()
      expectTypeOf(consent).toEqualTypeOf<ConsentControls>()
      expectTypeOf(consent.consent).toEqualTypeOf<ConsentState>()
      expectTypeOf(consent.setConsent).parameter(0).toEqualTypeOf<'granted' | 'denied'>()
      expectTypeOf(shift).toEqualTypeOf<Shift | null>()
      expectTypeOf(track).parameters.toEqualTypeOf<[type: Parameters<Palate['track']>[0], item: Parameters<Palate['track']>[1]]>()
      expectTypeOf(track).returns.toEqualTypeOf<void>()
      got.push(p, typeof surprise[1], typeof track, consent.consent)
      return null
    }
    await mount(
      <PalateProvider palate={palate}>
        <Probe />
      </PalateProvider>,
    )
    expect(got).toEqual([palate, 'function', 'function', 'granted'])
  })

  it('refuses what would be a mistake', () => {
    expectTypeOf(useRanked<Product>).parameter(1).toEqualTypeOf<RankOptions | undefined>()
    // @ts-expect-error items must have an id
    expectTypeOf(useRanked<{ name: string }>).toBeFunction()
    // @ts-expect-error serverConsent is one of the three states
    const bad: PalateProviderProps = { palate: null, serverConsent: 'maybe' }
    // @ts-expect-error the palate prop is required (null when there is none)
    const missing: PalateProviderProps = {}
    expect([bad.serverConsent, missing.palate]).toEqual(['maybe', undefined])
  })
})
