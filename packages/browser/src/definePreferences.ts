import { labelOf, type Palate, type Snapshot } from '@palate/core'
import { groupInterests, type InterestRow } from './groupInterests.js'

/**
 * The tag name {@link definePreferences} registers.
 * @example document.querySelector(PREFERENCES_TAG)
 */
export const PREFERENCES_TAG = 'palate-preferences'

/**
 * The `<palate-preferences>` element: a panel that shows what the profile holds and hands the
 * shopper its controls. Interests come in groups — categories, then brands, then tags — each
 * strongest first, with percents that add up to 100 within the group and a bar for strength;
 * narrower categories are listed under theirs (see `groupInterests`). Opted out, the panel shows
 * only the way back in. Every piece is a styleable `::part`:
 *
 * `panel`, `title`, `empty`, `group` (one per dimension, also `group-category` | `group-brand` |
 * `group-tag`), `group-title`, `interests` (list), `interest` (row), `sections` (nested list),
 * `section` (nested row, also `interest`), `label`, `bar` (a `<meter>` of strength against the
 * group's strongest), `share`, `trend` plus
 * `trend-new` | `trend-rising` | `trend-fading` (shown; `steady` is hidden), `actions`, `forget-button`, `mute-button`, `muted-title`,
 * `muted` (list), `muted-interest` (row), `unmute-button`, `switch` (surprise me,
 * `role="switch"`), `hint`, `opt-out-button`, `opt-in-button`, `download-button`, `status` (the
 * live region).
 *
 * @example
 * <palate-preferences></palate-preferences>
 * <style>palate-preferences::part(forget-button) { color: crimson }</style>
 */
export interface PalatePreferencesElement extends HTMLElement {
  /**
   * The instance shown. Unset, the element uses the page's instance (`window.Palate.instance`,
   * which `Palate.init()` creates) when it is connected.
   */
  palate: Palate | null
}

interface PalateWindow {
  Palate?: { instance?: Palate | null }
}

const CSS = `:host{display:block;container-type:inline-size}[hidden]{display:none!important}
section{display:grid;gap:.75em}h2,h3{margin:0;font-size:1.1em}h3{font-size:1em}
ul{list-style:none;margin:0;padding:0;display:grid;gap:.5em}li{display:flex;flex-wrap:wrap;align-items:center;gap:.35em .5em}
[part~=label]{flex:1 1 auto;min-width:0;font-weight:600}[part~=section] [part~=label]{font-weight:400}
[part~=sections]{flex-basis:100%;padding-left:1em;gap:.35em}
meter{flex:0 0 3.5em;height:.5em;appearance:none;background:#8884;border-radius:.25em;overflow:hidden}meter::-webkit-meter-bar{background:none;border:0;height:.5em}meter::-webkit-meter-optimum-value{background:currentColor}meter::-moz-meter-bar{background:currentColor}
[part~=share]{min-width:2.8em;white-space:nowrap;text-align:end;font-variant-numeric:tabular-nums}[part~=trend]{flex:0 0 4.6em;font-size:.85em;opacity:.8}[part~=trend-steady]{visibility:hidden}
[part~=trend-new]::before{content:"\u2605 "/""}[part~=trend-rising]::before{content:"\u2191 "/""}[part~=trend-fading]::before{content:"\u2193 "/""}
[part~=actions]{display:flex;gap:.35em;margin-left:auto}
@container (max-width:26em){li:has(>meter){display:grid;grid-template-columns:minmax(0,1fr) 3.5em 2.8em;gap:.3em .5em}li>meter{width:100%;min-width:0}[part~=trend]{grid-row:2;grid-column:1}[part~=actions]{grid-row:2;grid-column:1/-1;justify-self:end}[part~=sections]{grid-column:1/-1}}
button{font:inherit;color:inherit;background:none;border:1px solid;border-radius:.4em;padding:.3em .7em;cursor:pointer}[part~=actions] button,[part~=unmute-button]{padding:.1em .5em;font-size:.9em}
:focus-visible{outline:3px solid Highlight;outline-offset:2px}
[role=switch]::before{content:"";display:inline-block;vertical-align:middle;width:2em;height:1em;margin-right:.5em;border:1px solid;border-radius:1em;background:radial-gradient(circle at 25%,currentColor .3em,#0000 .35em)}
[role=switch][aria-checked=true]::before{background:radial-gradient(circle at 75%,currentColor .3em,#0000 .35em)}
@media (forced-colors:active){[role=switch][aria-checked=true]::before{background:CanvasText}}`

