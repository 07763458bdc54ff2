// The Vue binding's one store: providePalate and the plugin put the instance in the app with the
// server's snapshot (constant per provider), and useStoreSnapshot gives the composables a
// shallowRef that follows the instance once a component is mounted (the server's until then).
import {
  computed,
  getCurrentInstance,
  inject,
  onMounted,
  onScopeDispose,
  provide,
  shallowRef,
  ssrContextKey,
  toRaw,
  toValue,
  watch,
  type ComputedRef,
  type InjectionKey,
  type MaybeRefOrGetter,
  type Plugin,
  type Ref,
} from 'vue'
import type { ConsentState, Palate, Snapshot } from '@palate/core'

/** What {@link providePalate} hands to the composables. */
export interface Store {
  palate: ComputedRef<Palate | null>
  /** Constant per provider: what the server renders, and therefore what hydration must render too. */
  server: Snapshot
}

const PalateKey: InjectionKey<Store> = Symbol('palate')

/**
 * Options of {@link providePalate} and {@link createPalatePlugin}.
 *
 * @example
 * // A storefront with a consent banner: the server shows it, hydration keeps it, and it goes
 * // away right after hydration for shoppers who already answered.
 * const options: PalateProvideOptions = { serverConsent: 'pending' }
 */
export interface PalateProvideOptions {
  /**
   * The consent the composables report while rendering on the server, while hydrating, and while
   * there is no instance. The server cannot know the shopper's choice, and hydration must render
   * what the server did; the real value follows right after hydration.
   * @default 'pending'
   */
  serverConsent?: ConsentState
}

function createStore(palate: MaybeRefOrGetter<Palate | null>, { serverConsent = 'pending' }: PalateProvideOptions = {}): Store {
  return {
    // toRaw: an instance put in a deep ref() comes back as a reactive proxy, which it must not run behind.
    palate: computed(() => toRaw(toValue(palate))),
    server: { status: 'loading', consent: serverConsent, surprise: false, muted: [], interests: [], shift: null },
  }
}

/**
 * Makes a Palate instance available to the composables of this component and everything below
 * it. Call it in `setup()` (or `<script setup>`) of the app's root component. Server rendering and
 * hydration show the storefront's order; the personalized one follows once the page is hydrated.
 *
 * @param palate The instance from `createPalate()`, created once per page, or `null` where there is
 * none (on the server). A ref or a getter works too, for an instance created later: the composables
 * follow it.
 *
 * @example
 * // App.vue, <script setup lang="ts">
 * const palate = typeof window === 'undefined' ? null : createPalate({ name: 'my-shop' })
 * providePalate(palate)
 */
export function providePalate(palate: MaybeRefOrGetter<Palate | null>, options?: PalateProvideOptions): void {
  provide(PalateKey, createStore(palate, options))
}

/**
 * The same as {@link providePalate}, for the whole app: `app.use(createPalatePlugin(palate))`.
 *
 * @example
 * const palate = typeof window === 'undefined' ? null : createPalate({ name: 'my-shop' })
 * createSSRApp(App).use(createPalatePlugin(palate)).mount('#app')
 */
export function createPalatePlugin(palate: MaybeRefOrGetter<Palate | null>, options?: PalateProvideOptions): Plugin {
  return { install: (app) => void app.provide(PalateKey, createStore(palate, options)) }
}

/** The provider's store, or a clear error naming the composable that was used without one. */
export function useStore(name: string): Store {
  const store = inject(PalateKey, null)
  if (!store) throw new Error(`[palate] ${name}() must be used in setup() below providePalate() or app.use(createPalatePlugin())`)
  return store
}

/**
 * The snapshot as a shallowRef fed by `subscribe`, released when the component (or effect scope)
 * is disposed. It holds the server's snapshot (status `'loading'`) on the server, in a component
 * that is being hydrated until it is mounted, and while there is no instance.
 */
export function useStoreSnapshot(name: string): [Readonly<Ref<Snapshot>>, Store] {
  const store = useStore(name)
  const snapshot = shallowRef(store.server)
  // On the server nothing subscribes and the live profile is never read: the HTML shows the
  // storefront's order, and nothing is left to release at the end of a request.
  if (!inject(ssrContextKey, null)) {
    // During hydration Vue has put the server's node on the vnode before setup runs; such a
    // component must render what the server did, and turns live once hydration has finished.
    let live = !getCurrentInstance()?.vnode.el
    let stop = () => {}
    const read = () => {
      const palate = store.palate.value
      snapshot.value = palate && live ? palate.getSnapshot() : store.server
    }
    watch(
      store.palate,
      (palate) => {
        stop()
        stop = palate ? palate.subscribe(read) : () => {}
        read()
      },
      { immediate: true },
    )
    if (!live)
      onMounted(() => {
        live = true
        read()
      })
    onScopeDispose(() => stop())
  }
  return [snapshot, store]
}

/** A function that runs `act` on the instance, or does nothing and resolves when there is none. */
export const withPalate =
  (palate: Ref<Palate | null>) =>
  <A extends unknown[]>(act: (p: Palate, ...args: A) => Promise<void>) =>
  (...args: A): Promise<void> =>
    palate.value ? act(palate.value, ...args) : Promise.resolve()
