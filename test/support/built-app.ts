import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..')
/** The built headless entry. */
export const HEADLESS_ENTRY = resolve(ROOT, 'out/main/headless.js')

/** Builds the app once if `out/` is missing (`npm test` builds first; a lone vitest run may not have). */
export function ensureBuilt(): void {
  if (existsSync(HEADLESS_ENTRY) && existsSync(resolve(ROOT, 'out/renderer/index.html'))) return
  execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
}
