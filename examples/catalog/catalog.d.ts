// Types of catalog.js (plain JavaScript, so that the script-tag store can load it as it is).

/** A product as the demo storefronts have it; Palate reads the `Item` fields and keeps `name`. */
export interface Product {
  id: string
  name: string
  /** `department/section`, e.g. `'hiking/boots'`. */
  category: string
  tags: string[]
  brand: string
  /** US dollars. */
  price: number
  /** Last season's sales, any scale: Palate's cold-start prior. */
  popularity: number
}

export interface Category {
  id: string
  label: string
  blurb: string
  /** Section id (the second level of a product's category) to its label. */
  sections: Record<string, string>
}

export const categories: Category[]
export const products: Product[]
/** The store's own order: best sellers first. */
export const bestSellers: Product[]
export function productById(id: string): Product | undefined
export function categoryById(id: string): Category | undefined
export function productsIn(categoryId: string): Product[]
export function sectionLabel(path: string): string
export function formatPrice(price: number): string
