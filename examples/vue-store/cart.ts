import { computed, inject, shallowRef, type ComputedRef, type InjectionKey } from 'vue'
import { productById, type Product } from '../catalog/catalog.js'

/** The store's own cart, kept for the tab's session. It is the store's data, not Palate's. */
const KEY = 'demo-vue-store:cart'

function read(): string[] {
  try {
    const ids = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && !!productById(id)) : []
  } catch {
    return []
  }
}

export interface Cart {
  items: ComputedRef<Product[]>
  add(product: Product): void
  remove(product: Product): void
  clear(): void
}

export function createCart(): Cart {
  const ids = shallowRef(read())
  const save = (next: string[]) => {
    ids.value = next
    try {
      sessionStorage.setItem(KEY, JSON.stringify(next))
    } catch {
      // A cart that lives in memory only is still a cart.
    }
  }
  return {
    items: computed(() => ids.value.map((id) => productById(id)!)),
    add: (product) => save([...ids.value, product.id]),
    remove: (product) => {
      const at = ids.value.indexOf(product.id)
      if (at >= 0) save([...ids.value.slice(0, at), ...ids.value.slice(at + 1)])
    },
    clear: () => save([]),
  }
}

export const CartKey: InjectionKey<Cart> = Symbol('cart')

export function useCart(): Cart {
  const cart = inject(CartKey, null)
  if (!cart) throw new Error('useCart() must be used below provide(CartKey, createCart())')
  return cart
}
