// Real Chromium: the script and the panel under a storefront's strict Content-Security-Policy.
import { describe, expect, it } from 'vitest'
import type { PalateGlobal } from './install.js'
import { uniqueName } from './testing.js'

const POLICY = "default-src 'none'; script-src 'self'; style-src 'self'"

interface FrameWindow extends Window {
  Palate?: PalateGlobal
  __vitest_browser_runner__?: unknown
}

/**
 * A same-origin frame whose only policy is the strict one, loading the script-tag entry as the
 * test server serves it (same origin, so `script-src 'self'` lets it in and nothing else).
 */
async function strictFrame(): Promise<{ frame: HTMLIFrameElement; win: FrameWindow; doc: Document; violations: string[] }> {
  const frame = document.createElement('iframe')
  const src = new URL('./global.ts', import.meta.url).href
  // The panel file, which the built script loads from its own directory (see e2e: the script tag
  // under the demo server's CSP); here the sources are served, so the frame loads it as a module.
  const panel = new URL('./preferencesPanel.ts', import.meta.url).href
  frame.srcdoc = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${POLICY}">
<script type="module" src="${src}"></script><script type="module" src="${panel}"></script></head><body>
<button id="item" data-palate-item='{"id":"sku-1","category":"hiking/boots"}'>Boots</button>
<div id="inline" style="color: rgb(255, 0, 0)">inline</div>
<palate-preferences></palate-preferences></body></html>`
  const violations: string[] = []
  document.body.append(frame)
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
  const win = frame.contentWindow as FrameWindow
  const doc = frame.contentDocument!
  // The test server rewrites every import() in our sources into a call on the runner it installs
  // in the pages it opens; this frame is one we opened, so it gets the same runner. (A built
  // script has no such rewrite: its lazy parts are checked in the browser e2e specs.)
  win.__vitest_browser_runner__ = (window as FrameWindow).__vitest_browser_runner__
  doc.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`))
  await new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const poll = () => (win.Palate ? resolve() : Date.now() - started > 10_000 ? reject(new Error('script did not load')) : setTimeout(poll, 20))
    poll()
  })
  return { frame, win, doc, violations }
}

describe('under a strict CSP', () => {
  it('loads, tracks, and renders a styled panel: constructable stylesheets are not blocked by style-src', async () => {
    const { frame, win, doc, violations } = await strictFrame()
    try {
      // The policy is really in force: the inline style="" attribute of the page was refused.
      expect(win.getComputedStyle(doc.getElementById('inline')!).color).not.toBe('rgb(255, 0, 0)')

      const palate = win.Palate!.init({ name: uniqueName() })
      await palate.ready
      doc.getElementById('item')!.click()
      expect(palate.interests().length).toBeGreaterThan(0)

      const panel = doc.querySelector('palate-preferences')!
      const root = panel.shadowRoot!
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(root.querySelector('[part~=label]')?.textContent).toBeTruthy()
      // Our stylesheet applies: buttons get the panel's rounded border and lists lose their bullets.
      const button = root.querySelector('button')!
      expect(win.getComputedStyle(button).borderTopLeftRadius).not.toBe('0px')
      expect(win.getComputedStyle(root.querySelector('ul')!).listStyleType).toBe('none')
      expect(root.querySelectorAll('style, [style]')).toHaveLength(0)
      // The download is a blob: URL on an <a download>: nothing a connect-src or default-src refuses.
      root.querySelector<HTMLElement>('[part~=download-button]')!.click()
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(root.querySelector('[part~=status]')!.textContent).toBe('Your data was downloaded')
      // A control violation proves the listener hears them; it must be the only one, none of ours.
      doc.body.append(Object.assign(doc.createElement('p'), { textContent: 'control' }))
      doc.body.lastElementChild!.setAttribute('style', 'color: red')
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(violations).toEqual(['style-src-attr inline'])
      palate.close()
    } finally {
      frame.remove()
    }
  })
})
