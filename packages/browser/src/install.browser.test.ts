// Real Chromium: window.Palate, the pre-load queue and data-auto, as palate.min.js runs them.
import type { Palate } from '@palate/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { install, optionsFromScript, type PalateGlobal, type PalateQueueEntry } from './install.js'
import { uniqueName } from './testing.js'

const boots = { id: 'sku-1', category: 'outdoors/hiking/boots', tags: ['waterproof'] }
const created: Palate[] = []

/** A window of our own: its `Palate` and a document nobody else uses, so tests cannot see each other. */
function fakeWindow(queue?: PalateQueueEntry[]): Window & { Palate?: PalateGlobal | PalateQueueEntry[] } {
  const win = { document: document.implementation.createHTMLDocument('shop') } as unknown as Window & { Palate?: PalateGlobal | PalateQueueEntry[] }
  if (queue) win.Palate = queue
  return win
}

function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
  return script
}

function keep(palate: Palate | null): Palate {
  created.push(palate!)
  return palate!
}

afterEach(() => {
  for (const palate of created.splice(0)) palate.close()
  delete (window as { Palate?: unknown }).Palate
  vi.restoreAllMocks()
})

describe('install() and the queue', () => {
  it('runs functions and calls pushed before the script loaded, in order, once the instance exists', async () => {
    const seen: string[] = []
    const queue: PalateQueueEntry[] = []
    const win = fakeWindow(queue)
    queue.push((palate) => seen.push('first:' + palate.consent()))
    queue.push(['track', 'add_to_cart', boots])
    queue.push((palate) => seen.push('second:' + palate.interests().map((i) => i.key).join()))
    const api = install(win, scriptTag({ 'data-auto': '', 'data-name': uniqueName() }))
    const palate = keep(api.instance)
    expect(win.Palate).toBe(api)
    expect(seen[0]).toBe('first:granted')
    expect(seen[1]).toContain('category:outdoors/hiking/boots')
    expect(seen).toHaveLength(2)

    // After load, push runs at once.
    api.push((p) => seen.push(p === palate ? 'now' : 'other'))
    expect(seen[2]).toBe('now')
    api.push(['track', 'view', { id: 'sku-2', category: 'yoga' }])
    expect(palate.interests().map((i) => i.key)).toContain('category:yoga')
  })

  it('without data-auto, keeps the queue until Palate.init()', () => {
    const ran = vi.fn()
    const win = fakeWindow([ran])
    const api = install(win, scriptTag({}))
    expect(api.instance).toBeNull()
    api.push(ran)
    expect(ran).not.toHaveBeenCalled()
    const palate = keep(api.init({ name: uniqueName(), consent: 'pending' }))
    expect(ran).toHaveBeenCalledTimes(2)
    expect(ran).toHaveBeenCalledWith(palate)
    expect(api.instance).toBe(palate)
  })

  it('forwards page-level methods to the page instance, and says clearly when there is none yet', async () => {
    const api = install(fakeWindow())
    expect(() => api.track('view', boots)).toThrow(/Palate\.track\(\): no page instance yet/)
    const palate = keep(api.init({ name: uniqueName() }))
    await palate.ready
    api.track('add_to_cart', boots)
    expect(api.interests().map((i) => i.key)).toEqual(palate.interests().map((i) => i.key))
    expect(api.getSnapshot()).toBe(palate.getSnapshot())
    expect(api.rank([boots])[0]!.reason.kind).toBe('interest')
    await api.setSurprise(true)
    expect(palate.getSnapshot().surprise).toBe(true)
    expect(typeof api.createPalate).toBe('function')
    expect(typeof api.wire).toBe('function')
    expect(typeof api.definePreferences).toBe('function')
  })

  it('logs an entry that throws and runs the next; warns once about an unknown call', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const after = vi.fn()
    const boom = new Error('page bug')
    const bogus = ['explode', 1] as unknown as PalateQueueEntry
    const win = fakeWindow([
      () => {
        throw boom
      },
      bogus,
      bogus,
      after,
    ])
    keep(install(win, scriptTag({ 'data-auto': '', 'data-name': uniqueName() })).instance)
    expect(after).toHaveBeenCalledTimes(1)
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/^\[palate\]/), boom)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/^\[palate\] Palate\.push\(\)/)
  })

  it('keeps the first window.Palate when the script is included twice, and the first instance when init() is called twice', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const win = fakeWindow()
    const first = install(win, scriptTag({ 'data-auto': '', 'data-name': uniqueName() }))
    const palate = keep(first.instance)
    expect(install(win, scriptTag({ 'data-auto': '', 'data-name': uniqueName() }))).toBe(first)
    expect(first.instance).toBe(palate)
    expect(first.init({ name: uniqueName() })).toBe(palate)
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('throws a clear error for a malformed data- option, with window.Palate defined and the queue kept', () => {
    const ran = vi.fn()
    const win = fakeWindow([ran])
    expect(() => install(win, scriptTag({ 'data-auto': '', 'data-retention-days': 'forever' }))).toThrow(/retentionDays/)
    const api = win.Palate as PalateGlobal
    expect(typeof api.init).toBe('function')
    keep(api.init({ name: uniqueName() }))
    expect(ran).toHaveBeenCalledTimes(1)
  })
})

