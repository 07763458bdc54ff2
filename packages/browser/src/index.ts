// Palate for pages without a framework, as modules: wiring for data attributes and the
// <palate-preferences> element, plus everything core exports. The script tag (`palate.min.js`)
// bundles the same pieces behind `window.Palate`.
export * from '@palate/core'
export { wire, type WireOptions } from './wire.js'
export { definePreferences, PREFERENCES_TAG, type PalatePreferencesElement } from './definePreferences.js'
export { groupInterests, type InterestGroup, type InterestRow } from './groupInterests.js'
export type { PalateGlobal, PalateInitOptions, PalateQueueEntry } from './install.js'