/**
 * One stylesheet per document, shared by every panel. A constructed sheet is not an inline style,
 * so a strict `style-src 'self'` does not block it (verified in Chromium by the CSP test).
 */
const sheets = new WeakMap<Document, CSSStyleSheet>()

/** The element class is made on first use: `HTMLElement` does not exist where the module may be imported (SSR). */
function createClass(): CustomElementConstructor {
  return class extends HTMLElement implements PalatePreferencesElement {
    // Declared, not initialized as class fields: the fields' downlevel helper would cost bytes.
    private declare bound: Palate | null
    private declare chosen: Palate | null
    private declare unbind: (() => void) | null

    constructor() {
      super()
      this.bound = this.chosen = this.unbind = null
      const root = this.attachShadow({ mode: 'open' })
      const doc = this.ownerDocument
      if ((root as { adoptedStyleSheets?: unknown }).adoptedStyleSheets) {
        let sheet = sheets.get(doc)
        if (!sheet) {
          sheet = new (doc.defaultView ?? window).CSSStyleSheet()
          sheet.replaceSync(CSS)
          sheets.set(doc, sheet)
        }
        root.adoptedStyleSheets = [sheet]
      } else {
        // Older engines (Safari < 16.4): an inline sheet, which a strict style-src blocks; the panel still works unstyled.
        root.append(Object.assign(doc.createElement('style'), { textContent: CSS }))
      }
      // A value set before the element was defined sits on the instance and would hide the accessor.
      if (Object.prototype.hasOwnProperty.call(this, 'palate')) {
        const value = (this as { palate: Palate | null }).palate
        delete (this as { palate?: unknown }).palate
        this.palate = value
      }
    }

    get palate(): Palate | null {
      return this.chosen ?? this.bound
    }

    set palate(value: Palate | null) {
      this.chosen = value
      if (this.isConnected) this.connectedCallback()
    }

    connectedCallback(): void {
      const palate = this.chosen ?? (this.ownerDocument.defaultView as PalateWindow | null)?.Palate?.instance ?? null
      if (palate === this.bound && this.unbind) return
      this.disconnectedCallback()
      this.bound = palate
      if (!palate) return
      this.unbind = palate.subscribe(mount(this.shadowRoot!, palate))
    }

    disconnectedCallback(): void {
      this.unbind?.()
      this.unbind = null
      this.shadowRoot!.replaceChildren(...[...this.shadowRoot!.children].filter((el) => el.localName === 'style'))
    }
  }
}

/**
 * Registers `<palate-preferences>` (see {@link PalatePreferencesElement} for its parts). Safe to
 * call more than once; returns the element class.
 *
 * @example
 * import { createPalate, definePreferences } from 'palate'
 * const palate = createPalate()
 * definePreferences()
 * const panel = document.createElement('palate-preferences')
 * panel.palate = palate
 * document.body.append(panel)
 */
export function definePreferences(): CustomElementConstructor {
  let existing = customElements.get(PREFERENCES_TAG)
  if (!existing) customElements.define(PREFERENCES_TAG, (existing = createClass()))
  return existing
}

declare global {
  interface HTMLElementTagNameMap {
    'palate-preferences': PalatePreferencesElement
  }
}

