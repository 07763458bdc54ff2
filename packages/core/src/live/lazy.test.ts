import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPalate } from '../index.js'
import { lazyParts } from './lazy.js'

const boot = { id: 'boot-1', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const tent = { id: 'tent-1', category: 'camping/tents', brand: 'Summit' }

afterEach(() => vi.restoreAllMocks())

describe('a lazy part that fails to load', () => {
  it('reaches onError, rejects export() and import(), and tracking and ranking go on', async () => {
    const errors: Error[] = []
    const palate = createPalate({ storage: 'memory', consent: 'granted', onError: (error) => errors.push(error) })
    await palate.ready
    palate.track('purchase', boot)
    const saved = await palate.export()

    const failure = new Error('Failed to fetch dynamically imported module: exchange.js')
    vi.spyOn(lazyParts, 'exchange').mockRejectedValue(failure)
    await expect(palate.export()).rejects.toBe(failure)
    await expect(palate.import(saved)).rejects.toBe(failure)
    expect(errors).toEqual([failure, failure])

    palate.track('click', tent)
    const shelf = palate.rank([tent, boot, { id: 'mug-1', category: 'kitchen/mugs' }])
    expect(shelf.map((ranked) => ranked.item.id).sort()).toEqual(['boot-1', 'mug-1', 'tent-1'])
    expect(shelf[0]?.item.id).toBe('tent-1')
    expect(palate.interests().map((interest) => interest.key)).toContain('category:camping/tents')

    // Once the part loads again (the network is back), so does export().
    vi.mocked(lazyParts.exchange).mockRestore()
    expect((await palate.export()).events.map((event) => event.item.id)).toEqual(['boot-1', 'tent-1'])
    palate.close()
  })

  it('the memory store: onError hears it once, and the page goes on with its live profile', async () => {
    const errors: Error[] = []
    const failure = new Error('Failed to fetch dynamically imported module: memoryStore.js')
    vi.spyOn(lazyParts, 'memory').mockRejectedValue(failure)
    const palate = createPalate({ storage: 'memory', consent: 'granted', onError: (error) => errors.push(error) })
    await palate.ready
    expect(errors).toEqual([failure])
    expect(palate.getSnapshot().status).toBe('memory')
    palate.track('click', tent)
    expect(palate.interests().map((interest) => interest.key)).toContain('category:camping/tents')
    expect(palate.rank([boot, tent])[0]?.item.id).toBe('tent-1')
    palate.close()
  })

  it('what fed each tag and brand: the mute still holds for the category, and onError hears why', async () => {
    const errors: Error[] = []
    const palate = createPalate({ storage: 'memory', consent: 'granted', onError: (error) => errors.push(error) })
    await palate.ready
    palate.track('click', boot)
    palate.track('click', tent)
    const failure = new Error('Failed to fetch dynamically imported module: feeding.js')
    vi.spyOn(lazyParts, 'feeding').mockRejectedValue(failure)
    await palate.mute('category:camping')
    expect(errors).toEqual([failure])
    expect(palate.getSnapshot().muted).toEqual(['category:camping'])
    expect(palate.interests({ dimension: 'category' }).map((interest) => interest.key)).toEqual(['category:hiking/boots'])
    expect(palate.rank([tent, boot])[0]?.item.id).toBe('boot-1')
    palate.close()
  })

  it('forget(): onError hears it, the call rejects, and nothing else changes', async () => {
    const errors: Error[] = []
    const palate = createPalate({ storage: 'memory', consent: 'granted', onError: (error) => errors.push(error) })
    await palate.ready
    palate.track('click', tent)
    const failure = new Error('Failed to fetch dynamically imported module: forget.js')
    vi.spyOn(lazyParts, 'forget').mockRejectedValue(failure)
    await expect(palate.forget('category:camping')).rejects.toBe(failure)
    expect(errors).toEqual([failure])
    expect(palate.interests().map((interest) => interest.key)).toContain('category:camping/tents')

    // Once the part loads again, so does forget().
    vi.restoreAllMocks()
    await palate.forget('brand:summit')
    expect(palate.interests({ limit: 100 }).map((interest) => interest.key)).not.toContain('brand:summit')
    palate.close()
  })
})
