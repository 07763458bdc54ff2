import { createPalate } from '../build/core.js'
// The 70 products of the demo stores, in the catalog's own order.
import { products as catalog } from '../catalog/catalog.js'

const palate = createPalate({ name: 'palate-playground' })
window.palate = palate

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

function renderCatalog() {
  const list = document.getElementById('catalog')
  for (const item of catalog) {
    const view = el('button', { type: 'button', textContent: 'View', className: 'secondary' })
    view.dataset.action = 'view'
    const cart = el('button', { type: 'button', textContent: 'Add to cart' })
    cart.dataset.action = 'add_to_cart'
    const row = el('li', { className: 'product' }, el('span', { className: 'name', textContent: item.name }), el('span', { className: 'category', textContent: item.category }), view, cart)
    row.dataset.id = item.id
    list.append(row)
  }
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]')
    if (!button) return
    const item = catalog.find((p) => p.id === button.closest('li').dataset.id)
    palate.track(button.dataset.action, item)
  })
}

function render() {
  const snapshot = palate.getSnapshot()
  document.getElementById('status').textContent = snapshot.status
  // An empty list says why it is empty instead of leaving a bare heading.
  const empty = document.getElementById('interests-empty')
  empty.hidden = snapshot.interests.length > 0
  empty.textContent =
    snapshot.status === 'opted-out'
      ? 'Personalization is off: nothing is learned or stored.'
      : snapshot.status === 'loading'
        ? 'Reading the stored profile…'
        : 'Nothing learned yet. View or cart a few products and their interests appear here.'
  document.getElementById('interests').replaceChildren(
    ...snapshot.interests.map((i) => {
      const li = el('li', {}, el('span', { textContent: i.label }), el('span', { className: 'muted', textContent: ` ${i.dimension} · ${Math.round(i.share * 100)}% · ${i.trend}` }))
      li.dataset.key = i.key
      return li
    }),
  )
  document.getElementById('shelf').replaceChildren(
    ...palate.rank(catalog, { limit: 6 }).map(({ item, reason }) => {
      const li = el('li', {}, el('span', { className: 'name', textContent: item.name }), el('small', { textContent: reason.text }))
      li.dataset.id = item.id
      li.dataset.reason = reason.kind
      return li
    }),
  )
}

renderCatalog()
render()
palate.subscribe(render)
