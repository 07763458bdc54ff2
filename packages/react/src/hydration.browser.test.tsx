// Server HTML hydrated in real Chromium by a client whose stored profile prefers other items.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, useLayoutEffect } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { createPalate, type Item, type Palate } from '@palate/core'
import { PalateProvider, useConsent, useInterests, useRanked, useShift, useSurprise } from './index.js'

declare global {
  // eslint-disable-next-line no-var
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true

interface Product extends Item {
  name: string
}
const products: Product[] = [
  { id: 'gym-1', name: 'Kettlebell', category: 'sports/gym' },
  { id: 'gym-2', name: 'Yoga mat', category: 'sports/gym' },
  { id: 'hike-1', name: 'Trail boots', category: 'sports/hiking/boots' },
  { id: 'cook-1', name: 'Dutch oven', category: 'kitchen/cookware' },
]

function Storefront({ onCommit }: { onCommit?: () => void }) {
  const ranked = useRanked(products, { limit: 3 })
  const interests = useInterests({ dimension: 'category', limit: 2 })
  const { consent } = useConsent()
  const [surprise] = useSurprise()
  const shift = useShift()
  useLayoutEffect(() => {
    onCommit?.()
  })
  return (
    <main data-consent={consent} data-surprise={String(surprise)} data-shift={shift ? 'yes' : 'no'}>
      <ol>
        {interests.map((i) => (
          <li key={i.key}>{i.key}</li>
        ))}
      </ol>
      <ul>
        {ranked.map(({ item, reason }) => (
          <li key={item.id} title={reason.text}>
            {item.name}
          </li>
        ))}
      </ul>
    </main>
  )
}

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
  vi.restoreAllMocks()
})

/** An IndexedDB profile left by an earlier visit (kitchen, then hiking; surprise on); returns its name. */
async function earlierVisit(): Promise<string> {
  const name = `react-hydration-${Math.random().toString(36).slice(2)}`
  const earlier = createPalate({ name })
  for (let i = 0; i < 4; i++) earlier.track('add_to_cart', products[3]!)
  earlier.track('add_to_cart', products[2]!)
  await earlier.setSurprise(true)
  await earlier.flush()
  earlier.close()
  await earlier.flush()
  return name
}

/** This page's instance on that profile, removed with everything it stored after the test. */
function openPalate(name: string): Palate {
  const palate = createPalate({ name })
  cleanups.push(async () => {
    await palate.optOut()
    palate.close()
    localStorage.removeItem(`palate:${name}:consent`)
  })
  return palate
}

function serverRender(): string {
  return renderToString(
    <PalateProvider palate={null}>
      <Storefront />
    </PalateProvider>,
  )
}

/** Puts the server's HTML in the page, as the browser would have parsed it. */
function serverPage(html: string): HTMLElement {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  return container
}

describe('hydration', () => {
  it('hydrates the server HTML without a mismatch, then shows the personalized order', async () => {
    const palate = openPalate(await earlierVisit())
    await palate.ready
    expect(palate.getSnapshot().status).toBe('ready')
    const personalized = () => palate.rank(products, { limit: 3 }).map((r) => r.item.name)
    expect(personalized()[0]).toBe('Dutch oven')

    const serverHtml = serverRender()
    expect(serverHtml).toContain('<li title="Picked by the store">Kettlebell</li><li title="Picked by the store">Yoga mat</li>')
    const container = serverPage(serverHtml)
    const serverList = container.querySelector('ul')!

    const consoleError = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const commits: string[] = []
    let root: Root | undefined
    await act(async () => {
      root = hydrateRoot(
        container,
        <PalateProvider palate={palate}>
          <Storefront onCommit={() => commits.push(container.innerHTML)} />
        </PalateProvider>,
        { onRecoverableError: (error) => void recoverable.push(error) },
      )
    })
    cleanups.push(async () => {
      await act(async () => root?.unmount())
      container.remove()
    })

    expect(recoverable).toEqual([])
    expect(consoleError).not.toHaveBeenCalled()
    // The hydrating render committed exactly the server's markup, into the server's nodes...
    expect(commits[0]).toBe(serverHtml)
    expect(container.querySelector('ul')).toBe(serverList)
    // ...and the next one, with the client's snapshot, personalized it.
    expect(commits.length).toBeGreaterThanOrEqual(2)
    const names = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(names[0]).toBe('Dutch oven')
    expect(names).toEqual(personalized())
    expect(container.querySelector('ul li')?.getAttribute('title')).toMatch(/Because you've been looking at/)
    expect([...container.querySelectorAll('ol li')].map((li) => li.textContent)).toEqual(
      palate.interests({ dimension: 'category', limit: 2 }).map((i) => i.key),
    )
    expect(container.querySelectorAll('ol li')).toHaveLength(2)
    expect(container.querySelector('main')?.dataset).toMatchObject({ consent: 'granted', surprise: 'true' })

    // And it stays live: tracking on the hydrated page re-ranks it.
    await act(async () => {
      for (let i = 0; i < 8; i++) palate.track('add_to_cart', products[1]!)
    })
    const after = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(['Kettlebell', 'Yoga mat']).toContain(after[0])
    expect(after).toEqual(personalized())
  })

  it('an instance still loading its profile hydrates like the server, then ranks once the profile is in', async () => {
    const palate = openPalate(await earlierVisit())
    expect(palate.getSnapshot().status).toBe('loading')
    const serverHtml = serverRender()
    const container = serverPage(serverHtml)
    const consoleError = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const commits: string[] = []
    let root: Root | undefined
    await act(async () => {
      root = hydrateRoot(
        container,
        <PalateProvider palate={palate}>
          <Storefront onCommit={() => commits.push(container.innerHTML)} />
        </PalateProvider>,
        { onRecoverableError: (error) => void recoverable.push(error) },
      )
    })
    cleanups.push(async () => {
      await act(async () => root?.unmount())
      container.remove()
    })
    expect(recoverable).toEqual([])
    expect(consoleError).not.toHaveBeenCalled()
    expect(commits[0]).toBe(serverHtml)

    await act(() => palate.ready)
    expect(palate.getSnapshot().status).toBe('ready')
    const names = [...container.querySelectorAll('ul li')].map((li) => li.textContent)
    expect(names[0]).toBe('Dutch oven')
    expect(names).toEqual(palate.rank(products, { limit: 3 }).map((r) => r.item.name))
  })
})
