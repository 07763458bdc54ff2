import { useMemo } from 'react'
import { useRanked, useTrack } from '@palate/react'
import { categoryById, productsIn, type Category } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { NotFound } from './NotFound.js'
import { useNotice } from './notice.js'
import { NotInterestedButton, ProductCard } from './ProductCard.js'
import { href } from './route.js'

function Department({ category }: { category: Category }) {
  // Memoized: useRanked compares items by identity.
  const products = useMemo(() => productsIn(category.id), [category])
  const ranked = useRanked(products)
  const track = useTrack()
  const cart = useCart()
  const notice = useNotice()
  return (
    <>
      <p className="breadcrumbs">
        <a href={href.home}>Home</a> › {category.label}
      </p>
      <div className="section-head">
        <h1 id="category-title" tabIndex={-1}>
          {category.label}
        </h1>
        <p>{category.blurb}</p>
      </div>
      <ol className="grid" aria-labelledby="category-title">
        {ranked.map(({ item, reason }) => (
          <ProductCard key={item.id} product={item} reason={reason}>
            <button
              type="button"
              aria-label={`Add ${item.name} to cart`}
              onClick={() => {
                track('add_to_cart', item)
                cart.add(item)
                notice(`Added ${item.name} to your cart.`)
              }}
            >
              Add to cart
            </button>
            <NotInterestedButton product={item} />
          </ProductCard>
        ))}
      </ol>
    </>
  )
}

export function CategoryPage({ id }: { id: string }) {
  const category = categoryById(id)
  return category ? <Department category={category} /> : <NotFound />
}
