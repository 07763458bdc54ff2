import { describe, expect, it } from 'vitest'
import { fedOnlyByMuted, feed, type Feeders } from './feeders.js'

describe('fedOnlyByMuted', () => {
  it('names the tags and brands that only items of muted categories fed, positively', () => {
    const feeders: Feeders = new Map()
    feed(feeders, ['category:gym', 'category:gym/benches', 'tag:strength', 'tag:indoor', 'brand:ironclad'], 3)
    feed(feeders, ['category:hiking', 'category:hiking/packs', 'tag:indoor'], 1)
    // Hid a hiking item: negative feedback feeds nothing.
    feed(feeders, ['category:hiking', 'category:hiking/boots', 'tag:strength'], -4)
    // An item without a category: its tag is never hidden by a category mute.
    feed(feeders, ['tag:gift'], 1)
    feed(feeders, ['category:gym', 'tag:gift'], 1)
    expect([...fedOnlyByMuted(feeders, new Set(['category:gym']))].sort()).toEqual(['brand:ironclad', 'tag:strength'])
    expect([...fedOnlyByMuted(feeders, new Set(['category:gym/benches']))].sort()).toEqual(['brand:ironclad', 'tag:strength'])
    expect([...fedOnlyByMuted(feeders, new Set(['category:hiking']))]).toEqual([])
  })
})
