/**
 * The script-tag entry (`palate.min.js`): defines `window.Palate` and, with `data-auto` on the
 * script element, creates the page's instance from its `data-` options. See {@link install}.
 *
 * @example
 * <script src="/palate.min.js" data-auto data-name="shop" data-consent="pending"></script>
 * <palate-preferences></palate-preferences>
 */
import { install } from './install.js'

// currentScript is only set while a classic script runs for the first time: read it now.
install(window, document.currentScript)
