// Real Chromium: data-palate-rank containers reordered by moving their nodes.
import { createPalate, type Item, type Palate, type Ranked } from '@palate/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { frames, itemElement, uniqueName } from './testing.js'
import { wire } from './wire.js'

const gym = { id: 'gym-1', category: 'gym/weights' }
const hike = { id: 'hike-1', category: 'hiking/boots' }
const surf = { id: 'surf-1', category: 'surf/boards' }

let palate: Palate
let unwire: (() => void) | undefined
let shelf: HTMLElement
let heading: HTMLElement
let nodes: Record<'gym' | 'hike' | 'surf', HTMLElement>

beforeEach(async () => {
  palate = createPalate({ name: uniqueName() })
  await palate.ready
  shelf = document.createElement('ul')
  shelf.setAttribute('data-palate-rank', '')
  heading = document.createElement('li')
  heading.textContent = 'For you'
  nodes = { gym: itemElement(gym), hike: itemElement(hike), surf: itemElement(surf) }
  shelf.append(heading, nodes.gym, nodes.hike, nodes.surf)
  document.body.append(shelf)
})

afterEach(() => {
  unwire?.()
  unwire = undefined
  shelf.remove()
  palate.close()
  vi.restoreAllMocks()
})

const ids = () => [...shelf.children].map((child) => child.textContent)
const start = () => (unwire = wire(palate, document, { dwell: 60_000 }))
const like = (item: Item, times: number) => {
  for (let i = 0; i < times; i++) palate.track('add_to_cart', item)
}

