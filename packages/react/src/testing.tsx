// Helpers for the tests of this package (not exported from the package).
import { act, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { createPalate, type Item, type Palate } from '@palate/core'

declare global {
  // eslint-disable-next-line no-var
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true

export interface Mounted {
  container: HTMLElement
  render(ui: ReactNode): Promise<void>
  unmount(): Promise<void>
}

const mounted = new Set<Mounted>()

/** Renders into a fresh container inside act(); {@link cleanup} unmounts whatever is left. */
export async function mount(ui: ReactNode): Promise<Mounted> {
  const container = document.createElement('div')
  document.body.append(container)
  let root: Root | null = createRoot(container)
  const m: Mounted = {
    container,
    async render(next) {
      await act(async () => root!.render(next))
    },
    async unmount() {
      mounted.delete(m)
      if (!root) return
      const r = root
      root = null
      await act(async () => r.unmount())
      container.remove()
    },
  }
  mounted.add(m)
  await m.render(ui)
  return m
}

const palates = new Set<Palate>()

export async function cleanup(): Promise<void> {
  for (const m of [...mounted]) await m.unmount()
  for (const palate of palates) palate.close()
  palates.clear()
}

/** A clock tests move by hand. */
export const clock = { t: Date.UTC(2026, 0, 5, 12) }

let count = 0
/** A memory-only instance with the test clock and a name of its own (the consent marker is per name). */
export async function testPalate(consent?: 'granted' | 'pending' | 'denied'): Promise<Palate> {
  const palate = createPalate({
    name: `react-test-${++count}-${Math.random().toString(36).slice(2)}`,
    storage: 'memory',
    now: () => clock.t,
    ...(consent ? { consent } : {}),
  })
  palates.add(palate)
  await palate.ready
  return palate
}

/** Runs `fn` (tracking, setters) inside act() and lets the microtask notification land. */
export async function acting(fn: () => unknown): Promise<void> {
  await act(async () => {
    await fn()
  })
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
