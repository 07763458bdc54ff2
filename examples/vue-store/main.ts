// Entry of the Vue store (bundled into /build/vue-store.js by examples/rollup.examples.mjs).
import { createApp } from 'vue'
import { createPalate } from '@palate/core'
import { App } from './App.js'

// One instance for the page, created once, outside Vue: it opens IndexedDB on first use.
const palate = createPalate({ name: 'palate-vue-store' })
// For the console, and for the spec that compares what the three demo stores record (palate.export()).
;(window as unknown as { palate: typeof palate }).palate = palate

createApp(App, { palate }).mount('#root')
