import { useEffect } from 'react'
import { useTrack } from '@palate/react'
import { categoryById, formatPrice, productById, sectionLabel, type Product } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { NotFound } from './NotFound.js'
import { useNotice } from './notice.js'
import { pictureOf } from './ProductCard.js'
import { href } from './route.js'

function Detail({ product }: { product: Product }) {
  const track = useTrack()
  const cart = useCart()
  const notice = useNotice()
  // Opening a product page is a view. `track` changes identity only when the instance does.
  useEffect(() => {
    track('view', product)
  }, [track, product])
  const department = categoryById(product.category.split('/')[0]!)
  return (
    <>
      <p className="breadcrumbs">
        <a href={href.home}>Home</a> › {department && <a href={href.category(department.id)}>{department.label}</a>}
      </p>
      <article className="product-detail" data-product-id={product.id}>
        <img src={pictureOf(product)} alt="" width={320} height={320} />
        <div>
          <h1 tabIndex={-1}>{product.name}</h1>
          <p className="meta">
            by {product.brand} · {sectionLabel(product.category)}
          </p>
          <p className="price">{formatPrice(product.price)}</p>
          <p className="tags">{product.tags.join(' · ')}</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                track('add_to_cart', product)
                cart.add(product)
                notice(`Added ${product.name} to your cart.`)
              }}
            >
              Add to cart
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                track('purchase', product)
                notice(`Thank you! Your order for ${product.name} is placed.`)
              }}
            >
              Buy now
            </button>
            <button
              type="button"
              className="quiet"
              onClick={() => {
                track('dismiss', product)
                notice(`Got it: you’ll see less like ${product.name}.`)
              }}
            >
              Not interested
            </button>
          </div>
        </div>
      </article>
    </>
  )
}

export function ProductPage({ id }: { id: string }) {
  const product = productById(id)
  // Keyed by id: going from one product to another is a new page, and a new view.
  return product ? <Detail key={product.id} product={product} /> : <NotFound />
}
