import { labelOf } from '@palate/core'
import { useRanked, useShift } from '@palate/react'
import { bestSellers, categories, categoryById } from '../catalog/catalog.js'
import { NotInterestedButton, ProductCard } from './ProductCard.js'
import { href } from './route.js'

/** "New to hiking? Start here": shown while a new interest has displaced the shopper's long-time one. */
function ShiftBanner() {
  const shift = useShift()
  const department = shift ? categoryById(shift.to.replace(/^category:/, '').split('/')[0]!) : undefined
  if (!shift || !department) return null
  return (
    <aside className="banner" aria-label="Something new">
      <strong>New to {department.label}? Start here.</strong>
      <span className="muted">Lately more {labelOf(shift.to)} than {labelOf(shift.from)}.</span>
      <a href={href.category(department.id)}>Shop {department.label} essentials</a>
    </aside>
  )
}

export function HomePage() {
  // The store's own order (best sellers) re-ranked for the shopper; 8 slots.
  const shelf = useRanked(bestSellers, { limit: 8 })
  return (
    <>
      <section className="hero">
        <h1 tabIndex={-1}>Gear for what you’re into now</h1>
        <p>This shop learns from what you look at, in your browser only. Nothing is sent anywhere.</p>
      </section>
      <ShiftBanner />
      <section aria-labelledby="for-you-title">
        <div className="section-head">
          <h2 id="for-you-title">For you</h2>
          <p>
            Ranked on this device. <a href={href.preferences}>Your preferences</a>
          </p>
        </div>
        <ol className="grid" aria-labelledby="for-you-title">
          {shelf.map(({ item, reason }) => (
            <ProductCard key={item.id} product={item} reason={reason}>
              <NotInterestedButton product={item} />
            </ProductCard>
          ))}
        </ol>
      </section>
      <section aria-labelledby="departments-title">
        <h2 id="departments-title">Shop by sport</h2>
        <ul className="departments-grid">
          {categories.map((category) => (
            <li key={category.id}>
              <a href={href.category(category.id)}>
                <img src={`/assets/icons/${category.id}.svg`} alt="" width={40} height={40} />
                {category.label}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
