// The demo catalog shared by both storefronts (examples/store, the script-tag one, and
// examples/react-store, the React one). Plain ES module data with no imports: the plain store
// loads it as it is, the React store has it bundled in. Types: catalog.d.ts next to this file.
//
// Products are the storefront's own objects: Palate reads `id`, `category` (a path, broad to
// narrow), `tags`, `brand`, `price` and `popularity`, and keeps the rest (`name`) untouched.

/** The departments, in the order the store lists them, with their sections. */
export const categories = [
  { id: 'gym', label: 'Gym', blurb: 'Strength and conditioning, at home or at the gym.', sections: { weights: 'Weights', cardio: 'Cardio', accessories: 'Accessories' } },
  { id: 'hiking', label: 'Hiking', blurb: 'Boots, packs and layers for the trail.', sections: { boots: 'Boots', packs: 'Packs', apparel: 'Apparel', accessories: 'Accessories' } },
  { id: 'running', label: 'Running', blurb: 'Road and trail, day and night.', sections: { shoes: 'Shoes', apparel: 'Apparel', accessories: 'Accessories' } },
  { id: 'yoga', label: 'Yoga', blurb: 'Mats, props and clothes that move with you.', sections: { mats: 'Mats', props: 'Props', apparel: 'Apparel' } },
  { id: 'cycling', label: 'Cycling', blurb: 'Ride safe, ride far.', sections: { helmets: 'Helmets', apparel: 'Apparel', accessories: 'Accessories' } },
  { id: 'surf', label: 'Surf', blurb: 'Boards and rubber for every season.', sections: { boards: 'Boards', wetsuits: 'Wetsuits', accessories: 'Accessories' } },
  { id: 'camping', label: 'Camping', blurb: 'Sleep well outside.', sections: { tents: 'Tents', sleeping: 'Sleeping', cooking: 'Cooking', lighting: 'Lighting' } },
  { id: 'climbing', label: 'Climbing', blurb: 'From the bouldering gym to the crag.', sections: { shoes: 'Shoes', gear: 'Gear', accessories: 'Accessories' } },
  { id: 'swimming', label: 'Swimming', blurb: 'Pool lengths and open water.', sections: { goggles: 'Goggles', swimwear: 'Swimwear', training: 'Training' } },
  { id: 'ski', label: 'Ski', blurb: 'Piste, park and backcountry.', sections: { skis: 'Skis', helmets: 'Helmets', goggles: 'Goggles', apparel: 'Apparel' } },
]

