// Chromium only: what depends on a real page lifecycle.
import { describe, expect, it } from 'vitest'
import { createPalate } from './index.js'
import { readRaw, storedEvents, uniqueName } from './testing.js'
import type { StoredEvent } from './types.js'

describe('page lifecycle', () => {
  it('pagehide writes pending events at once, in a transaction already committed', async () => {
    const name = uniqueName()
    const palate = createPalate({ name })
    await palate.ready
    for (let i = 0; i < 3; i++) palate.track('view', { id: `k${i}`, category: 'kayaks' })
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
    // No await on Palate: what the page had time to issue is all that counts.
    const raw = await readRaw(name)
    const written = [...(raw.inbox as { event: StoredEvent }[]).map((j) => j.event), ...storedEvents(raw)]
    expect(written.map((e) => e.item.id).sort()).toEqual(['k0', 'k1', 'k2'])
    palate.close()
  })

  it('a hidden page writes too (mobile browsers may discard it without a pagehide)', async () => {
    const name = uniqueName()
    const palate = createPalate({ name })
    await palate.ready
    palate.track('view', { id: 'k', category: 'kayaks' })
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    try {
      document.dispatchEvent(new Event('visibilitychange'))
    } finally {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    }
    const raw = await readRaw(name)
    expect(raw.inbox!.length + raw.events!.length).toBe(1)
    palate.close()
  })
})
