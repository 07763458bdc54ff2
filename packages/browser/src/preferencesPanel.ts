// The script tag's panel file (`palate-preferences.min.js`), loaded by lazyPreferences.ts when the
// first <palate-preferences> connects. Core comes from `window.Palate`, which the script defined.
import { definePreferences } from './definePreferences.js'

definePreferences()
