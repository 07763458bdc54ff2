import { computed, shallowRef, type ComputedRef } from 'vue'

/** The store's pages. Hash routing: the demo server serves files only, with no SPA fallback. */
export type Route =
  | { page: 'home' }
  | { page: 'category'; id: string }
  | { page: 'product'; id: string }
  | { page: 'cart' }
  | { page: 'preferences' }
  | { page: 'not-found' }

/** `#/`, `#/c/hiking`, `#/p/hike-boots`, `#/cart`, `#/preferences`. */
export function parseRoute(hash: string): Route {
  const [, first = '', second = ''] = hash.replace(/^#/, '').split('/')
  const id = decodeURIComponent(second)
  if (first === '') return { page: 'home' }
  if (first === 'c' && id) return { page: 'category', id }
  if (first === 'p' && id) return { page: 'product', id }
  if (first === 'cart') return { page: 'cart' }
  if (first === 'preferences') return { page: 'preferences' }
  return { page: 'not-found' }
}

export const href = {
  home: '#/',
  category: (id: string) => `#/c/${encodeURIComponent(id)}`,
  product: (id: string) => `#/p/${encodeURIComponent(id)}`,
  cart: '#/cart',
  preferences: '#/preferences',
}

/** The current route, following the location's hash. Listens from the first call on (one app per page). */
let current: ComputedRef<Route> | undefined
export function useRoute(): ComputedRef<Route> {
  if (!current) {
    const hash = shallowRef(window.location.hash)
    window.addEventListener('hashchange', () => (hash.value = window.location.hash))
    current = computed(() => parseRoute(hash.value))
  }
  return current
}
