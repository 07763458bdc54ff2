// @uniformdev/context set up to do the same work as Palate, for the side-by-side figures of
// `npm run bench`. Runs in Node, and bundled (esbuild, in memory) on the bench page in Chromium.
//
// How our model maps onto theirs. Uniform scores a visitor on *dimensions*: signals (criteria on
// the URL, cookies, quirks, events: page-level rules, nothing about a product) and *enrichments*,
// `category_key` dimensions that content is tagged with and that gain `str` points each time the
// visitor meets that content. A product's category, tags and brand are content tags, so:
//
//   Palate key                    Uniform enrichment { cat, key }      dimension
//   category:sports/hiking        { cat: 'category', key: 'sports/hiking' }  'category_sports/hiking'
//   tag:waterproof                { cat: 'tag', key: 'waterproof' }          'tag_waterproof'
//   brand:summit                  { cat: 'brand', key: 'summit' }            'brand_summit'
//
// Every level of the category path is its own enrichment, as every level is its own Palate key,
// so one `track(type, item)` is one `context.update({ enrichments })` carrying the same keys, each
// with `str` = Palate's weight for the event type (view 1, add_to_cart 4, dismiss -4, …).
//
// Ranking: Uniform's "strongest score" algorithm (`ssc`) picks, among variants that each name one
// dimension (`pz.dim`), those whose dimension scores highest. A product maps to a variant whose
// dimension is its most specific category; its tags cannot take part (one dimension per variant),
// so Uniform does less work per item than `rank()` (one score lookup against five keys, no
// calibration, no reasons). `take` plays the part of `limit`.
//
// Setup choices, all in Uniform's favour or neutral: no transition store (their docs: "Unused for
// client side only"; a no-op store would only add an awaited promise per update); no plugins, so
// nothing that could send anything (the only `fetch` in the package is the Insights plugin, not
// loaded); linear decay on, as Palate decays too (within its one-day grace period it does nothing);
// enrichment caps high enough never to clip; `defaultConsent: true`, like Palate's default
// consent, so in a browser their data is persisted (localStorage) and in Node it stays in memory.
import { Context, createLinearDecay } from '@uniformdev/context'

/** Palate's default weights (README), as enrichment strengths. */
export const WEIGHTS = { view: 1, click: 2, search: 1, wishlist: 3, add_to_cart: 4, purchase: 6, dismiss: -4 }

const CAP = 1e9

export function createUniformContext({ consent = true } = {}) {
  return new Context({
    manifest: { project: { pz: { enr: { category: { cap: CAP }, tag: { cap: CAP }, brand: { cap: CAP } }, sig: {} } } },
    defaultConsent: consent,
    decay: createLinearDecay(),
  })
}

/** The enrichments of one item: every category level, each tag, the brand (see the table above). */
export function enrichmentsOf(item, str) {
  const out = []
  if (item.category) {
    const parts = item.category.toLowerCase().split('/')
    for (let i = 1; i <= parts.length; i++) out.push({ cat: 'category', key: parts.slice(0, i).join('/'), str })
  }
  for (const tag of item.tags ?? []) out.push({ cat: 'tag', key: tag.toLowerCase(), str })
  if (item.brand) out.push({ cat: 'brand', key: item.brand.toLowerCase(), str })
  return out
}

/** `track(type, item)`, Uniform's way. */
export function uniformTrack(context, type, item) {
  return context.update({ enrichments: enrichmentsOf(item, WEIGHTS[type]) })
}

/** A product as a strongest-score variant: its most specific category is its dimension. */
export function variantOf(item) {
  return { id: item.id, pz: { dim: `category_${item.category.toLowerCase()}` } }
}

/** `rank(items, { limit })`, Uniform's way. */
export function uniformRank(context, variants, take) {
  return context.personalize({ name: 'bench-shelf', variations: variants, take, algorithm: 'ssc' })
}

/** Score dimensions the visitor has (Uniform's profile keys). */
export function dimensionCount(context) {
  return Object.keys(context.scores).length
}
