// @vitest-environment happy-dom
// The pure parts of the script-tag entry, fast, in a simulated DOM.
import { describe, expect, it } from 'vitest'
import { optionsFromScript } from './install.js'

function script(attributes: Record<string, string>): HTMLScriptElement {
  const element = document.createElement('script')
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  return element
}

describe('optionsFromScript()', () => {
  it.each([
    [{ 'data-respect-gpc': 'false' }, { respectGlobalPrivacyControl: false }],
    [{ 'data-respect-gpc': 'true' }, { respectGlobalPrivacyControl: true }],
    [{ 'data-respect-gpc': '' }, { respectGlobalPrivacyControl: true }],
    // Left as is for createPalate() to reject with a message naming the option.
    [{ 'data-respect-gpc': 'no' }, { respectGlobalPrivacyControl: 'no' }],
    [{ 'data-retention-days': '' }, { retentionDays: '' }],
    [{ 'data-surprise-share': '0' }, { surpriseShare: 0 }],
    [{ 'data-sensitive': '' }, { sensitive: [] }],
    [{ 'data-sensitive': ' health ,adult/toys' }, { sensitive: ['health', 'adult/toys'] }],
    [{ 'data-auto': '', src: 'palate.min.js' }, {}],
  ])('%j → %j', (attributes, options) => {
    expect(optionsFromScript(script(attributes))).toEqual(options)
  })
})
