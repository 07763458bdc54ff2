// Real Chromium: real IntersectionObserver, MutationObserver and clicks.
import { createPalate, type Palate } from '@palate/core'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { userEvent } from 'vitest/browser'
import { frames, itemElement, showFraction, sleep, uniqueName } from './testing.js'
import { wire } from './wire.js'

const DWELL = 150
const boots = { id: 'sku-1', category: 'outdoors/hiking/boots', tags: ['waterproof'] }
const mat = { id: 'sku-2', category: 'yoga/mats' }

let palate: Palate
let track: MockInstance<Palate['track']>
let unwire: () => void
let stage: HTMLElement

beforeEach(async () => {
  palate = createPalate({ name: uniqueName() })
  await palate.ready
  track = vi.spyOn(palate, 'track')
  stage = document.createElement('div')
  document.body.append(stage)
})

afterEach(() => {
  unwire?.()
  stage.remove()
  palate.close()
  vi.restoreAllMocks()
})

const calls = () => track.mock.calls.map(([type, item]) => [type, item.id])
/** The views the profile holds: what a repeat view would add to. */
const viewed = async () => (await palate.export()).events.filter((e) => e.type === 'view').map((e) => e.item.id)

describe('views', () => {
  it('counts a view once an item has been at least half visible for the dwell time, not before', async () => {
    const element = itemElement(boots)
    showFraction(element, 0.6)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL })
    await sleep(DWELL / 2)
    expect(calls()).toEqual([])
    await vi.waitFor(() => expect(calls()).toEqual([['view', 'sku-1']]), { timeout: 2000 })
    expect(palate.interests().map((i) => i.key)).toContain('category:outdoors/hiking/boots')
  })

  it('does not count an item only 40% visible, however long it stays', async () => {
    const element = itemElement(boots)
    showFraction(element, 0.4)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL })
    await sleep(DWELL * 3)
    expect(calls()).toEqual([])
  })

  it('cancels the dwell when the item leaves early, and counts a later full stay', async () => {
    const element = itemElement(boots)
    showFraction(element, 1)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL * 2 })
    await frames()
    await sleep(DWELL / 2)
    showFraction(element, 0.2)
    await sleep(DWELL * 3)
    expect(calls()).toEqual([])
    showFraction(element, 1)
    await vi.waitFor(() => expect(calls()).toEqual([['view', 'sku-1']]), { timeout: 2000 })
  })

  it('needs the page itself to be visible: hiding the tab stops the dwell, coming back starts it again', async () => {
    const setVisibility = (state: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    const element = itemElement(boots)
    showFraction(element, 1)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL * 2 })
    try {
      await frames()
      await sleep(DWELL / 2)
      setVisibility('hidden')
      await sleep(DWELL * 3)
      expect(calls()).toEqual([])
      setVisibility('visible')
      await sleep(DWELL)
      expect(calls()).toEqual([])
      await vi.waitFor(() => expect(calls()).toEqual([['view', 'sku-1']]), { timeout: 2000 })
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState
    }
  })

  it('counts one view per element per page, however often it comes back into view', async () => {
    const element = itemElement(boots)
    showFraction(element, 1)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL })
    await vi.waitFor(() => expect(calls()).toHaveLength(1), { timeout: 2000 })
    showFraction(element, 0)
    await frames()
    showFraction(element, 1)
    await sleep(DWELL * 3)
    expect(calls()).toEqual([['view', 'sku-1']])
  })

  it('picks up items added after wiring, nested or not', async () => {
    unwire = wire(palate, document, { dwell: DWELL })
    const wrapper = document.createElement('section')
    const element = itemElement(mat, 'article')
    showFraction(element, 1)
    wrapper.append(element)
    stage.append(wrapper)
    await vi.waitFor(() => expect(calls()).toEqual([['view', 'sku-2']]), { timeout: 2000 })
    element.click()
    expect(calls()).toEqual([['view', 'sku-2'], ['click', 'sku-2']])
  })

  it('stops when unwired', async () => {
    const element = itemElement(boots)
    showFraction(element, 1)
    stage.append(element)
    unwire = wire(palate, document, { dwell: DWELL })
    await frames()
    unwire()
    element.click()
    await sleep(DWELL * 2)
    expect(calls()).toEqual([])
  })
})