describe('data-palate-rank', () => {
  it('moves the same nodes into ranked order, keeps other children in place and marks each with its reason', async () => {
    like(hike, 3)
    const before = new Set(shelf.childNodes)
    start()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'hike-1', 'gym-1', 'surf-1']))
    expect(new Set(shelf.childNodes)).toEqual(before)
    expect(shelf.children[1]).toBe(nodes.hike)
    expect(shelf.children[2]).toBe(nodes.gym)
    expect(nodes.hike.getAttribute('data-palate-reason-kind')).toBe('interest')
    expect(nodes.hike.getAttribute('data-palate-reason')).toMatch(/Hiking|Boots/)
    expect(nodes.gym.getAttribute('data-palate-reason-kind')).toBe('default')
    expect(nodes.gym.getAttribute('data-palate-reason')).toBeTruthy()
    for (const node of Object.values(nodes)) expect(node.hasAttribute('data-palate-surprise')).toBe(false)
    expect(heading.hasAttribute('data-palate-reason')).toBe(false)
  })

  it('waits for the profile: nothing moves before ready, the stored profile ranks after', async () => {
    const name = uniqueName()
    const first = createPalate({ name })
    for (let i = 0; i < 3; i++) first.track('add_to_cart', surf)
    await first.flush()
    first.close()
    palate.close()
    palate = createPalate({ name })
    start()
    expect(ids()).toEqual(['For you', 'gym-1', 'hike-1', 'surf-1'])
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'gym-1', 'hike-1']))
  })

  it('holds still while on screen as the profile learns, and catches up once it scrolls away', async () => {
    like(hike, 2)
    start()
    await vi.waitFor(() => expect(ids()[1]).toBe('hike-1'))
    await frames()
    like(surf, 6)
    await frames()
    expect(ids()).toEqual(['For you', 'hike-1', 'gym-1', 'surf-1'])
    // Out of view (scrolled away): now it follows what was learned.
    const spacer = document.createElement('div')
    spacer.style.height = '300vh'
    document.body.prepend(spacer)
    try {
      await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'hike-1', 'gym-1']))
    } finally {
      spacer.remove()
    }
  })

  it('reorders at once for what the shopper asks: an opt-out puts the store order back on screen', async () => {
    like(hike, 2)
    like(surf, 6)
    start()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'hike-1', 'gym-1']))
    await frames()
    await palate.optOut()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'gym-1', 'hike-1', 'surf-1']))
    expect(nodes.surf.getAttribute('data-palate-reason-kind')).toBe('default')
  })

  it('never names a forgotten interest: a forget reorders a shelf on screen at once', async () => {
    like(hike, 2)
    like(surf, 6)
    start()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'hike-1', 'gym-1']))
    await frames()
    await palate.forget('category:surf')
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'hike-1', 'gym-1', 'surf-1']))
    for (const node of Object.values(nodes)) expect(node.getAttribute('data-palate-reason') ?? '').not.toMatch(/surf/i)
  })

  it('never names a tag a muted category took with it, once that is known', async () => {
    const poles = { id: 'poles', category: 'hiking/poles', tags: ['lightweight'] }
    const tent = itemElement({ id: 'tent', category: 'camping/tents', tags: ['lightweight'] })
    shelf.append(tent)
    like(poles, 4)
    like(gym, 1)
    start()
    await vi.waitFor(() => expect(tent.getAttribute('data-palate-reason')).toMatch(/lightweight/i))
    await frames()
    await palate.mute('category:hiking')
    await vi.waitFor(() => expect(tent.getAttribute('data-palate-reason') ?? '').not.toMatch(/lightweight/i))
    expect(palate.interests({ limit: 50 }).map((i) => i.key)).not.toContain('tag:lightweight')
  })

  // As on a reload with a muted category: the snapshot changes while the profile is read (the
  // mute's part loads), after the shelf is on screen, and before ready resolves.
  it('ranks a shelf already on screen once the profile is ready, however often the snapshot changed before', async () => {
    like(surf, 3)
    const listeners: Array<() => void> = []
    let release = () => {}
    const ready = new Promise<void>((resolve) => (release = resolve))
    const loading = Object.create(palate, {
      ready: { value: ready },
      subscribe: { value: (listener: () => void) => (listeners.push(listener), () => undefined) },
    }) as Palate
    unwire = wire(loading, document, { dwell: 60_000 })
    for (const listener of listeners) listener()
    await frames()
    for (const listener of listeners) listener()
    await frames()
    expect(ids()).toEqual(['For you', 'gym-1', 'hike-1', 'surf-1'])
    release()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'gym-1', 'hike-1']))
    expect(nodes.surf.getAttribute('data-palate-reason-kind')).toBe('interest')
  })

  it('does no DOM work when a change leaves the order as it is', async () => {
    like(hike, 3)
    start()
    await vi.waitFor(() => expect(ids()[1]).toBe('hike-1'))
    await frames()
    const records: MutationRecord[] = []
    const observer = new MutationObserver((batch) => records.push(...batch))
    observer.observe(shelf, { childList: true, subtree: true, attributes: true })
    const rank = vi.spyOn(palate, 'rank')
    await palate.mute('category:yoga')
    await vi.waitFor(() => expect(rank).toHaveBeenCalled())
    await frames()
    observer.disconnect()
    expect(records).toEqual([])
  })

  it('ranks items added later into place', async () => {
    like(hike, 3)
    start()
    await vi.waitFor(() => expect(ids()[1]).toBe('hike-1'))
    const poles = itemElement({ id: 'hike-2', category: 'hiking/poles' })
    shelf.append(poles)
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'hike-1', 'hike-2', 'gym-1', 'surf-1']))
    expect(shelf.children[2]).toBe(poles)
  })

  it('ranks a container added to the page later', async () => {
    like(surf, 3)
    start()
    await vi.waitFor(() => expect(ids()[1]).toBe('surf-1'))
    const later = document.createElement('div')
    later.setAttribute('data-palate-rank', '')
    const [a, b] = [itemElement(gym, 'p'), itemElement({ id: 'surf-2', category: 'surf/boards' }, 'p')]
    later.append(a, b)
    document.body.append(later)
    try {
      await vi.waitFor(() => expect(later.firstElementChild).toBe(b))
      expect(b.getAttribute('data-palate-reason-kind')).toBe('interest')
    } finally {
      later.remove()
    }
  })

  it('keeps keyboard focus on a control inside a moved item', async () => {
    const button = document.createElement('button')
    button.textContent = 'Add'
    nodes.surf.append(button)
    like(hike, 3)
    like(surf, 2)
    start()
    await vi.waitFor(() => expect(shelf.children[1]).toBe(nodes.hike))
    await frames()
    button.focus()
    // Muting hiking moves surf (and the focused button inside it) up.
    await palate.mute('category:hiking')
    await vi.waitFor(() => expect(shelf.children[1]).toBe(nodes.surf))
    expect(document.activeElement).toBe(button)
  })

  it('with data-palate-limit, personalizes only the first N slots and keeps every child', async () => {
    shelf.setAttribute('data-palate-limit', '1')
    like(surf, 3)
    like(hike, 2)
    start()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'gym-1', 'hike-1']))
    expect(nodes.surf.getAttribute('data-palate-reason-kind')).toBe('interest')
    expect(nodes.gym.hasAttribute('data-palate-reason')).toBe(false)
    expect(nodes.hike.hasAttribute('data-palate-reason-kind')).toBe(false)
  })

  it('leaves a malformed item where it is and ranks the others around it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const broken = itemElement('{oops')
    shelf.insertBefore(broken, nodes.hike)
    like(surf, 3)
    start()
    await vi.waitFor(() => expect(ids()).toEqual(['For you', 'surf-1', 'broken', 'gym-1', 'hike-1']))
    expect(console.warn).toHaveBeenCalledTimes(1)
  })
})

