// Muting a category takes with it the tags and brands only its items fed ("muting Gym, while gym's
// tags stay on top"), and keeps the ones other items fed too. In Node (fake-indexeddb) and in
// Chromium.
import { describe, expect, it } from 'vitest'
import type { Palate } from './types.js'
import { closedAfterEach, uniqueName } from './testing.js'

const make = closedAfterEach()

const bench = { id: 'bench', category: 'gym/benches', tags: ['strength', 'indoor'], brand: 'Ironclad' }
const kettlebell = { id: 'kettlebell', category: 'gym/weights', tags: ['strength'], brand: 'Ironclad' }
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof', 'trail'], brand: 'Summit' }
const pack = { id: 'pack', category: 'hiking/packs', tags: ['waterproof', 'indoor'], brand: 'Summit' }
/** Not looked at: what the shelf is asked to rank. */
const ironcladMat = { id: 'mat', category: 'yoga/mats', brand: 'Ironclad' }
const strengthBands = { id: 'bands', category: 'yoga/bands', tags: ['strength'] }
const summitJacket = { id: 'jacket', category: 'outdoor/jackets', brand: 'Summit' }

/** A shopper mostly into the gym (carts), a little into hiking (views). */
async function gymMostly(name: string): Promise<Palate> {
  const palate = make({ name })
  await palate.ready
  for (let i = 0; i < 3; i++) {
    palate.track('add_to_cart', bench)
    palate.track('add_to_cart', kettlebell)
  }
  palate.track('view', boots)
  palate.track('view', pack)
  await palate.flush()
  return palate
}

const listed = (palate: Palate, dimension: 'tag' | 'brand') => palate.interests({ dimension }).map((i) => i.key)

describe('muting a category', () => {
  it('takes the tags and brands only its items fed out of the interests, and keeps shared ones', async () => {
    const palate = await gymMostly(uniqueName())
    expect(listed(palate, 'tag')[0]).toBe('tag:strength')
    expect(listed(palate, 'brand')[0]).toBe('brand:ironclad')
    await palate.mute('category:gym')
    expect(listed(palate, 'tag')).toEqual(expect.arrayContaining(['tag:waterproof', 'tag:trail', 'tag:indoor']))
    expect(listed(palate, 'tag')).not.toContain('tag:strength')
    expect(listed(palate, 'brand')).toEqual(['brand:summit'])
    // What the shopper sees in the panel: the snapshot's interests, and Gym alone in the muted list.
    const snapshot = palate.getSnapshot()
    expect(snapshot.interests.map((i) => i.key)).not.toEqual(expect.arrayContaining(['tag:strength']))
    expect(snapshot.interests.map((i) => i.key)).not.toContain('brand:ironclad')
    expect(snapshot.muted).toEqual(['category:gym'])
  })

  it('stops them leading the ranking: no lift, and no reason naming them', async () => {
    const palate = await gymMostly(uniqueName())
    const before = palate.rank([summitJacket, ironcladMat, strengthBands])
    expect(before[0]!.item.id).not.toBe('jacket')
    await palate.mute('category:gym')
    const after = palate.rank([ironcladMat, strengthBands, summitJacket])
    expect(after[0]!.item.id).toBe('jacket')
    expect(after[0]!.reason.text).toBe("More from Summit, which you've looked at")
    for (const ranked of after.slice(1)) expect(ranked.reason.kind).not.toBe('interest')
    // Not muted themselves: an item carrying them is ranked as it would be without them.
    expect(palate.explain(ironcladMat).text).toBe('Picked by the store')
  })

  it('holds after a reload and for what is tracked after the mute; unmuting brings them back', async () => {
    const name = uniqueName()
    const first = await gymMostly(name)
    await first.mute('category:gym')
    first.close()
    const reload = make({ name })
    await reload.ready
    expect(listed(reload, 'brand')).toEqual(['brand:summit'])
    // More gym after the mute feeds nothing that shows; a yoga strength band makes the tag the shopper's again.
    reload.track('add_to_cart', kettlebell)
    expect(listed(reload, 'tag')).not.toContain('tag:strength')
    reload.track('add_to_cart', strengthBands)
    expect(listed(reload, 'tag')).toContain('tag:strength')
    await reload.unmute('category:gym')
    expect(listed(reload, 'brand')[0]).toBe('brand:ironclad')
  })

  it('reaches another open tab', async () => {
    const name = uniqueName()
    const a = await gymMostly(name)
    const b = make({ name })
    await b.ready
    expect(listed(b, 'brand')).toContain('brand:ironclad')
    await a.mute('category:gym')
    await expect.poll(() => listed(b, 'brand'), { timeout: 2000 }).toEqual(['brand:summit'])
  })
})
