// Real Chromium: the <palate-preferences> panel, driven by mouse and keyboard.
import { createPalate, type Palate } from '@palate/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { definePreferences, type PalatePreferencesElement } from './definePreferences.js'
import { uniqueName } from './testing.js'

const DAY = 86_400_000
const hike = { id: 'hike-1', category: 'hiking' }
const surf = { id: 'surf-1', category: 'surf' }

let name: string
let clock: { t: number }
let palate: Palate
let panel: PalatePreferencesElement

/** Surf long ago, hiking now: hiking is rising, surf fading. */
async function history(target: Palate): Promise<void> {
  for (let i = 0; i < 8; i++) target.track('add_to_cart', surf)
  clock.t += 30 * DAY
  for (let i = 0; i < 4; i++) target.track('add_to_cart', hike)
  await target.flush()
}

beforeEach(async () => {
  definePreferences()
  name = uniqueName()
  clock = { t: Date.UTC(2026, 0, 5) }
  palate = createPalate({ name, now: () => clock.t })
  await palate.ready
  panel = document.createElement('palate-preferences')
  panel.palate = palate
})

afterEach(() => {
  panel.remove()
  palate.close()
  vi.restoreAllMocks()
})

const shadow = () => panel.shadowRoot!
const part = (name: string) => shadow().querySelector<HTMLElement>(`[part~="${name}"]`)
const parts = (name: string) => [...shadow().querySelectorAll<HTMLElement>(`[part~="${name}"]`)]
const row = (label: string) => parts('interest').find((r) => r.querySelector('[part~=label]')!.textContent === label)
const labels = (list = 'interest') => parts(list).map((r) => r.querySelector('[part~=label]')!.textContent)
const status = () => part('status')!.textContent

