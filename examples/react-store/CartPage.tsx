import { useTrack } from '@palate/react'
import { formatPrice } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { useNotice } from './notice.js'
import { pictureOf } from './ProductCard.js'
import { href } from './route.js'

export function CartPage() {
  const cart = useCart()
  const track = useTrack()
  const notice = useNotice()
  const total = cart.items.reduce((sum, product) => sum + product.price, 0)
  return (
    <>
      <h1 tabIndex={-1}>Your cart</h1>
      {cart.items.length === 0 ? (
        <p>
          Your cart is empty. <a href={href.home}>Keep shopping</a>
        </p>
      ) : (
        <>
          <ul className="cart" aria-label="Items in your cart">
            {cart.items.map((product, i) => (
              <li key={`${product.id}-${i}`}>
                <img src={pictureOf(product)} alt="" width={48} height={48} />
                <a href={href.product(product.id)}>{product.name}</a>
                <span>{formatPrice(product.price)}</span>
                <button type="button" className="secondary" aria-label={`Remove ${product.name}`} onClick={() => cart.remove(product)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <p>
            Total: <strong>{formatPrice(total)}</strong>
          </p>
          <button
            type="button"
            onClick={() => {
              for (const product of cart.items) track('purchase', product)
              cart.clear()
              notice('Thank you! Your order is placed.')
            }}
          >
            Place order
          </button>
        </>
      )}
    </>
  )
}
