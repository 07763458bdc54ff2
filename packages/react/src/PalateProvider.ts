// The React binding's one store: PalateProvider puts the instance in context with the three
// functions useSyncExternalStore takes (the server's snapshot constant per provider), and the
// hooks read them through useStore.
import { createContext, createElement, useContext, useMemo, useSyncExternalStore, type ReactElement, type ReactNode } from 'react'
import type { ConsentState, Palate, Snapshot } from '@palate/core'

/** What the provider hands to the hooks: the instance and the three functions useSyncExternalStore takes. */
interface Store {
  palate: Palate | null
  subscribe: (listener: () => void) => () => void
  get: () => Snapshot
  /** Constant per provider: what the server renders, and therefore what hydration must render too. */
  server: () => Snapshot
}

const PalateContext = createContext<Store | null>(null)

const noSubscription = () => () => {}

/**
 * Props of {@link PalateProvider}.
 *
 * @example
 * // A storefront with a consent banner: the server shows it, hydration keeps it, and it goes
 * // away on the next render for shoppers who already answered.
 * const props: PalateProviderProps = { palate: null, serverConsent: 'pending' }
 */
export interface PalateProviderProps {
  /**
   * The instance from `createPalate()`, created once per page (not on every render). Pass `null`
   * where there is none, such as on the server: every hook then renders the storefront's order,
   * no interests, and its setters do nothing.
   */
  palate: Palate | null
  /**
   * The consent hooks report while rendering on the server, while hydrating, and whenever `palate`
   * is `null`. The server cannot know the shopper's choice, and hydration must render what the
   * server did; the real value follows right after hydration.
   * @default 'pending'
   */
  serverConsent?: ConsentState
  children?: ReactNode
}

/**
 * Makes a Palate instance available to the hooks below it. Server rendering and hydration show the
 * storefront's order; the personalized one follows as soon as the page is hydrated.
 *
 * @example
 * const palate = typeof window === 'undefined' ? null : createPalate({ consent: 'pending' })
 *
 * export function App() {
 *   return (
 *     <PalateProvider palate={palate}>
 *       <Shelf products={products} />
 *     </PalateProvider>
 *   )
 * }
 */
export function PalateProvider({ palate, serverConsent = 'pending', children }: PalateProviderProps): ReactElement {
  const value = useMemo<Store>(() => {
    const snapshot: Snapshot = { status: 'loading', consent: serverConsent, surprise: false, muted: [], interests: [], shift: null }
    const server = () => snapshot
    return palate
      ? { palate, subscribe: (listener) => palate.subscribe(listener), get: () => palate.getSnapshot(), server }
      : { palate, subscribe: noSubscription, get: server, server }
  }, [palate, serverConsent])
  // createElement rather than JSX keeps this file free of the JSX runtime import; `.Provider`
  // rather than React 19's `<Context value>` keeps React 18 working.
  return createElement(PalateContext.Provider, { value }, children)
}

/** The provider's store, or a clear error naming the hook that was used outside of it. */
export function useStore(hook: string): Store {
  const store = useContext(PalateContext)
  if (!store) throw new Error(`[palate] ${hook}() must be used inside <PalateProvider>`)
  return store
}

/**
 * The current snapshot and the store, re-rendering on every change. The snapshot is the server's
 * one (status `'loading'`) while rendering on the server or hydrating.
 */
export function useStoreSnapshot(hook: string): [Snapshot, Store] {
  const store = useStore(hook)
  return [useSyncExternalStore(store.subscribe, store.get, store.server), store]
}