describe('<palate-preferences>', () => {
  it('lists the top interests with their share and trend', async () => {
    await history(palate)
    document.body.append(panel)
    expect(labels()).toEqual(['Hiking', 'Surf'])
    const hiking = row('Hiking')!
    expect(hiking.querySelector('[part~=share]')!.textContent).toMatch(/^\d{1,3}%$/)
    // Hiking was first looked at today: a same-day rise reads "new".
    expect(hiking.querySelector('[part~=trend]')!.textContent).toBe('new')
    expect(hiking.querySelector('[part~=trend]')!.getAttribute('part')).toBe('trend trend-new')
    expect(hiking.querySelector<HTMLElement>('[part~=trend]')!.hidden).toBe(false)
    expect(row('Surf')!.querySelector('[part~=trend]')!.textContent).toBe('fading')
    const shares = parts('share').map((s) => Number.parseInt(s.textContent!))
    expect(shares[0]! + shares[1]!).toBeGreaterThanOrEqual(99)
    expect(part('empty')!.hidden).toBe(true)
  })

  it('groups interests by dimension, categories first, strongest first, with percents adding up to 100 per group', async () => {
    const items = [
      { id: 'g1', category: 'gym/weights', brand: 'Ironclad', tags: ['strength'] },
      { id: 'g2', category: 'gym/cardio', brand: 'Pulse', tags: ['cardio', 'strength'] },
      { id: 'h1', category: 'hiking/boots', brand: 'Summit', tags: ['waterproof'] },
    ]
    for (const [item, times] of [[items[0]!, 5], [items[1]!, 2], [items[2]!, 3]] as const) for (let i = 0; i < times; i++) palate.track('add_to_cart', item)
    document.body.append(panel)
    const groups = parts('group').filter((g) => !g.hidden)
    expect(groups.map((g) => g.querySelector('[part~=group-title]')!.textContent)).toEqual(['Categories', 'Brands', 'Tags'])
    for (const group of groups) {
      const rows = [...group.querySelector('[part~=interests]')!.children] as HTMLElement[]
      const shares = rows.map((r) => Number.parseInt(r.querySelector(':scope > [part~=share]')!.textContent!))
      expect(shares.reduce((a, b) => a + b, 0), group.textContent!).toBe(100)
      expect([...shares].sort((a, b) => b - a)).toEqual(shares)
      const bars = rows.map((r) => (r.querySelector(':scope > [part~=bar]') as HTMLMeterElement).value)
      expect(bars[0]).toBe(1)
      expect([...bars].sort((a, b) => b - a)).toEqual(bars)
    }
    const top = (group: HTMLElement) => [...group.querySelector('[part~=interests]')!.children].map((r) => r.querySelector('[part~=label]')!.textContent)
    expect(top(groups[0]!)).toEqual(['Gym', 'Hiking'])
    expect(top(groups[1]!)).toEqual(['Ironclad', 'Summit', 'Pulse'])
    // Gym's sections sit under it, with their own percents adding up to 100.
    const sections = [...row('Gym')!.querySelector('[part~=sections]')!.children] as HTMLElement[]
    expect(sections.map((r) => r.querySelector('[part~=label]')!.textContent)).toEqual(['Gym weights', 'Gym cardio'])
    expect(sections.map((r) => Number.parseInt(r.querySelector('[part~=share]')!.textContent!)).reduce((a, b) => a + b)).toBe(100)
    expect(row('Gym')!.querySelector('[part~=sections]')!.getAttribute('aria-label')).toBe('Within Gym')
  })

  it('muting one interest never hides another: Hiking stays when Gym is muted', async () => {
    for (let i = 0; i < 6; i++) palate.track('add_to_cart', { id: 'g1', category: 'gym/weights' })
    for (let i = 0; i < 3; i++) palate.track('add_to_cart', { id: 'h1', category: 'hiking/boots' })
    document.body.append(panel)
    expect(labels().filter((l) => !l!.includes(' '))).toEqual(['Gym', 'Hiking'])
    row('Gym')!.querySelector<HTMLElement>('[part~=mute-button]')!.click()
    await vi.waitFor(() => expect(labels('muted-interest')).toEqual(['Gym']))
    // Alone among the categories, core leaves Hiking out as "the whole store"; the panel keeps it.
    expect(labels()).toContain('Hiking')
    expect(row('Hiking')!.querySelector('[part~=share]')!.textContent).toBe('100%')
    expect(labels()).not.toContain('Gym')
    row('Hiking')!.querySelector<HTMLElement>('[part~=forget-button]')!.click()
    await vi.waitFor(() => expect(labels()).toEqual([]))
    expect(palate.interests({ dimension: 'category' })).toEqual([])
  })

  it('opted out, shows only the way back in: no interests, no switch, no download', async () => {
    await history(palate)
    await palate.mute('category:surf')
    document.body.append(panel)
    await palate.optOut()
    await vi.waitFor(() => expect(part('opt-in-button')!.hidden).toBe(false))
    const shown = [...shadow().querySelectorAll<HTMLElement>('[part]')].filter((el) => el.checkVisibility() && el.localName !== 'section')
    expect(shown.map((el) => el.getAttribute('part'))).toEqual(['title', 'empty', 'opt-in-button', 'status'])
    expect(part('switch')!.hidden).toBe(true)
  })

  it('says when nothing is learned yet, and updates live as the shopper browses', async () => {
    document.body.append(panel)
    expect(part('empty')!.hidden).toBe(false)
    expect(part('empty')!.textContent).toMatch(/Nothing yet/)
    palate.track('view', hike)
    await vi.waitFor(() => expect(labels()).toEqual(['Hiking']))
    expect(part('empty')!.hidden).toBe(true)
  })

  it('forgets an interest: the row goes, the profile forgets, the live region says so', async () => {
    await history(palate)
    document.body.append(panel)
    row('Hiking')!.querySelector<HTMLElement>('[part~=forget-button]')!.click()
    await vi.waitFor(() => expect(labels()).toEqual(['Surf']))
    expect(palate.interests().map((i) => i.key)).not.toContain('category:hiking')
    expect(status()).toBe('Forgot Hiking')
  })

  it('mutes an interest into the muted list, and unmutes it back', async () => {
    await history(palate)
    document.body.append(panel)
    row('Surf')!.querySelector<HTMLElement>('[part~=mute-button]')!.click()
    await vi.waitFor(() => expect(labels('muted-interest')).toEqual(['Surf']))
    expect(labels()).toEqual(['Hiking'])
    expect(status()).toBe('Muted Surf')
    expect(part('muted-title')!.hidden).toBe(false)
    expect(palate.interests().map((i) => i.key)).not.toContain('category:surf')

    parts('unmute-button')[0]!.click()
    await vi.waitFor(() => expect(labels()).toEqual(['Hiking', 'Surf']))
    expect(labels('muted-interest')).toEqual([])
    expect(part('muted-title')!.hidden).toBe(true)
    expect(status()).toBe('Unmuted Surf')
  })

  it('lists keys muted on an earlier visit', async () => {
    await history(palate)
    await palate.mute('category:surf')
    palate.close()
    palate = createPalate({ name, now: () => clock.t })
    panel.palate = palate
    document.body.append(panel)
    await vi.waitFor(() => expect(labels('muted-interest')).toEqual(['Surf']))
  })

  it('shows a mute made elsewhere (page code, another tab) as it happens', async () => {
    await history(palate)
    document.body.append(panel)
    await vi.waitFor(() => expect(labels()).toEqual(['Hiking', 'Surf']))
    const otherTab = createPalate({ name, now: () => clock.t })
    await otherTab.ready
    await otherTab.mute('category:surf')
    await vi.waitFor(() => expect(labels('muted-interest')).toEqual(['Surf']), { timeout: 2000 })
    expect(labels()).toEqual(['Hiking'])
    otherTab.close()
  })

  it('has a surprise-me switch that persists the choice for the next visit', async () => {
    document.body.append(panel)
    const toggle = part('switch')!
    expect(toggle.getAttribute('role')).toBe('switch')
    expect(toggle.getAttribute('aria-checked')).toBe('false')
    toggle.click()
    await vi.waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'))
    expect(status()).toBe('Surprise me on')
    palate.close()
    const next = createPalate({ name })
    await next.ready
    expect(next.getSnapshot().surprise).toBe(true)
    next.close()
  })

  it('opts out (the list empties, nothing is kept) and back in', async () => {
    await history(palate)
    document.body.append(panel)
    part('opt-out-button')!.click()
    await vi.waitFor(() => expect(palate.consent()).toBe('denied'))
    await vi.waitFor(() => expect(labels()).toEqual([]))
    expect(part('empty')!.textContent).toMatch(/Personalization is off/)
    expect(part('opt-out-button')!.hidden).toBe(true)
    await vi.waitFor(() => expect(status()).toMatch(/deleted/))
    expect((await palate.export()).events).toEqual([])

    part('opt-in-button')!.click()
    await vi.waitFor(() => expect(palate.consent()).toBe('granted'))
    await vi.waitFor(() => expect(part('opt-in-button')!.hidden).toBe(true))
    expect(part('opt-out-button')!.hidden).toBe(false)
    palate.track('view', hike)
    await vi.waitFor(() => expect(labels()).toEqual(['Hiking']))
  })

  it('says nothing stale when another tab changes consent: its opt-out message goes when the other opts in', async () => {
    await history(palate)
    document.body.append(panel)
    part('opt-out-button')!.click()
    await vi.waitFor(() => expect(status()).toMatch(/deleted/))
    const other = createPalate({ name })
    await other.optIn()
    await vi.waitFor(() => expect(palate.consent()).toBe('granted'))
    await vi.waitFor(() => expect(part('opt-in-button')!.hidden).toBe(true))
    expect(status()).toBe('')
    other.close()
  })

  it('downloads the export as a JSON file, without any network', async () => {
    await history(palate)
    document.body.append(panel)
    const blobs: Blob[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob)
      return 'blob:palate-test'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const links: HTMLAnchorElement[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      links.push(this)
    })
    part('download-button')!.click()
    await vi.waitFor(() => expect(links).toHaveLength(1))
    expect(create).toHaveBeenCalledTimes(1)
    expect(links[0]!.download).toBe('palate-profile.json')
    expect(links[0]!.getAttribute('href')).toBe('blob:palate-test')
    expect(blobs[0]!.type).toBe('application/json')
    const downloaded = JSON.parse(await blobs[0]!.text())
    const expected = await palate.export()
    expect({ ...downloaded, exportedAt: 0 }).toEqual({ ...expected, exportedAt: 0 })
    expect(downloaded.events.length).toBe(12)
    await vi.waitFor(() => expect(status()).toBe('Your data was downloaded'))
  })

  it('works from the keyboard: Enter and Space on real buttons, focus kept in the panel', async () => {
    await history(palate)
    document.body.append(panel)
    const forgetHiking = row('Hiking')!.querySelector<HTMLElement>('[part~=forget-button]')!
    forgetHiking.focus()
    expect(shadow().activeElement).toBe(forgetHiking)
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(labels()).toEqual(['Surf']))
    // The focused row went away: focus moves to the row that took its place, not to <body>.
    expect(shadow().activeElement).toBe(row('Surf')!.querySelector('[part~=forget-button]'))
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(labels()).toEqual([]))
    expect(shadow().activeElement).toBe(part('title'))

    const toggle = part('switch')!
    toggle.focus()
    await userEvent.keyboard(' ')
    await vi.waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'))
    await userEvent.keyboard(' ')
    await vi.waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'))

    part('opt-out-button')!.focus()
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(shadow().activeElement).toBe(part('opt-in-button')))
  })

  it('after forgetting the last interest of a group, focus goes on to the next row, not to the title', async () => {
    for (let i = 0; i < 2; i++) palate.track('add_to_cart', { id: 'bells', category: 'gym/weights', tags: ['iron'], brand: 'Forge' })
    for (let i = 0; i < 3; i++) palate.track('add_to_cart', { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' })
    await palate.flush()
    document.body.append(panel)
    const lists = () => [...shadow().querySelectorAll('ul')].filter((list) => list.querySelector('button')).length
    const before = lists()
    const forget = shadow().querySelector<HTMLElement>('button[aria-label="Forget Gym weights"]')!
    forget.focus()
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(shadow().querySelector('button[aria-label="Forget Gym weights"]')).toBeNull())
    // (Its group's list went with it.)
    expect(lists()).toBeLessThan(before)
    const focused = shadow().activeElement as HTMLElement | null
    expect(focused?.localName).toBe('button')
    expect(focused?.getAttribute('aria-label')).toMatch(/^Forget /)
  })

  it('keeps each row on one line in a drawer-wide panel: a long label wraps in its column, the buttons stay beside it', async () => {
    palate.track('add_to_cart', { id: 'jacket', category: 'outdoors/waterproof hiking apparel for winter' })
    palate.track('view', { id: 'boots', category: 'outdoors/boots' })
    await palate.flush()
    panel.style.width = '440px'
    document.body.append(panel)
    await vi.waitFor(() => expect(parts('interest').length).toBeGreaterThan(1))
    for (const row of parts('interest')) {
      const bar = row.querySelector('[part~=bar]')!.getBoundingClientRect()
      const actions = row.querySelector('[part~=actions]')!.getBoundingClientRect()
      expect(actions.top, row.querySelector('[part~=label]')!.textContent!).toBeLessThan(bar.bottom)
    }
  })

  it('names every control for screen readers and announces through a polite live region', async () => {
    await history(palate)
    document.body.append(panel)
    for (const button of shadow().querySelectorAll('button')) {
      expect(button.getAttribute('aria-label') ?? button.textContent).toBeTruthy()
      expect(button.type).toBe('button')
    }
    expect(row('Hiking')!.querySelector('[part~=forget-button]')!.getAttribute('aria-label')).toBe('Forget Hiking')
    expect(row('Hiking')!.querySelector('[part~=mute-button]')!.getAttribute('aria-label')).toBe('Mute Hiking')
    const region = part('status')!
    expect(region.getAttribute('role')).toBe('status')
    expect(region.getAttribute('aria-live')).toBe('polite')
    const title = part('title')!
    expect(part('panel')!.getAttribute('aria-labelledby')).toBe(title.id)
    const group = part('group-title')!
    expect(group.textContent).toBe('Categories')
    expect(part('group')!.getAttribute('aria-labelledby')).toBe(group.id)
    expect(part('interests')!.getAttribute('aria-labelledby')).toBe(group.id)
    expect(part('bar')!.getAttribute('aria-hidden')).toBe('true')
    const hint = part('hint')!
    expect(part('switch')!.getAttribute('aria-describedby')).toBe(hint.id)
    expect(part('switch')!.textContent).toBe('Surprise me')
  })

  it('shows a visible focus ring on keyboard focus', async () => {
    document.body.append(panel)
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.tab()
    const focused = shadow().activeElement as HTMLElement
    expect(focused?.localName).toBe('button')
    expect(getComputedStyle(focused).outlineStyle).toBe('solid')
    expect(Number.parseFloat(getComputedStyle(focused).outlineWidth)).toBeGreaterThanOrEqual(2)
  })

  it('styles itself without inline styles: one adopted stylesheet, no <style>, no style=""', async () => {
    await history(palate)
    document.body.append(panel)
    expect(shadow().adoptedStyleSheets).toHaveLength(1)
    expect(shadow().querySelectorAll('style, link, [style]')).toHaveLength(0)
    expect(part('empty')!.hidden && getComputedStyle(part('empty')!).display).toBe('none')
  })

  it('renders labels as text, never as HTML', async () => {
    palate.track('view', { id: 'x', category: '<img src=x onerror=alert(1)>' })
    document.body.append(panel)
    expect(shadow().querySelectorAll('img')).toHaveLength(0)
    expect(labels()[0]).toContain('<img')
  })

  it('binds to an instance set before the element was defined', async () => {
    const early = document.createElement('palate-later') as HTMLElement & { palate?: Palate }
    early.palate = palate
    document.body.append(early)
    palate.track('view', hike)
    const Panel = definePreferences()
    class Later extends (Panel as unknown as typeof HTMLElement) {}
    customElements.define('palate-later', Later)
    try {
      expect(early.shadowRoot!.querySelector('[part~=label]')!.textContent).toBe('Hiking')
      expect(early.palate).toBe(palate)
    } finally {
      early.remove()
    }
  })

  it('can be moved around the page, and stops listening while out of it', async () => {
    const subscribe = vi.spyOn(palate, 'subscribe')
    document.body.append(panel)
    const other = document.createElement('aside')
    document.body.append(other)
    other.append(panel)
    palate.track('view', hike)
    await vi.waitFor(() => expect(labels()).toEqual(['Hiking']))
    expect(shadow().querySelectorAll('[part~=panel]')).toHaveLength(1)
    const live = subscribe.mock.results.length
    panel.remove()
    other.remove()
    expect(shadow().children).toHaveLength(0)
    expect(subscribe.mock.results).toHaveLength(live)
  })
})
