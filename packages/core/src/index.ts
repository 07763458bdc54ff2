// The public exports of @palate/core, and nothing else.
export { createPalate } from './createPalate.js'
export { DEFAULT_WEIGHTS } from './options.js'
export { DEFAULT_REASON } from './model/rank.js'
export { itemKeys, labelOf } from './model/keys.js'
export type {
  ConsentState,
  Dimension,
  EventType,
  Interest,
  InterestsOptions,
  Item,
  Palate,
  PalateOptions,
  ProfileExport,
  Ranked,
  RankOptions,
  Reason,
  Shift,
  Snapshot,
  StoredEvent,
  StoredItem,
  StoredKey,
} from './types.js'
