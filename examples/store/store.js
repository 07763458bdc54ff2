// The plain store's own page script: it renders the catalog into ordinary markup and runs the cart.
// It does no personalization. That comes from the script tag (/build/palate.min.js, data-auto):
// Palate tracks and re-ranks through the data-palate-* attributes written here, and writes each
// card's reason into its data-palate-reason-slot paragraph. The only calls to Palate are
// `Palate.push(...)`, for the purchases of a whole cart and for the "New to …?" banner.
//
// Everything from the catalog goes into the page as text (textContent, setAttribute): never as HTML.
import { bestSellers, categories, categoryById, formatPrice, productById, productsIn, sectionLabel } from '../catalog/catalog.js'

const STORE = 'Palate Outfitters'
const CART = 'demo-store:cart' // the store's own cart, for the tab's session; not Palate's data
const params = new URLSearchParams(window.location.search)
const page = document.body.dataset.page

/** Runs Palate.push entries (functions, or [method, ...args]) now, or once the script tag has created the instance. */
function withPalate(...entries) {
  ;(window.Palate = window.Palate || []).push(...entries)
}

/** `el('a', { href: '…', className: 'name' }, 'text', child)`: properties are set, children appended (strings as text). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'className') node.className = value
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  node.append(...children)
  return node
}

const productUrl = (product) => `/store/product.html?id=${encodeURIComponent(product.id)}`
const categoryUrl = (id) => `/store/category.html?c=${encodeURIComponent(id)}`
const departmentOf = (product) => product.category.split('/')[0]
const picture = (product, size) => el('img', { src: `/assets/icons/${departmentOf(product)}.svg`, alt: '', width: size, height: Math.round(size / 1.6) })

/** What Palate reads: the product as JSON. Palate keeps the extra fields (name) as they are. */
const itemJson = (product) => JSON.stringify(product)

// ---- the store's cart ------------------------------------------------------------------------

function readCart() {
  try {
    const ids = JSON.parse(sessionStorage.getItem(CART) ?? '[]')
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string' && productById(id)) : []
  } catch {
    return []
  }
}

function writeCart(ids) {
  try {
    sessionStorage.setItem(CART, JSON.stringify(ids))
  } catch {
    // A cart that lives in this page only is still a cart.
  }
  const count = document.getElementById('cart-count')
  if (count) count.textContent = String(ids.length)
}

function addToCart(product) {
  writeCart([...readCart(), product.id])
  say(`Added ${product.name} to your cart.`)
}

/** The page's polite live region. */
function say(text) {
  const notice = document.getElementById('notice')
  if (notice) notice.textContent = text
}

// ---- shared pieces ---------------------------------------------------------------------------

function renderHeader(current) {
  const nav = document.getElementById('departments')
  nav.replaceChildren(
    ...categories.map((category) =>
      el('li', {}, el('a', { href: categoryUrl(category.id), 'aria-current': category.id === current ? 'page' : undefined }, category.label)),
    ),
  )
  writeCart(readCart())
}

/**
 * A product card. Every card here sits on a `data-palate-rank` list, so being seen teaches Palate
 * nothing: a click on it is a `click`, and its buttons with `data-palate-event` track that event
 * instead. Palate writes why the card is where it is into the `data-palate-reason-slot` paragraph.
 */
function card(product, { addToCart: withCart = false } = {}) {
  const actions = el('div', { className: 'actions' })
  if (withCart) {
    actions.append(el('button', { type: 'button', 'data-palate-event': 'add_to_cart', 'data-action': 'add', 'aria-label': `Add ${product.name} to cart` }, 'Add to cart'))
  }
  actions.append(el('button', { type: 'button', className: 'quiet', 'data-palate-event': 'dismiss', 'data-action': 'dismiss', 'aria-label': `Not interested in ${product.name}` }, 'Not interested'))
  return el(
    'li',
    { className: 'card', 'data-palate-item': itemJson(product), 'data-product-id': product.id },
    picture(product, 190),
    el('a', { className: 'name', href: productUrl(product) }, product.name),
    el('p', { className: 'meta' }, `${product.brand} · ${formatPrice(product.price)}`),
    el('p', { className: 'reason', 'data-palate-reason-slot': true }),
    actions,
  )
}

/** Card buttons: the store's part of "Add to cart" and "Not interested" (Palate tracks them itself). */
function onCardButton(event) {
  const button = event.target.closest('button[data-action]')
  const cardElement = button?.closest('.card')
  const product = cardElement && productById(cardElement.dataset.productId)
  if (!product) return
  if (button.dataset.action === 'add') addToCart(product)
  else {
    cardElement.remove()
    say(`Hidden ${product.name}. You’ll see less like it.`)
  }
}

// ---- pages -----------------------------------------------------------------------------------