describe('surprises', () => {
  /** Core's ranking with its last entry turned into a surprise, so the marks can be checked on their own. */
  function lastIsSurprise(): void {
    const real = palate.rank.bind(palate)
    vi.spyOn(palate, 'rank').mockImplementation(<T extends Item>(items: readonly T[], options?: Parameters<Palate['rank']>[1]) => {
      const ranked: Ranked<T>[] = real(items, options)
      const last = ranked[ranked.length - 1]!
      ranked[ranked.length - 1] = { ...last, reason: { kind: 'surprise', text: 'Something different' } }
      return ranked
    })
  }

  it('marks surprise items, and only them, with data-palate-surprise', async () => {
    lastIsSurprise()
    start()
    await vi.waitFor(() => expect(nodes.surf.hasAttribute('data-palate-surprise')).toBe(true))
    expect(nodes.surf.getAttribute('data-palate-reason-kind')).toBe('surprise')
    expect(nodes.surf.getAttribute('data-palate-reason')).toBe('Something different')
    expect(nodes.gym.hasAttribute('data-palate-surprise')).toBe(false)
    expect(nodes.hike.hasAttribute('data-palate-surprise')).toBe(false)
  })

  it('passes the container override of the shopper setting to rank(), and warns about a bad one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const rank = vi.spyOn(palate, 'rank')
    await palate.setSurprise(true)
    shelf.setAttribute('data-palate-surprise', 'false')
    start()
    await vi.waitFor(() => expect(rank).toHaveBeenCalled())
    expect(rank.mock.lastCall![1]).toEqual({ surprise: false })
    shelf.setAttribute('data-palate-surprise', '0.5')
    await vi.waitFor(() => expect(rank.mock.lastCall![1]).toEqual({ surprise: 0.5 }))
    shelf.setAttribute('data-palate-surprise', 'sometimes')
    await vi.waitFor(() => expect(rank.mock.lastCall![1]).toEqual({}))
    expect(warn.mock.calls.filter(([, element]) => element === shelf)).toHaveLength(1)
  })

  it('with the shopper surprise on, a container gets surprise slots unless it says data-palate-surprise="false"', async () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((x) => ({ id: `hike-${x}`, category: 'hiking/boots' }))
    const others = ['surf/boards', 'yoga/mats', 'gym/weights', 'camping/tents'].map((category, i) => ({ id: `other-${i}`, category }))
    const open = document.createElement('ul')
    open.setAttribute('data-palate-rank', '')
    const closed = document.createElement('ul')
    closed.setAttribute('data-palate-rank', '')
    closed.setAttribute('data-palate-surprise', 'false')
    for (const list of [open, closed]) for (const item of [...items, ...others]) list.append(itemElement(item))
    document.body.append(open, closed)
    try {
      for (let i = 0; i < 12; i++) palate.track('view', items[i % items.length]!)
      await palate.setSurprise(true)
      start()
      await vi.waitFor(() => expect(open.querySelectorAll('[data-palate-surprise]').length).toBeGreaterThan(0))
      expect(closed.querySelectorAll('[data-palate-reason-kind]').length).toBe(9)
      expect(closed.querySelectorAll('[data-palate-surprise]')).toHaveLength(0)
      for (const element of open.querySelectorAll('[data-palate-surprise]')) {
        expect(element.getAttribute('data-palate-reason-kind')).toBe('surprise')
        expect(element.textContent).toMatch(/^other-/)
      }
    } finally {
      open.remove()
      closed.remove()
    }
  })
})