describe('clicks and events', () => {
  it('tracks a click on an item, from anywhere inside it', async () => {
    const element = itemElement(boots)
    const name = document.createElement('a')
    name.textContent = 'Waterproof boots'
    name.href = '#'
    name.addEventListener('click', (event) => event.preventDefault())
    element.append(name)
    stage.append(element)
    unwire = wire(palate, document, { dwell: 60_000 })
    await userEvent.click(name)
    expect(calls()).toEqual([['click', 'sku-1']])
  })

  it('tracks data-palate-event on a button inside an item instead of a click, even when the store stops propagation', async () => {
    const element = itemElement(boots)
    const cart = document.createElement('button')
    cart.setAttribute('data-palate-event', 'add_to_cart')
    cart.textContent = 'Add to cart'
    cart.addEventListener('click', (event) => event.stopPropagation())
    const dismiss = document.createElement('button')
    dismiss.setAttribute('data-palate-event', 'dismiss')
    dismiss.textContent = 'Not for me'
    element.append(cart, dismiss)
    stage.append(element)
    unwire = wire(palate, document, { dwell: 60_000 })
    await userEvent.click(cart)
    await userEvent.click(dismiss)
    expect(calls()).toEqual([
      ['add_to_cart', 'sku-1'],
      ['dismiss', 'sku-1'],
    ])
  })

  it('tracks a keyboard-activated event button like a clicked one', async () => {
    const element = itemElement(boots)
    const wish = document.createElement('button')
    wish.setAttribute('data-palate-event', 'wishlist')
    wish.textContent = 'Save'
    element.append(wish)
    stage.append(element)
    unwire = wire(palate, document, { dwell: 60_000 })
    wish.focus()
    await userEvent.keyboard('{Enter}')
    expect(calls()).toEqual([['wishlist', 'sku-1']])
  })

  it('watches only inside the root it was given', async () => {
    const inside = itemElement(boots)
    const outside = itemElement(mat)
    stage.append(inside)
    document.body.append(outside)
    try {
      unwire = wire(palate, stage, { dwell: 60_000 })
      outside.click()
      inside.click()
      expect(calls()).toEqual([['click', 'sku-1']])
    } finally {
      outside.remove()
    }
  })

  it('ignores clicks outside items, and warns once about an event button outside any item', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const stray = document.createElement('button')
    stray.setAttribute('data-palate-event', 'purchase')
    const plain = document.createElement('button')
    stage.append(stray, plain)
    unwire = wire(palate, document, { dwell: 60_000 })
    stray.click()
    stray.click()
    plain.click()
    expect(calls()).toEqual([])
    expect(warn.mock.calls.filter(([, element]) => element === stray)).toHaveLength(1)
  })
})

