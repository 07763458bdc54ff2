import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'

/** Debian's Chromium: Playwright must never download a browser on these machines. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const alias = {
  '@palate/core': new URL('./packages/core/src/index.ts', import.meta.url).pathname,
  '@palate/react': new URL('./packages/react/src/index.ts', import.meta.url).pathname,
  '@palate/vue': new URL('./packages/vue/src/index.ts', import.meta.url).pathname,
  palate: new URL('./packages/browser/src/index.ts', import.meta.url).pathname,
}

/** Vue's compile-time flags, set as a Vue app's bundler sets them (its esm-bundler build warns without them). */
const vueFlags = { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' }

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/*/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.browser.test.{ts,tsx}', '**/node_modules/**'],
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        resolve: { alias },
        define: vueFlags,
        test: {
          // The storage suites again, against Chromium's real IndexedDB.
          name: 'browser',
          include: ['packages/*/src/**/*.storage.test.{ts,tsx}', 'packages/*/src/**/*.browser.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
})