/** Builds the panel in `root` and returns the function that brings it up to date with the instance. */
function mount(root: ShadowRoot, palate: Palate): () => void {
  const doc = root.ownerDocument
  function el<K extends keyof HTMLElementTagNameMap>(tag: K, part: string, text = ''): HTMLElementTagNameMap[K] {
    const node = doc.createElement(tag)
    node.setAttribute('part', part)
    node.textContent = text
    return node
  }
  function button(part: string, text: string, onClick: () => unknown, label?: string): HTMLButtonElement {
    const node = el('button', part, text)
    node.type = 'button'
    if (label) node.setAttribute('aria-label', label)
    node.addEventListener('click', onClick)
    return node
  }

  const panel = el('section', 'panel')
  panel.setAttribute('aria-labelledby', 'palate-title')
  const title = el('h2', 'title', 'Your interests')
  title.id = 'palate-title'
  // Focus lands here when the control the shopper used goes away (the last interest forgotten).
  title.tabIndex = -1
  const empty = el('p', 'empty')
  /** One group per dimension, in the order groupInterests gives them; hidden while empty. */
  const groups = new Map<string, { box: HTMLElement; list: HTMLUListElement }>()
  const groupBoxes = (['category', 'brand', 'tag'] as const).map((dimension) => {
    const box = el('section', `group group-${dimension}`)
    const heading = el('h3', 'group-title')
    heading.id = `palate-group-${dimension}`
    box.setAttribute('aria-labelledby', heading.id)
    const list = el('ul', 'interests')
    list.setAttribute('aria-labelledby', heading.id)
    box.append(heading, list)
    groups.set(dimension, { box, list })
    return box
  })
  const mutedTitle = el('h3', 'muted-title', 'Muted')
  mutedTitle.id = 'palate-muted'
  const mutedList = el('ul', 'muted')
  mutedList.setAttribute('aria-labelledby', 'palate-muted')
  const status = el('p', 'status')
  status.setAttribute('role', 'status')
  status.setAttribute('aria-live', 'polite')

  /** Runs a shopper's action and says what happened in the live region. */
  async function act(done: string, task: () => Promise<unknown>): Promise<void> {
    try {
      await task()
      status.textContent = done
    } catch (error) {
      status.textContent = 'Something went wrong. Please try again.'
      console.warn('[palate]', error)
    }
    render()
  }

  const surprise = button('switch', 'Surprise me', () => {
    const on = !palate.getSnapshot().surprise
    void act(`Surprise me ${on ? 'on' : 'off'}`, () => palate.setSurprise(on))
  })
  surprise.setAttribute('role', 'switch')
  surprise.setAttribute('aria-describedby', 'palate-hint')
  const hint = el('p', 'hint', 'Mix in things outside your usual.')
  hint.id = 'palate-hint'

  const optOut = button('opt-out-button', 'Turn off and delete my data', () =>
    act('Personalization is off and your data was deleted', () => palate.optOut()),
  )
  const optIn = button('opt-in-button', 'Turn personalization on', () => act('Personalization is on', () => palate.optIn()))
  const download = button('download-button', 'Download my data', () =>
    act('Your data was downloaded', async () => {
      const data = await palate.export()
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
      const link = doc.createElement('a')
      link.href = url
      link.download = 'palate-profile.json'
      link.click()
      // The download has started from the URL by now; revoking at once can cancel it in some browsers.
      setTimeout(() => URL.revokeObjectURL(url), 1000)
    }),
  )
  /** What an opted-out panel hides: everything but the way back in. */
  const controls = [mutedTitle, mutedList, surprise, hint, optOut, download]

  panel.append(title, empty, ...groupBoxes, mutedTitle, mutedList, surprise, hint, optOut, optIn, download, status)
  root.append(panel)

  function interestRow({ key, label }: InterestRow, part = 'interest'): HTMLLIElement {
    const row = el('li', part)
    // The percent is the text; the bar only repeats it for the eye.
    const bar = el('meter', 'bar')
    bar.setAttribute('aria-hidden', 'true')
    const actions = el('span', 'actions')
    actions.append(
      button('forget-button', 'Forget', () => act(`Forgot ${label}`, () => palate.forget(key)), `Forget ${label}`),
      button('mute-button', 'Mute', () => act(`Muted ${label}`, () => palate.mute(key)), `Mute ${label}`),
    )
    const sections = el('ul', 'sections')
    sections.setAttribute('aria-label', `Within ${label}`)
    row.append(el('span', 'label', label), bar, el('span', 'share'), el('span', 'trend'), actions, sections)
    return row
  }

  function updateRow(row: Element, interest: InterestRow): void {
    const [, bar, share, trend, , sections] = row.children as unknown as HTMLElement[]
    ;(bar as HTMLMeterElement).value = interest.relative
    share!.textContent = `${interest.percent}%`
    trend!.textContent = interest.trend
    trend!.setAttribute('part', `trend trend-${interest.trend}`)
    // "steady" on every row says nothing: only a change is shown ("new", "rising", "fading").
    // A steady trend keeps its place (the bars stay aligned) but is neither shown nor read out.
    sections!.hidden = !interest.sections.length
    sync(sections!, interest.sections, (i) => i.key, (i) => interestRow(i, 'section interest'), updateRow)
  }

  function mutedRow(key: string): HTMLLIElement {
    const label = labelOf(key)
    const row = el('li', 'muted-interest')
    row.append(
      el('span', 'label', label),
      button('unmute-button', 'Unmute', () => act(`Unmuted ${label}`, () => palate.unmute(key)), `Unmute ${label}`),
    )
    return row
  }

  let shown: Snapshot | null = null

  function render(): void {
    const snapshot = palate.getSnapshot()
    if (snapshot === shown) return
    shown = snapshot
    const active = root.activeElement
    const activeRow = active?.closest('li')
    const activeList = activeRow?.parentElement
    const activeIndex = activeList ? [...activeList.children].indexOf(activeRow!) : -1
    const activeButton = activeRow ? [...activeRow.querySelectorAll('button')].indexOf(active as HTMLButtonElement) : -1

    const off = snapshot.consent === 'denied'
    const listed = off ? [] : groupInterests(palate)
    empty.textContent = off ? 'Personalization is off. Nothing is recorded.' : 'Nothing yet. Browse a little and your interests show up here.'
    empty.hidden = listed.length > 0
    for (const [dimension, { box, list }] of groups) {
      const group = listed.find((g) => g.dimension === dimension)
      box.hidden = !group
      box.firstChild!.textContent = group?.title ?? ''
      sync(list, group?.rows ?? [], (i) => i.key, (i) => interestRow(i), updateRow)
    }
    for (const node of controls) node.hidden = off
    mutedTitle.hidden = mutedList.hidden = off || !snapshot.muted.length
    sync(mutedList, off ? [] : snapshot.muted, (key) => key, mutedRow)

    surprise.setAttribute('aria-checked', String(snapshot.surprise))
    optIn.hidden = !off

    if (active && !active.isConnected) {
      // The row the shopper acted on is gone: go on to the same button of the row that took its place.
      const rows = activeList?.isConnected ? activeList.children : undefined
      const row = rows?.[Math.min(activeIndex, rows.length - 1)]
      const buttons = row?.querySelectorAll(':scope > [part~=actions] > button, :scope > button')
      ;((buttons?.[activeButton] ?? buttons?.[0]) as HTMLElement | undefined ?? title).focus()
    } else if (active === optOut || active === optIn) {
      // One replaces the other: keep the keyboard where it was.
      ;(off ? optIn : optOut).focus()
    } else if (active instanceof HTMLElement && root.activeElement !== active) {
      // A reordered row lost focus in the move, or its control was hidden.
      if (active.isConnected && !active.closest('[hidden]')) active.focus()
      else title.focus()
    }
  }

  render()
  return render
}

/** Brings a list's rows in line with `entries`, keeping (and moving) the rows of known keys. */
function sync<T>(
  list: HTMLElement,
  entries: readonly T[],
  keyOf: (entry: T) => string,
  create: (entry: T) => HTMLLIElement,
  update?: (row: Element, entry: T) => void,
): void {
  const rows = new Map<string, Element>()
  for (const row of list.children) rows.set(row.getAttribute('data-key')!, row)
  entries.forEach((entry, i) => {
    const key = keyOf(entry)
    let row = rows.get(key)
    if (row) rows.delete(key)
    else {
      row = create(entry)
      row.setAttribute('data-key', key)
    }
    update?.(row, entry)
    const at = list.children[i]
    if (at !== row) list.insertBefore(row, at ?? null)
  })
  for (const row of rows.values()) row.remove()
}
