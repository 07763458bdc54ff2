// Entry of the React store (bundled into /build/react-store.js by examples/rollup.examples.mjs).
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createPalate } from '@palate/core'
import { App } from './App.js'

// One instance for the page, created once, outside React: it opens IndexedDB on first use.
const palate = createPalate({ name: 'palate-react-store' })
// For the console, and for the specs that compare what both demo stores record (palate.export()).
;(window as unknown as { palate: typeof palate }).palate = palate

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App palate={palate} />
  </StrictMode>,
)
