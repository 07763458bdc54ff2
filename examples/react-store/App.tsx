import { useEffect, useRef, useState } from 'react'
import type { Palate } from '@palate/core'
import { PalateProvider } from '@palate/react'
import { categories, categoryById, productById } from '../catalog/catalog.js'
import { CartContext, useCartState } from './cart.js'
import { CartPage } from './CartPage.js'
import { CategoryPage } from './CategoryPage.js'
import { HomePage } from './HomePage.js'
import { NotFound } from './NotFound.js'
import { NoticeContext } from './notice.js'
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

function Header({ route, cartSize }: { route: Route; cartSize: number }) {
  return (
    <header className="store-header">
      <div className="bar">
        <a className="brand" href={href.home}>
          {STORE} <small>React store</small>
        </a>
        <nav aria-label="Departments">
          <ul className="departments">
            {categories.map((category) => (
              <li key={category.id}>
                <a href={href.category(category.id)} aria-current={route.page === 'category' && route.id === category.id ? 'page' : undefined}>
                  {category.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <a className="header-link" href={href.cart}>
          Cart ({cartSize})
        </a>
        <a className="header-link" href={href.preferences} aria-current={route.page === 'preferences' ? 'page' : undefined}>
          Your preferences
        </a>
      </div>
    </header>
  )
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'category':
      return <CategoryPage id={route.id} />
    case 'product':
      return <ProductPage id={route.id} />
    case 'cart':
      return <CartPage />
    case 'preferences':
      return <PreferencesPage />
    default:
      return <NotFound />
  }
}

/** The React store: hash-routed pages over the shared catalog, personalized by @palate/react. */
export function App({ palate }: { palate: Palate | null }) {
  const route = useRoute()
  const cart = useCartState()
  const [notice, setNotice] = useState('')
  const main = useRef<HTMLElement>(null)
  const path = JSON.stringify(route)
  const first = useRef(true)

  useEffect(() => {
    document.title = titleOf(route)
    setNotice('')
    // A new page: start at the top, and move keyboard and screen-reader focus to its heading
    // (not on the first load, where the browser's own focus handling is right).
    if (first.current) first.current = false
    else {
      window.scrollTo(0, 0)
      main.current?.querySelector<HTMLElement>('h1')?.focus()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path])

  return (
    <PalateProvider palate={palate}>
      <CartContext.Provider value={cart}>
        <NoticeContext.Provider value={setNotice}>
          <Header route={route} cartSize={cart.items.length} />
          <main className="page" ref={main}>
            <p className="notice" role="status">
              {notice}
            </p>
            <Page key={path} route={route} />
          </main>
        </NoticeContext.Provider>
      </CartContext.Provider>
    </PalateProvider>
  )
}
