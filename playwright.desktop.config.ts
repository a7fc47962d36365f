import { defineConfig } from '@playwright/test'

/**
 * The desktop smoke test: the real Electron app driven by Playwright's `_electron`
 * (`npm run test:desktop`, which checks first that Electron can run here). Not part of
 * `npm test`, whose Playwright run covers e2e/ in Chromium.
 */
export default defineConfig({
  testDir: 'desktop-smoke',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/desktop'
})
