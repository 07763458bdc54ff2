// @vitest-environment happy-dom
// Type tests: checked by `tsc --noEmit` (a wrong type fails the typecheck), and the composables are
// run for real so the values behind the types are checked too.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { defineComponent, type ComputedRef, type MaybeRefOrGetter, type Plugin, type Ref } from 'vue'
import type { ConsentState, Interest, Palate, Ranked, RankOptions, Reason, Shift, Snapshot } from '@palate/core'
import {
  createPalatePlugin,
  providePalate,
  useConsent,
  useInterests,
  usePalate,
  useRanked,
  useShift,
  useSnapshot,
  useSurprise,
  useTrack,
  type ConsentControls,
  type PalateProvideOptions,
} from './index.js'
import { cleanup, mount, products, testPalate, type Product } from './testing.js'

afterEach(cleanup)

describe('types', () => {
  it('useRanked keeps the storefront item type, extra fields included', async () => {
    const palate = await testPalate()
    let ranked: Ranked<Product>[] = []
    mount(
      defineComponent({
        setup() {
          const result = useRanked(products, { limit: 2 })
          expectTypeOf(result).toEqualTypeOf<ComputedRef<Ranked<Product>[]>>()
          expectTypeOf(result.value[0]!.item.price).toEqualTypeOf<number>()
          expectTypeOf(result.value[0]!.reason).toEqualTypeOf<Reason>()
          ranked = result.value
          return () => null
        },
      }),
      palate,
    )
    // The storefront's own objects come back, not copies.
    expect(ranked.map((r) => r.item)).toEqual([products[0], products[1]])
    expect(ranked[0]!.item).toBe(products[0])
  })

  it('the other composables return what they promise', async () => {
    const palate = await testPalate()
    const got: unknown[] = []
    mount(
      defineComponent({
        setup() {
          const p = usePalate()
          const snapshot = useSnapshot()
          const interests = useInterests({ dimension: 'brand' })
          const surprise = useSurprise()
          const consent = useConsent()
          const shift = useShift()
          const track = useTrack()
          expectTypeOf(p).toEqualTypeOf<ComputedRef<Palate | null>>()
          expectTypeOf(snapshot).toEqualTypeOf<Readonly<Ref<Snapshot>>>()
          expectTypeOf(interests).toEqualTypeOf<ComputedRef<Interest[]>>()
          expectTypeOf(surprise).toEqualTypeOf<[on: ComputedRef<boolean>, set: (on: boolean) => Promise<void>]>()
          expectTypeOf(consent).toEqualTypeOf<ConsentControls>()
          expectTypeOf(consent.consent.value).toEqualTypeOf<ConsentState>()
          expectTypeOf(consent.setConsent).parameter(0).toEqualTypeOf<'granted' | 'denied'>()
          expectTypeOf(shift).toEqualTypeOf<ComputedRef<Shift | null>>()
          expectTypeOf(track).parameters.toEqualTypeOf<[type: Parameters<Palate['track']>[0], item: Parameters<Palate['track']>[1]]>()
          expectTypeOf(track).returns.toEqualTypeOf<void>()
          got.push(p.value, typeof surprise[1], typeof track, consent.consent.value)
          return () => null
        },
      }),
      palate,
    )
    expect(got).toEqual([palate, 'function', 'function', 'granted'])
  })

  it('refuses what would be a mistake', () => {
    expectTypeOf(providePalate).parameter(0).toEqualTypeOf<MaybeRefOrGetter<Palate | null>>()
    expectTypeOf(createPalatePlugin).returns.toEqualTypeOf<Plugin>()
    expectTypeOf(useRanked<Product>).parameter(1).toEqualTypeOf<MaybeRefOrGetter<RankOptions> | undefined>()
    // @ts-expect-error items must have an id
    expectTypeOf(useRanked<{ name: string }>).toBeFunction()
    // @ts-expect-error serverConsent is one of the three states
    const bad: PalateProvideOptions = { serverConsent: 'maybe' }
    expect(bad.serverConsent).toBe('maybe')
  })
})