function renderHome() {
  renderHeader(null)
  // The store's own order (best sellers); data-palate-rank re-ranks it, data-palate-limit="8"
  // personalizes the first eight slots, and store.css shows only those.
  const shelf = document.getElementById('for-you')
  shelf.append(...bestSellers.map((product) => card(product)))
  shelf.addEventListener('click', onCardButton)

  document.getElementById('department-tiles').replaceChildren(
    ...categories.map((category) =>
      el('li', {}, el('a', { href: categoryUrl(category.id) }, el('img', { src: `/assets/icons/${category.id}.svg`, alt: '', width: 40, height: 40 }), category.label)),
    ),
  )

  // "New to hiking? Start here": Palate names a shift when a new interest displaces the long-time one.
  const banner = document.getElementById('shift-banner')
  withPalate((palate) => {
    const update = () => {
      const shift = palate.getSnapshot().shift
      const department = shift && categoryById(shift.to.replace(/^category:/, '').split('/')[0])
      banner.hidden = !department
      if (!department) return banner.replaceChildren()
      banner.replaceChildren(
        el('strong', {}, `New to ${department.label}? Start here.`),
        el('span', { className: 'muted' }, `Lately more ${window.Palate.labelOf(shift.to)} than ${window.Palate.labelOf(shift.from)}.`),
        el('a', { href: categoryUrl(department.id) }, `Shop ${department.label} essentials`),
      )
    }
    update()
    palate.subscribe(update)
  })
}

function renderCategory() {
  const category = categoryById(params.get('c') ?? '')
  renderHeader(category?.id ?? null)
  if (!category) return renderNotFound()
  document.title = `${category.label} · ${STORE}`
  document.getElementById('category-name').textContent = category.label
  document.getElementById('category-title').textContent = category.label
  document.getElementById('category-blurb').textContent = category.blurb
  const list = document.getElementById('category-products')
  list.append(...productsIn(category.id).map((product) => card(product, { addToCart: true })))
  list.addEventListener('click', onCardButton)
}

function renderProduct() {
  const product = productById(params.get('id') ?? '')
  const department = product && categoryById(departmentOf(product))
  renderHeader(department?.id ?? null)
  if (!product || !department) return renderNotFound()
  document.title = `${product.name} · ${STORE}`
  const crumb = document.getElementById('product-department')
  crumb.href = categoryUrl(department.id)
  crumb.textContent = department.label

  const button = (label, event, className) => el('button', { type: 'button', className, 'data-palate-event': event }, label)
  const article = document.getElementById('product')
  // The page's own product: opening the page is the view (once per visit), as in the React store.
  article.setAttribute('data-palate-page-item', '')
  article.setAttribute('data-palate-item', itemJson(product))
  article.setAttribute('data-product-id', product.id)
  article.replaceChildren(
    picture(product, 320),
    el(
      'div',
      {},
      el('h1', {}, product.name),
      el('p', { className: 'meta' }, `by ${product.brand} · ${sectionLabel(product.category)}`),
      el('p', { className: 'price' }, formatPrice(product.price)),
      el('p', { className: 'tags' }, product.tags.join(' · ')),
      el('div', { className: 'actions' }, button('Add to cart', 'add_to_cart'), button('Buy now', 'purchase', 'secondary'), button('Not interested', 'dismiss', 'quiet')),
    ),
  )
  article.addEventListener('click', (event) => {
    const type = event.target.closest('button[data-palate-event]')?.dataset.palateEvent
    if (type === 'add_to_cart') addToCart(product)
    else if (type === 'purchase') say(`Thank you! Your order for ${product.name} is placed.`)
    else if (type === 'dismiss') say(`Got it: you’ll see less like ${product.name}.`)
  })
}

function renderCart() {
  renderHeader(null)
  const list = document.getElementById('cart')
  const summary = document.getElementById('cart-summary')
  const order = document.getElementById('place-order')
  function render() {
    const items = readCart().map((id) => productById(id))
    list.hidden = order.hidden = items.length === 0
    summary.textContent = items.length
      ? `Total: ${formatPrice(items.reduce((sum, product) => sum + product.price, 0))}`
      : 'Your cart is empty.'
    list.replaceChildren(
      ...items.map((product, i) => {
        const remove = el('button', { type: 'button', className: 'secondary', 'aria-label': `Remove ${product.name}` }, 'Remove')
        remove.addEventListener('click', () => {
          const ids = readCart()
          ids.splice(i, 1)
          writeCart(ids)
          render()
        })
        return el('li', {}, picture(product, 48), el('a', { href: productUrl(product) }, product.name), el('span', {}, formatPrice(product.price)), remove)
      }),
    )
  }
  order.addEventListener('click', () => {
    const items = readCart().map((id) => productById(id))
    // The rows carry no data-palate-item (looking at your cart is not interest): purchases are
    // tracked through window.Palate, queued if the script tag has not run yet.
    withPalate(...items.map((product) => ['track', 'purchase', product]))
    writeCart([])
    render()
    say('Thank you! Your order is placed.')
  })
  render()
}

function renderNotFound() {
  document.title = `Not found · ${STORE}`
  const main = document.querySelector('main')
  main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'There is nothing here. ', el('a', { href: '/store/' }, 'Back to the shop')))
}

/**
 * The preferences drawer closes with Escape, as a disclosure a keyboard shopper opened should, and
 * gives focus back to its summary. (The panel lives in a shadow root: its keys bubble out to here.)
 */
function closeDrawerOnEscape() {
  const drawer = document.getElementById('preferences')
  drawer?.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !drawer.open) return
    drawer.open = false
    drawer.querySelector('summary')?.focus()
  })
}

const pages = { home: renderHome, category: renderCategory, product: renderProduct, cart: renderCart }
;(pages[page] ?? renderNotFound)()
closeDrawerOnEscape()
