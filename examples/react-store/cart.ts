import { createContext, useCallback, useContext, useMemo, useState } from 'react'
import { productById, type Product } from '../catalog/catalog.js'

/** The store's own cart, kept for the tab's session. It is the store's data, not Palate's. */
const KEY = 'demo-react-store:cart'

function read(): string[] {
  try {
    const ids = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && !!productById(id)) : []
  } catch {
    return []
  }
}

export interface Cart {
  items: Product[]
  add(product: Product): void
  remove(product: Product): void
  clear(): void
}

export function useCartState(): Cart {
  const [ids, setIds] = useState(read)
  const save = useCallback((next: string[]) => {
    setIds(next)
    try {
      sessionStorage.setItem(KEY, JSON.stringify(next))
    } catch {
      // A cart that lives in memory only is still a cart.
    }
  }, [])
  return useMemo(
    () => ({
      items: ids.map((id) => productById(id)!),
      add: (product) => save([...ids, product.id]),
      remove: (product) => {
        const at = ids.indexOf(product.id)
        if (at >= 0) save([...ids.slice(0, at), ...ids.slice(at + 1)])
      },
      clear: () => save([]),
    }),
    [ids, save],
  )
}

export const CartContext = createContext<Cart | null>(null)

export function useCart(): Cart {
  const cart = useContext(CartContext)
  if (!cart) throw new Error('useCart() must be used inside <CartContext.Provider>')
  return cart
}
