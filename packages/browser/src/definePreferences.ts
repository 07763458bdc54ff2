// The `<palate-preferences>` custom element: its tag, its styles (one constructed sheet per
// document), which instance it shows, and its registration. What the panel shows inside it is
// built by mountPreferences.ts.
import type { Palate } from '@palate/core'
import { mountPreferences } from './mountPreferences.js'

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
li:has(>meter){display:grid;grid-template-columns:minmax(0,1fr) 3.5em 2.8em 4.6em auto}li>meter{width:100%;min-width:0}li:has(>meter)>[part~=sections]{grid-column:1/-1}
@container (max-width:26em){li:has(>meter){display:grid;grid-template-columns:minmax(0,1fr) 3.5em 2.8em;gap:.3em .5em}[part~=trend]{grid-row:2;grid-column:1}[part~=actions]{grid-row:2;grid-column:1/-1;justify-self:end}[part~=sections]{grid-column:1/-1}}
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
      this.unbind = palate.subscribe(mountPreferences(this.shadowRoot!, palate))
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
