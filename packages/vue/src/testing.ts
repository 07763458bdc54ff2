// Helpers for the tests of this package (not exported from the package).
import { createApp, defineComponent, h, nextTick, type App, type Component } from 'vue'
import { createPalate, type Item, type Palate } from '@palate/core'
import { providePalate, type PalateProvideOptions } from './index.js'

export interface Mounted {
  container: HTMLElement
  app: App
  unmount(): void
}

const mounted = new Set<Mounted>()

/** Mounts `component` below `providePalate(palate, options)` into a fresh container. */
export function mount(component: Component, palate?: Parameters<typeof providePalate>[0], options?: PalateProvideOptions): Mounted {
  const container = document.createElement('div')
  document.body.append(container)
  const root = defineComponent({
    setup() {
      if (palate !== undefined) providePalate(palate, options)
      return () => h(component)
    },
  })
  const app = createApp(root)
  const m: Mounted = {
    container,
    app,
    unmount() {
      if (!mounted.delete(m)) return
      app.unmount()
      container.remove()
    },
  }
  mounted.add(m)
  app.mount(container)
  return m
}

const palates = new Set<Palate>()

export function cleanup(): void {
  for (const m of [...mounted]) m.unmount()
  for (const palate of palates) palate.close()
  palates.clear()
}

/** A clock tests move by hand. */
export const clock = { t: Date.UTC(2026, 0, 5, 12) }

let count = 0
/** A memory-only instance with the test clock and a name of its own (the consent marker is per name). */
export async function testPalate(consent?: 'granted' | 'pending' | 'denied'): Promise<Palate> {
  const palate = createPalate({
    name: `vue-test-${++count}-${Math.random().toString(36).slice(2)}`,
    storage: 'memory',
    now: () => clock.t,
    ...(consent ? { consent } : {}),
  })
  palates.add(palate)
  await palate.ready
  return palate
}

/** Runs `fn` (tracking, setters), lets the core's notification land, then Vue's re-render. */
export async function acting(fn: () => unknown = () => {}): Promise<void> {
  await fn()
  await new Promise((resolve) => setTimeout(resolve, 0))
  await nextTick()
}

export interface Product extends Item {
  name: string
  price: number
}

/** A storefront's list, in the storefront's order: gym first, then hiking, then kitchen. */
export const products: Product[] = [
  { id: 'gym-1', name: 'Kettlebell', category: 'sports/gym', tags: ['strength'], price: 40 },
  { id: 'gym-2', name: 'Yoga mat', category: 'sports/gym', tags: ['mat'], price: 25 },
  { id: 'hike-1', name: 'Trail boots', category: 'sports/hiking/boots', tags: ['waterproof'], price: 130 },
  { id: 'hike-2', name: 'Trekking poles', category: 'sports/hiking', tags: ['poles'], price: 60 },
  { id: 'cook-1', name: 'Dutch oven', category: 'kitchen/cookware', tags: ['cast-iron'], price: 90 },
]

/** The storefront order of ids. */
export const storeOrder = products.map((p) => p.id)

/** The text of every element matching `selector`, in document order. */
export function texts(container: ParentNode, selector = 'li'): string[] {
  return [...container.querySelectorAll(selector)].map((el) => el.textContent ?? '')
}