describe('what each placement records', () => {
  it('records nothing for items seen on a data-palate-rank shelf, however long; a click on one is a click', async () => {
    const shelf = document.createElement('ul')
    shelf.setAttribute('data-palate-rank', '')
    const card = itemElement(boots)
    const wrapped = document.createElement('li')
    const inner = itemElement(mat, 'article')
    wrapped.append(inner)
    showFraction(card, 1)
    showFraction(wrapped, 1)
    wrapped.style.left = '120px'
    shelf.append(card, wrapped)
    stage.append(shelf)
    unwire = wire(palate, document, { dwell: DWELL })
    await sleep(DWELL * 4)
    expect(calls()).toEqual([])
    inner.click()
    expect(calls()).toEqual([['click', 'sku-2']])
  })

  it('counts the page item (data-palate-page-item) as viewed at once, and an item by id once per visit', async () => {
    const product = itemElement(boots, 'article')
    product.setAttribute('data-palate-page-item', '')
    const again = itemElement(boots)
    showFraction(again, 1)
    stage.append(product, again)
    unwire = wire(palate, document, { dwell: DWELL })
    expect(palate.interests().map((i) => i.key)).toContain('category:outdoors/hiking/boots')
    await sleep(DWELL * 3)
    // The same boots seen again further down the page: one view in the profile.
    expect(await viewed()).toEqual(['sku-1'])
  })

  it('counts a reloaded product page once in the visit, and again after an opt-out and opt-in', async () => {
    const name = uniqueName('visit')
    const page = () => {
      const product = itemElement(boots, 'article')
      product.setAttribute('data-palate-page-item', '')
      stage.replaceChildren(product)
    }
    palate.close()
    palate = createPalate({ name })
    await palate.ready
    page()
    unwire = wire(palate, document)
    unwire()
    await palate.flush()
    palate.close()
    // The page loaded again, in the same visit.
    palate = createPalate({ name })
    await palate.ready
    page()
    unwire = wire(palate, document)
    expect(await viewed()).toEqual(['sku-1'])
    unwire()
    // An opt-out takes the visit's memory of views with it: after an opt-in, the page counts again.
    await palate.optOut()
    await palate.optIn()
    page()
    unwire = wire(palate, document)
    expect(await viewed()).toEqual(['sku-1'])
    expect(palate.interests().map((i) => i.key)).toContain('category:outdoors/hiking/boots')
  })

  it('with consent pending, counts a view in the page and writes nothing to sessionStorage', async () => {
    const name = uniqueName('visit')
    palate.close()
    palate = createPalate({ name, consent: 'pending' })
    await palate.ready
    const before = sessionStorage.length
    const product = itemElement(boots, 'article')
    product.setAttribute('data-palate-page-item', '')
    stage.append(product)
    unwire = wire(palate, document)
    expect(palate.getSnapshot().interests.map((i) => i.key)).toContain('category:outdoors/hiking/boots')
    expect(sessionStorage.length).toBe(before)
  })

  it('warns once, naming the element, about a page item marker without the product on it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const wrong = document.createElement('main')
    wrong.className = 'product'
    wrong.setAttribute('data-palate-page-item', '')
    stage.append(wrong)
    unwire = wire(palate, document, { dwell: DWELL })
    wrong.setAttribute('data-palate-page-item', 'yes')
    await frames()
    expect(warn.mock.calls.filter(([, element]) => element === wrong)).toHaveLength(1)
    expect(warn.mock.calls[0]![0]).toMatch(/^\[palate\] data-palate-page-item needs .* \(on main\.product\)$/)
  })
})

describe('bad markup', () => {
  it('warns once, with the element, about malformed JSON or an item core rejects; the other items still track', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const broken = itemElement('{"id": "sku-9", category: }')
    const noId = itemElement(JSON.stringify({ category: 'hiking' }))
    const good = itemElement(boots)
    for (const [element, fraction] of [[broken, 1], [noId, 1], [good, 1]] as const) showFraction(element, fraction)
    noId.style.left = '120px'
    good.style.left = '240px'
    stage.append(broken, noId, good)
    unwire = wire(palate, document, { dwell: DWELL })
    broken.click()
    broken.click()
    noId.click()
    good.click()
    await vi.waitFor(() => expect(calls()).toEqual([['click', 'sku-1'], ['view', 'sku-1']]), { timeout: 2000 })
    await sleep(DWELL)

    const about = (element: Element) => warn.mock.calls.filter((args) => args[1] === element)
    expect(about(broken)).toHaveLength(1)
    expect(about(broken)[0]![0]).toMatch(/^\[palate\] .*data-palate-item/)
    expect(about(noId)).toHaveLength(1)
    expect(about(noId)[0]![0]).toMatch(/item\.id/)
    expect(about(good)).toHaveLength(0)
  })

  it('reads an item again when its attribute changes', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const element = itemElement('not json')
    stage.append(element)
    unwire = wire(palate, document, { dwell: 60_000 })
    element.click()
    element.setAttribute('data-palate-item', JSON.stringify(mat))
    element.click()
    expect(calls()).toEqual([['click', 'sku-2']])
  })

  it('rejects a dwell that is not a duration', () => {
    expect(() => wire(palate, document, { dwell: -1 })).toThrow(/dwell/)
    expect(() => wire(palate, document, { dwell: Number.NaN })).toThrow(/dwell/)
  })
})
