// Server HTML (vue/server-renderer) hydrated with createSSRApp in real Chromium, by a client whose
// stored profile prefers other items.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h, nextTick, onUpdated, type App } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createPalate, type Item, type Palate } from '@palate/core'
import { providePalate, useConsent, useInterests, useRanked, useShift, useSurprise } from './index.js'

interface Product extends Item {
  name: string
}
const products: Product[] = [
  { id: 'gym-1', name: 'Kettlebell', category: 'sports/gym' },
  { id: 'gym-2', name: 'Yoga mat', category: 'sports/gym' },
  { id: 'hike-1', name: 'Trail boots', category: 'sports/hiking/boots' },
  { id: 'cook-1', name: 'Dutch oven', category: 'kitchen/cookware' },
]

const Storefront = defineComponent({
  props: { onCommit: { type: Function, default: undefined } },
  setup(props) {
    const ranked = useRanked(products, { limit: 3 })
    const interests = useInterests({ dimension: 'category', limit: 2 })
    const { consent } = useConsent()
    const [surprise] = useSurprise()
    const shift = useShift()
    onUpdated(() => props.onCommit?.())
    return () =>
      h('main', { 'data-consent': consent.value, 'data-surprise': String(surprise.value), 'data-shift': shift.value ? 'yes' : 'no' }, [
        h('ol', interests.value.map((i) => h('li', { key: i.key }, i.key))),
        h('ul', ranked.value.map(({ item, reason }) => h('li', { key: item.id, title: reason.text }, item.name))),
      ])
  },
})

/** The storefront below `providePalate(palate)`; `onCommit` sees every update after hydration. */
function storefrontApp(palate: Palate | null, onCommit?: () => void): App {
  return createSSRApp(
    defineComponent({
      setup() {
        providePalate(palate)
        return () => h(Storefront, onCommit ? { onCommit } : {})
      },
    }),
  )
}

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
  vi.restoreAllMocks()
})

/** An IndexedDB profile left by an earlier visit (kitchen, then hiking; surprise on); returns its name. */
async function earlierVisit(): Promise<string> {
  const name = `vue-hydration-${Math.random().toString(36).slice(2)}`
  const earlier = createPalate({ name })
  for (let i = 0; i < 4; i++) earlier.track('add_to_cart', products[3]!)
  earlier.track('add_to_cart', products[2]!)
  await earlier.setSurprise(true)
  await earlier.flush()
  earlier.close()
  await earlier.flush()
  return name
}

/** This page's instance on that profile, removed with everything it stored after the test. */
function openPalate(name: string): Palate {
  const palate = createPalate({ name })
  cleanups.push(async () => {
    await palate.optOut()
    palate.close()
    localStorage.removeItem(`palate:${name}:consent`)
  })
  return palate
}

/** Puts the server's HTML in the page, as the browser would have parsed it. */
function serverPage(html: string): HTMLElement {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  return container
}

/** Every console warning and error, and every warning Vue reports, from now on. */
function watchConsole() {
  const messages: string[] = []
  for (const level of ['warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void messages.push(`${level}: ${args.map(String).join(' ')}`))
  }
  return messages
}

/** Hydrates `container` with the storefront on `palate`; returns the HTML of each update after it. */
function hydrate(container: HTMLElement, palate: Palate): { commits: string[]; vueWarnings: string[] } {
  const commits: string[] = []
  const vueWarnings: string[] = []
  const app = storefrontApp(palate, () => commits.push(container.innerHTML))
  app.config.warnHandler = (message) => void vueWarnings.push(message)
  app.mount(container)
  cleanups.push(() => {
    app.unmount()
    container.remove()
  })
  return { commits, vueWarnings }
}

const settle = async () => {
  await new Promise((resolve) => setTimeout(resolve, 0))
  await nextTick()
}

describe('hydration', () => {
  it('hydrates the server HTML without a mismatch, then shows the personalized order', async () => {
    const palate = openPalate(await earlierVisit())
    await palate.ready
    expect(palate.getSnapshot().status).toBe('ready')
    const personalized = () => palate.rank(products, { limit: 3 }).map((r) => r.item.name)
    expect(personalized()[0]).toBe('Dutch oven')

    const serverHtml = await renderToString(storefrontApp(null))
    expect(serverHtml).toContain('<li title="Picked by the store">Kettlebell</li><li title="Picked by the store">Yoga mat</li>')
    const container = serverPage(serverHtml)
    const serverList = container.querySelector('ul')!

    const messages = watchConsole()
    const { commits, vueWarnings } = hydrate(container, palate)
    // Hydration is synchronous: at this point Vue has adopted the server's nodes and found them equal.
    expect(vueWarnings).toEqual([])
    expect(messages).toEqual([])
    expect(container.querySelector('ul')).toBe(serverList)

    // Right after, with the client's snapshot, it is personalized, in the server's nodes.
    await settle()
    expect(commits.length).toBeGreaterThanOrEqual(1)
    expect(container.querySelector('ul')).toBe(serverList)
    const names = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(names[0]).toBe('Dutch oven')
    expect(names).toEqual(personalized())
    expect(container.querySelector('ul li')?.getAttribute('title')).toMatch(/Because you've been looking at/)
    expect([...container.querySelectorAll('ol li')].map((li) => li.textContent)).toEqual(
      palate.interests({ dimension: 'category', limit: 2 }).map((i) => i.key),
    )
    expect(container.querySelectorAll('ol li')).toHaveLength(2)
    expect(container.querySelector('main')?.dataset).toMatchObject({ consent: 'granted', surprise: 'true' })

    // And it stays live: tracking on the hydrated page re-ranks it.
    for (let i = 0; i < 8; i++) palate.track('add_to_cart', products[1]!)
    await settle()
    const after = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(['Kettlebell', 'Yoga mat']).toContain(after[0])
    expect(after).toEqual(personalized())
    expect(vueWarnings).toEqual([])
    expect(messages).toEqual([])
  })

  it('an instance still loading its profile hydrates like the server, then ranks once the profile is in', async () => {
    const palate = openPalate(await earlierVisit())
    expect(palate.getSnapshot().status).toBe('loading')
    const serverHtml = await renderToString(storefrontApp(null))
    const container = serverPage(serverHtml)
    const messages = watchConsole()
    const { vueWarnings } = hydrate(container, palate)
    expect(vueWarnings).toEqual([])
    expect(messages).toEqual([])
    expect(container.innerHTML).toBe(serverHtml)

    await palate.ready
    await settle()
    expect(palate.getSnapshot().status).toBe('ready')
    const names = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(names[0]).toBe('Dutch oven')
    expect(names).toEqual(palate.rank(products, { limit: 3 }).map((r) => r.item.name))
    expect(vueWarnings).toEqual([])
    expect(messages).toEqual([])
  })

  it('catches a mismatch when there is one (the check is real)', async () => {
    const palate = openPalate(await earlierVisit())
    await palate.ready
    // Server HTML that is not what this storefront renders.
    const container = serverPage('<main data-consent="pending" data-surprise="false" data-shift="no"><ol></ol><ul><li>Something else</li></ul></main>')
    const messages = watchConsole()
    const { vueWarnings } = hydrate(container, palate)
    expect([...vueWarnings, ...messages].join('\n')).toMatch(/[Hh]ydration/)
  })
})