describe('cards inside wrappers', () => {
  /** A Bootstrap-style column: `<div class="col"><div class="card" data-palate-item>… <p data-palate-reason-slot>`. */
  function column(item: Item): { col: HTMLElement; card: HTMLElement; slot: HTMLElement } {
    const col = document.createElement('div')
    col.className = 'col'
    const card = itemElement(item, 'div')
    const slot = document.createElement('p')
    slot.setAttribute('data-palate-reason-slot', '')
    card.append(slot)
    col.append(card)
    return { col, card, slot }
  }

  it('finds the card inside each child, moves the child, and writes the reason into the slot', async () => {
    const grid = document.createElement('div')
    grid.setAttribute('data-palate-rank', '')
    const cols = [column(gym), column(hike), column(surf)]
    grid.append(...cols.map((c) => c.col))
    document.body.append(grid)
    try {
      like(surf, 3)
      start()
      await vi.waitFor(() => expect(grid.children[0]).toBe(cols[2]!.col))
      expect([...grid.children]).toEqual([cols[2]!.col, cols[0]!.col, cols[1]!.col])
      const { card, slot } = cols[2]!
      expect(card.getAttribute('data-palate-reason-kind')).toBe('interest')
      expect(slot.textContent).toBe(card.getAttribute('data-palate-reason'))
      expect(cols[2]!.col.hasAttribute('data-palate-reason')).toBe(false)
      // The slot follows the reason: after an opt-out the store's order is back, and so is its reason.
      await palate.optOut()
      await vi.waitFor(() => expect(grid.children[0]).toBe(cols[0]!.col))
      expect(card.getAttribute('data-palate-reason-kind')).toBe('default')
      expect(slot.textContent).toBe(card.getAttribute('data-palate-reason'))
      // Beyond data-palate-limit a card is unmarked, and its slot is empty.
      grid.setAttribute('data-palate-limit', '1')
      await vi.waitFor(() => expect(slot.textContent).toBe(''))
    } finally {
      grid.remove()
    }
  })

  it('ranks cards added into their wrappers later', async () => {
    const grid = document.createElement('div')
    grid.setAttribute('data-palate-rank', '')
    const empty = [document.createElement('div'), document.createElement('div')]
    grid.append(...empty)
    document.body.append(grid)
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      like(hike, 3)
      start()
      await frames()
      empty[0]!.append(itemElement(gym, 'div'))
      empty[1]!.append(itemElement(hike, 'div'))
      await vi.waitFor(() => expect(grid.children[0]).toBe(empty[1]))
    } finally {
      grid.remove()
    }
  })

  it('warns once, naming it, about a child holding several items (it stays in place) and a container with no items', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const row = document.createElement('div')
    row.className = 'row'
    row.append(itemElement(gym, 'div'), itemElement(surf, 'div'))
    shelf.prepend(row)
    const bare = document.createElement('ul')
    bare.id = 'bare'
    bare.setAttribute('data-palate-rank', '')
    bare.append(document.createElement('li'))
    document.body.append(bare)
    try {
      like(surf, 3)
      like(hike, 1)
      start()
      await vi.waitFor(() => expect(shelf.children[2]).toBe(nodes.surf))
      expect(shelf.children[0]).toBe(row)
      like(gym, 1)
      await palate.setSurprise(true)
      await palate.setSurprise(false)
      await frames()
      const about = (element: Element) => warn.mock.calls.filter(([, el]) => el === element)
      expect(about(row)).toHaveLength(1)
      expect(about(row)[0]![0]).toMatch(/^\[palate\] this data-palate-rank child holds 2 items, so it stays in place.* \(on div\.row\)$/)
      expect(about(bare)).toHaveLength(1)
      expect(about(bare)[0]![0]).toMatch(/nothing to rank.*\(on ul#bare\)$/)
    } finally {
      bare.remove()
    }
  })
})
