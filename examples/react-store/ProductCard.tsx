import type { ReactNode } from 'react'
import type { Reason } from '@palate/core'
import { useTrack } from '@palate/react'
import { formatPrice, type Product } from '../catalog/catalog.js'
import { useNotice } from './notice.js'
import { href } from './route.js'

/** The department's picture: one small SVG per department, from this origin. */
export function pictureOf(product: Product): string {
  return `/assets/icons/${product.category.split('/')[0]}.svg`
}

/**
 * A product in a grid. Everything from the catalog is rendered as text by JSX; `reason` is why
 * Palate put it here ("Because you've been looking at Hiking", "Something different: Surf").
 */
export function ProductCard({ product, reason, children }: { product: Product; reason?: Reason; children?: ReactNode }) {
  const track = useTrack()
  return (
    <li className="card" data-product-id={product.id} data-reason-kind={reason?.kind}>
      <img src={pictureOf(product)} alt="" width={190} height={119} />
      <a className="name" href={href.product(product.id)} onClick={() => track('click', product)}>
        {product.name}
      </a>
      <p className="meta">
        {product.brand} · {formatPrice(product.price)}
      </p>
      {reason && <p className="reason">{reason.text}</p>}
      {children && <div className="actions">{children}</div>}
    </li>
  )
}

/** A card's "Not interested" button: negative feedback on the product and what it is (`dismiss`). */
export function NotInterestedButton({ product }: { product: Product }) {
  const track = useTrack()
  const notice = useNotice()
  return (
    <button
      type="button"
      className="quiet"
      aria-label={`Not interested in ${product.name}`}
      onClick={() => {
        track('dismiss', product)
        notice(`Hidden ${product.name}. You’ll see less like it.`)
      }}
    >
      Not interested
    </button>
  )
}