/** Every product, grouped by department. `popularity` is last season's sales, any scale. */
export const products = [
  { id: 'gym-dumbbells', name: 'Adjustable dumbbells, 2 × 24 kg', category: 'gym/weights', tags: ['strength', 'home-gym'], brand: 'Ironclad', price: 249, popularity: 88 },
  { id: 'gym-kettlebell', name: 'Cast-iron kettlebell 16 kg', category: 'gym/weights', tags: ['strength'], brand: 'Ironclad', price: 59, popularity: 74 },
  { id: 'gym-barbell', name: 'Olympic barbell 20 kg', category: 'gym/weights', tags: ['strength'], brand: 'Forge', price: 189, popularity: 41 },
  { id: 'gym-bench', name: 'Folding weight bench', category: 'gym/weights', tags: ['home-gym'], brand: 'Forge', price: 139, popularity: 52 },
  { id: 'gym-rower', name: 'Air rowing machine', category: 'gym/cardio', tags: ['cardio', 'home-gym'], brand: 'Pulse', price: 899, popularity: 36 },
  { id: 'gym-rope', name: 'Speed jump rope', category: 'gym/cardio', tags: ['cardio'], brand: 'Pulse', price: 19, popularity: 63 },
  { id: 'gym-belt', name: 'Leather lifting belt', category: 'gym/accessories', tags: ['strength', 'leather'], brand: 'Forge', price: 79, popularity: 30 },
  { id: 'gym-gloves', name: 'Grip training gloves', category: 'gym/accessories', tags: ['strength'], brand: 'Ironclad', price: 25, popularity: 45 },

  { id: 'hike-boots', name: 'Waterproof hiking boots', category: 'hiking/boots', tags: ['waterproof', 'leather'], brand: 'Summit', price: 179, popularity: 80 },
  { id: 'hike-midboots', name: 'Lightweight mid hiking boots', category: 'hiking/boots', tags: ['lightweight'], brand: 'Summit', price: 149, popularity: 47 },
  { id: 'hike-daypack', name: 'Trail daypack 24 L', category: 'hiking/packs', tags: ['lightweight'], brand: 'Ridgeway', price: 89, popularity: 66 },
  { id: 'hike-backpack', name: 'Trekking backpack 45 L', category: 'hiking/packs', tags: ['multi-day'], brand: 'Ridgeway', price: 199, popularity: 38 },
  { id: 'hike-shell', name: 'Packable rain shell', category: 'hiking/apparel', tags: ['waterproof', 'packable'], brand: 'Northwind', price: 159, popularity: 55 },
  { id: 'hike-socks', name: 'Merino hiking socks (2 pairs)', category: 'hiking/apparel', tags: ['merino'], brand: 'Northwind', price: 29, popularity: 58 },
  { id: 'hike-poles', name: 'Carbon trekking poles', category: 'hiking/accessories', tags: ['lightweight'], brand: 'Ridgeway', price: 119, popularity: 33 },
  { id: 'hike-firstaid', name: 'Trail first-aid kit', category: 'hiking/accessories', tags: ['safety'], brand: 'Summit', price: 35, popularity: 29 },

  { id: 'run-road', name: 'Cushioned road running shoes', category: 'running/shoes', tags: ['road'], brand: 'Stride', price: 129, popularity: 92 },
  { id: 'run-trail', name: 'Trail running shoes', category: 'running/shoes', tags: ['trail', 'lightweight'], brand: 'Stride', price: 139, popularity: 77 },
  { id: 'run-tee', name: 'Breathable running tee', category: 'running/apparel', tags: ['breathable'], brand: 'Pace', price: 29, popularity: 49 },
  { id: 'run-tights', name: 'Thermal running tights', category: 'running/apparel', tags: ['warm'], brand: 'Northwind', price: 59, popularity: 26 },
  { id: 'run-watch', name: 'GPS running watch', category: 'running/accessories', tags: ['tech'], brand: 'Pace', price: 249, popularity: 70 },
  { id: 'run-vest', name: 'Hydration running vest', category: 'running/accessories', tags: ['trail'], brand: 'Stride', price: 79, popularity: 31 },
  { id: 'run-headlamp', name: 'Running headlamp 400 lm', category: 'running/accessories', tags: ['night'], brand: 'Pace', price: 45, popularity: 22 },

  { id: 'yoga-mat', name: 'Cork yoga mat', category: 'yoga/mats', tags: ['eco'], brand: 'Lotus', price: 79, popularity: 68 },
  { id: 'yoga-travelmat', name: 'Foldable travel mat', category: 'yoga/mats', tags: ['travel'], brand: 'Lotus', price: 49, popularity: 24 },
  { id: 'yoga-blocks', name: 'Yoga blocks (pair)', category: 'yoga/props', tags: ['eco'], brand: 'Lotus', price: 25, popularity: 40 },
  { id: 'yoga-strap', name: 'Cotton yoga strap', category: 'yoga/props', tags: ['eco'], brand: 'Lotus', price: 12, popularity: 21 },
  { id: 'yoga-bolster', name: 'Buckwheat bolster', category: 'yoga/props', tags: ['restorative'], brand: 'Sattva', price: 55, popularity: 27 },
  { id: 'yoga-wheel', name: 'Yoga wheel', category: 'yoga/props', tags: ['balance'], brand: 'Sattva', price: 39, popularity: 18 },
  { id: 'yoga-leggings', name: 'High-rise yoga leggings', category: 'yoga/apparel', tags: ['stretch'], brand: 'Sattva', price: 69, popularity: 61 },

  { id: 'bike-helmet', name: 'Road cycling helmet', category: 'cycling/helmets', tags: ['safety'], brand: 'Velo', price: 119, popularity: 57 },
  { id: 'bike-kidshelmet', name: 'Kids’ bike helmet', category: 'cycling/helmets', tags: ['safety', 'kids'], brand: 'Velo', price: 45, popularity: 34 },
  { id: 'bike-bibs', name: 'Padded bib shorts', category: 'cycling/apparel', tags: ['endurance'], brand: 'Cadence', price: 99, popularity: 28 },
  { id: 'bike-jersey', name: 'Lightweight cycling jersey', category: 'cycling/apparel', tags: ['breathable'], brand: 'Cadence', price: 79, popularity: 32 },
  { id: 'bike-lights', name: 'Rechargeable light set', category: 'cycling/accessories', tags: ['night', 'safety'], brand: 'Velo', price: 49, popularity: 60 },
  { id: 'bike-lock', name: 'Folding bike lock', category: 'cycling/accessories', tags: ['security'], brand: 'Keystone', price: 69, popularity: 39 },
  { id: 'bike-pump', name: 'Floor pump with gauge', category: 'cycling/accessories', tags: ['workshop'], brand: 'Keystone', price: 39, popularity: 35 },

  { id: 'surf-foamie', name: '7 ft foam surfboard', category: 'surf/boards', tags: ['beginner'], brand: 'Swell', price: 299, popularity: 44 },
  { id: 'surf-shortboard', name: '6 ft shortboard', category: 'surf/boards', tags: ['performance'], brand: 'Swell', price: 549, popularity: 23 },
  { id: 'surf-wetsuit', name: '4/3 winter wetsuit', category: 'surf/wetsuits', tags: ['warm'], brand: 'Tidal', price: 279, popularity: 42 },
  { id: 'surf-springsuit', name: '2 mm springsuit', category: 'surf/wetsuits', tags: ['summer'], brand: 'Tidal', price: 129, popularity: 25 },
  { id: 'surf-leash', name: 'Surfboard leash 7 ft', category: 'surf/accessories', tags: ['safety'], brand: 'Swell', price: 29, popularity: 30 },
  { id: 'surf-wax', name: 'Cold-water surf wax', category: 'surf/accessories', tags: ['eco'], brand: 'Tidal', price: 5, popularity: 37 },
  { id: 'surf-poncho', name: 'Changing poncho', category: 'surf/accessories', tags: ['warm'], brand: 'Tidal', price: 59, popularity: 20 },

  { id: 'camp-tent', name: 'Two-person backpacking tent', category: 'camping/tents', tags: ['lightweight', 'multi-day'], brand: 'Ridgeway', price: 329, popularity: 53 },
  { id: 'camp-familytent', name: 'Six-person family tent', category: 'camping/tents', tags: ['family'], brand: 'Basecamp', price: 449, popularity: 29 },
  { id: 'camp-bag', name: 'Down sleeping bag, −5 °C', category: 'camping/sleeping', tags: ['warm', 'multi-day'], brand: 'Northwind', price: 259, popularity: 46 },
  { id: 'camp-pad', name: 'Insulated sleeping pad', category: 'camping/sleeping', tags: ['warm'], brand: 'Basecamp', price: 99, popularity: 35 },
  { id: 'camp-stove', name: 'Compact camping stove', category: 'camping/cooking', tags: ['lightweight'], brand: 'Basecamp', price: 49, popularity: 43 },
  { id: 'camp-mug', name: 'Insulated camp mug', category: 'camping/cooking', tags: ['warm'], brand: 'Basecamp', price: 19, popularity: 26 },
  { id: 'camp-lantern', name: 'Solar camp lantern', category: 'camping/lighting', tags: ['night', 'eco'], brand: 'Basecamp', price: 35, popularity: 31 },

  { id: 'climb-shoes', name: 'Bouldering shoes', category: 'climbing/shoes', tags: ['bouldering'], brand: 'Crux', price: 129, popularity: 39 },
  { id: 'climb-harness', name: 'Adjustable climbing harness', category: 'climbing/gear', tags: ['safety'], brand: 'Crux', price: 69, popularity: 33 },
  { id: 'climb-rope', name: 'Dynamic rope 60 m', category: 'climbing/gear', tags: ['safety'], brand: 'Anchor', price: 189, popularity: 22 },
  { id: 'climb-helmet', name: 'Climbing helmet', category: 'climbing/gear', tags: ['safety'], brand: 'Anchor', price: 79, popularity: 19 },
  { id: 'climb-crashpad', name: 'Bouldering crash pad', category: 'climbing/gear', tags: ['bouldering'], brand: 'Crux', price: 219, popularity: 17 },
  { id: 'climb-chalk', name: 'Chalk bag with belt', category: 'climbing/accessories', tags: ['bouldering'], brand: 'Crux', price: 25, popularity: 36 },
  { id: 'climb-brush', name: 'Hold brush set', category: 'climbing/accessories', tags: ['bouldering'], brand: 'Anchor', price: 12, popularity: 15 },

  { id: 'swim-goggles', name: 'Anti-fog swim goggles', category: 'swimming/goggles', tags: ['training'], brand: 'Lane', price: 25, popularity: 59 },
  { id: 'swim-mirror', name: 'Mirrored open-water goggles', category: 'swimming/goggles', tags: ['open-water'], brand: 'Lane', price: 35, popularity: 21 },
  { id: 'swim-suit', name: 'Chlorine-resistant swimsuit', category: 'swimming/swimwear', tags: ['training'], brand: 'Lane', price: 49, popularity: 37 },
  { id: 'swim-jammer', name: 'Training jammers', category: 'swimming/swimwear', tags: ['training'], brand: 'Lane', price: 39, popularity: 24 },
  { id: 'swim-fins', name: 'Short training fins', category: 'swimming/training', tags: ['training'], brand: 'Aqua', price: 35, popularity: 27 },
  { id: 'swim-buoy', name: 'Pull buoy', category: 'swimming/training', tags: ['training'], brand: 'Aqua', price: 15, popularity: 23 },

  { id: 'ski-allmountain', name: 'All-mountain skis', category: 'ski/skis', tags: ['performance'], brand: 'Alpine', price: 499, popularity: 34 },
  { id: 'ski-touring', name: 'Touring skis with skins', category: 'ski/skis', tags: ['backcountry'], brand: 'Alpine', price: 699, popularity: 16 },
  { id: 'ski-helmet', name: 'Ski helmet', category: 'ski/helmets', tags: ['safety'], brand: 'Glacier', price: 109, popularity: 32 },
  { id: 'ski-goggles', name: 'Photochromic ski goggles', category: 'ski/goggles', tags: ['safety'], brand: 'Glacier', price: 129, popularity: 40 },
  { id: 'ski-jacket', name: 'Insulated ski jacket', category: 'ski/apparel', tags: ['warm', 'waterproof'], brand: 'Northwind', price: 289, popularity: 38 },
  { id: 'ski-gloves', name: 'Waterproof ski gloves', category: 'ski/apparel', tags: ['warm', 'waterproof'], brand: 'Glacier', price: 59, popularity: 44 },
]

/**
 * The store's own order for a "for you" shelf: best sellers first (ties keep catalog order).
 * This is what a shopper sees with an empty profile, after an opt-out, or without Palate at all.
 */
export const bestSellers = [...products].sort((a, b) => b.popularity - a.popularity)

/** A product by id, or undefined. */
export function productById(id) {
  return products.find((product) => product.id === id)
}

/** A department by id, or undefined. */
export function categoryById(id) {
  return categories.find((category) => category.id === id)
}

/** A department's products in the store's order (best sellers first). */
export function productsIn(categoryId) {
  return bestSellers.filter((product) => product.category.split('/')[0] === categoryId)
}

/** "Hiking › Boots" for a product's category path. */
export function sectionLabel(path) {
  const [top = '', section = ''] = path.split('/')
  const category = categoryById(top)
  return category ? `${category.label} › ${category.sections[section] ?? section}` : path
}

/** Prices as the store shows them. */
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })
export function formatPrice(price) {
  return money.format(price)
}
