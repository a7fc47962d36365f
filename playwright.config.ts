import { defineConfig } from '@playwright/test'
import chromiumLaunch from './e2e/support/chromium-launch.json' with { type: 'json' }

/** Debian's Chromium; Playwright's own browser download cannot work on a closed network. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? chromiumLaunch.executablePath

export default defineConfig({
  testDir: 'e2e',
  // Each test starts its own headless server on a free port; the machine has 2 cores.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: chromiumLaunch.args
    }
  }
})