describe('data-auto', () => {
  it('reads the options from the script element', () => {
    const script = scriptTag({
      'data-name': 'shop',
      'data-storage': 'memory',
      'data-consent': 'pending',
      'data-sensitive': 'health, adult,,',
      'data-retention-days': '30',
      'data-surprise-share': '0.1',
      'data-respect-gpc': 'false',
      'data-dwell': '500',
    })
    expect(optionsFromScript(script)).toEqual({
      name: 'shop',
      storage: 'memory',
      consent: 'pending',
      sensitive: ['health', 'adult'],
      retentionDays: 30,
      surpriseShare: 0.1,
      respectGlobalPrivacyControl: false,
      dwell: 500,
    })
    expect(optionsFromScript(scriptTag({ 'data-respect-gpc': '' }))).toEqual({ respectGlobalPrivacyControl: true })
    expect(optionsFromScript(scriptTag({}))).toEqual({})
  })

  it('creates the page instance with those options: pending consent keeps everything in memory', async () => {
    const api = install(fakeWindow(), scriptTag({ 'data-auto': '', 'data-name': uniqueName(), 'data-consent': 'pending' }))
    const palate = keep(api.instance)
    await palate.ready
    expect(palate.consent()).toBe('pending')
    expect(palate.getSnapshot().status).toBe('memory')
  })

  it('never stores the categories listed in data-sensitive', async () => {
    const api = install(fakeWindow(), scriptTag({ 'data-auto': '', 'data-name': uniqueName(), 'data-sensitive': 'health,adult' }))
    const palate = keep(api.instance)
    await palate.ready
    api.track('view', { id: 'vit-1', category: 'health/vitamins' })
    api.track('view', boots)
    const stored = await palate.export()
    expect(stored.events.map((event) => event.item.id)).toEqual(['sku-1'])
  })

  it('wires the real document and binds <palate-preferences> to the page instance', async () => {
    const item = document.createElement('button')
    item.setAttribute('data-palate-item', JSON.stringify(boots))
    const panel = document.createElement('palate-preferences')
    document.body.append(item, panel)
    // The panel file, as the script tag loads it when a panel connects (lazyPreferences.browser.test.ts).
    await import('./preferencesPanel.js')
    try {
      const api = install(window, scriptTag({ 'data-auto': '', 'data-name': uniqueName() }))
      const palate = keep(api.instance)
      expect((window as { Palate?: unknown }).Palate).toBe(api)
      await palate.ready
      item.click()
      expect(palate.interests().map((i) => i.key)).toContain('category:outdoors/hiking/boots')
      expect(panel.palate).toBe(palate)
      const labels = () => [...panel.shadowRoot!.querySelectorAll('[part~=label]')].map((label) => label.textContent)
      await vi.waitFor(() => expect(labels()).toContain('Hiking boots'))
    } finally {
      item.remove()
      panel.remove()
    }
  })
})

describe('global.ts', () => {
  it('defines window.Palate when loaded, and leaves the page queue to init()', async () => {
    const ran = vi.fn()
    ;(window as { Palate?: unknown }).Palate = [ran]
    await import('./global.js')
    const api = (window as unknown as { Palate: PalateGlobal }).Palate
    expect(typeof api.init).toBe('function')
    // A module script has no document.currentScript, so no data-auto: nothing runs before init().
    expect(ran).not.toHaveBeenCalled()
    const palate = keep(api.init({ name: uniqueName() }))
    expect(ran).toHaveBeenCalledWith(palate)
  })
})
