import { defineComponent, h, nextTick, provide, ref, watch, type PropType } from 'vue'
import type { Palate } from '@palate/core'
import { providePalate } from '@palate/vue'
import { categories, categoryById, productById } from '../catalog/catalog.js'
import { CartKey, createCart, type Cart } from './cart.js'
import { CartPage } from './CartPage.js'
import { CategoryPage } from './CategoryPage.js'
import { HomePage } from './HomePage.js'
import { NotFound } from './NotFound.js'
import { NoticeKey } from './notice.js'
import { PreferencesPage } from './PreferencesPage.js'
import { ProductPage } from './ProductPage.js'
import { href, useRoute, type Route } from './route.js'

const STORE = 'Palate Outfitters'

function titleOf(route: Route): string {
  switch (route.page) {
    case 'home':
      return STORE
    case 'category':
      return `${categoryById(route.id)?.label ?? 'Not found'} · ${STORE}`
    case 'product':
      return `${productById(route.id)?.name ?? 'Not found'} · ${STORE}`
    case 'cart':
      return `Your cart · ${STORE}`
    case 'preferences':
      return `Your preferences · ${STORE}`
    default:
      return `Not found · ${STORE}`
  }
}

function header(route: Route, cart: Cart) {
  const current = (yes: boolean) => (yes ? 'page' : undefined)
  return h('header', { class: 'store-header' }, [
    h('div', { class: 'bar' }, [
      h('a', { class: 'brand', href: href.home }, [`${STORE} `, h('small', 'Vue store')]),
      h('nav', { 'aria-label': 'Departments' }, [
        h(
          'ul',
          { class: 'departments' },
          categories.map((category) =>
            h('li', { key: category.id }, [
              h('a', { href: href.category(category.id), 'aria-current': current(route.page === 'category' && route.id === category.id) }, category.label),
            ]),
          ),
        ),
      ]),
      h('a', { class: 'header-link', href: href.cart }, `Cart (${cart.items.value.length})`),
      h('a', { class: 'header-link', href: href.preferences, 'aria-current': current(route.page === 'preferences') }, 'Your preferences'),
    ]),
  ])
}

function page(route: Route, key: string) {
  switch (route.page) {
    case 'home':
      return h(HomePage, { key })
    case 'category':
      return h(CategoryPage, { key, id: route.id })
    case 'product':
      return h(ProductPage, { key, id: route.id })
    case 'cart':
      return h(CartPage, { key })
    case 'preferences':
      return h(PreferencesPage, { key })
    default:
      return h(NotFound, { key })
  }
}

/** The Vue store: hash-routed pages over the shared catalog, personalized by @palate/vue. */
export const App = defineComponent({
  props: { palate: { type: Object as PropType<Palate | null>, default: null } },
  setup(props) {
    providePalate(() => props.palate)
    const cart = createCart()
    provide(CartKey, cart)
    const notice = ref('')
    provide(NoticeKey, (text) => (notice.value = text))
    const route = useRoute()
    const main = ref<HTMLElement | null>(null)
    const path = () => JSON.stringify(route.value)

    document.title = titleOf(route.value)
    watch(path, async () => {
      document.title = titleOf(route.value)
      notice.value = ''
      // A new page: start at the top, and move keyboard and screen-reader focus to its heading
      // (not on the first load, where the browser's own focus handling is right).
      await nextTick()
      window.scrollTo(0, 0)
      main.value?.querySelector<HTMLElement>('h1')?.focus()
    })

    return () => [
      header(route.value, cart),
      h('main', { class: 'page', ref: main }, [h('p', { class: 'notice', role: 'status' }, notice.value), page(route.value, path())]),
    ]
  },
})
