import { createPalate } from '../build/core.js'

const catalog = [
  { id: 'gym-1', name: 'Adjustable dumbbells', category: 'gym/weights', tags: ['strength'], brand: 'Ironclad' },
  { id: 'gym-2', name: 'Kettlebell 16 kg', category: 'gym/weights', tags: ['strength'], brand: 'Ironclad' },
  { id: 'gym-3', name: 'Lifting belt', category: 'gym/accessories', tags: ['strength', 'leather'], brand: 'Forge' },
  { id: 'hike-1', name: 'Waterproof hiking boots', category: 'hiking/boots', tags: ['waterproof', 'leather'], brand: 'Summit' },
  { id: 'hike-2', name: '30 L daypack', category: 'hiking/packs', tags: ['lightweight'], brand: 'Summit' },
  { id: 'hike-3', name: 'Trekking poles', category: 'hiking/accessories', tags: ['lightweight'], brand: 'Ridgeway' },
  { id: 'surf-1', name: '7ft foam surfboard', category: 'surf/boards', tags: ['beginner'], brand: 'Swell' },
  { id: 'surf-2', name: '4/3 wetsuit', category: 'surf/wetsuits', tags: ['warm'], brand: 'Swell' },
  { id: 'yoga-1', name: 'Cork yoga mat', category: 'yoga/mats', tags: ['eco'], brand: 'Lotus' },
  { id: 'yoga-2', name: 'Yoga blocks (pair)', category: 'yoga/props', tags: ['eco'], brand: 'Lotus' },
  { id: 'run-1', name: 'Trail running shoes', category: 'running/shoes', tags: ['waterproof', 'lightweight'], brand: 'Stride' },
  { id: 'camp-1', name: 'Two-person tent', category: 'camping/tents', tags: ['lightweight'], brand: 'Ridgeway' },
]

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
