// Node, no DOM: what server rendering and bundlers see when they import the package.
import { describe, expect, it } from 'vitest'

describe('importing palate without a DOM', () => {
  it('touches no browser global, and exports core with the wiring', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    const palate = await import('./index.js')
    const core = await import('@palate/core')
    expect(palate.createPalate).toBe(core.createPalate)
    expect(typeof palate.wire).toBe('function')
    expect(typeof palate.definePreferences).toBe('function')
    expect(palate.PREFERENCES_TAG).toBe('palate-preferences')
  })
})
