import { join } from 'node:path'
import { isLoopbackHost } from '../../shared/protocol/messages'

/** Scheme, host and origin of the built renderer inside the app (see `app-scheme.ts`). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bernoulli'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** Where the window's page comes from. */
export type RendererLocation =
  /** The built renderer, served by our own privileged scheme (packaged app, `npm start`). */
  | { kind: 'app-scheme'; rendererDir: string; url: string; origin: string }
  /** electron-vite's dev server with hot reload (`npm run dev` only). */
  | { kind: 'dev-server'; url: string; origin: string }

/** Inputs of {@link resolveRendererLocation}; injected so the choice is testable without Electron. */
export interface RendererLocationInput {
  /** Directory of the built main bundle (`out/main`); the renderer is in `../renderer`. */
  mainDir: string
  /** `app.isPackaged`: a packaged app never loads from a dev server, whatever the environment says. */
  isPackaged: boolean
  /** `ELECTRON_RENDERER_URL`, which `electron-vite dev` sets to its dev server. */
  devServerUrl?: string | undefined
}

/**
 * Chooses the page to load: the dev server while developing, the built files otherwise.
 * A dev server URL is honoured only when it is plain http on loopback, so a stray environment
 * variable cannot point the privileged window at a remote page.
 */
export function resolveRendererLocation(input: RendererLocationInput): RendererLocation {
  if (!input.isPackaged && input.devServerUrl && isLoopbackHttpUrl(input.devServerUrl)) {
    const url = new URL(input.devServerUrl)
    return { kind: 'dev-server', url: url.href, origin: url.origin }
  }
  return {
    kind: 'app-scheme',
    rendererDir: join(input.mainDir, '..', 'renderer'),
    url: `${APP_ORIGIN}/index.html`,
    origin: APP_ORIGIN
  }
}

/**
 * Whether `url` (a frame's URL, or a bare origin as permission checks report it) belongs to our
 * renderer: our scheme and host, or in development the dev server's origin. Compared by scheme
 * and host rather than `URL.origin`, which is `"null"` for a custom scheme outside Chromium.
 */
export function isOwnRendererUrl(url: string, renderer: RendererLocation): boolean {
  const frame = parseUrl(url)
  const own = parseUrl(renderer.url)
  if (!frame || !own) return false
  if (frame.username !== '' || frame.password !== '') return false
  return frame.protocol === own.protocol && frame.host === own.host
}

function isLoopbackHttpUrl(url: string): boolean {
  const parsed = parseUrl(url)
  // URL keeps IPv6 brackets in `hostname`; the shared loopback test takes the bare address.
  return (
    parsed !== null &&
    parsed.protocol === 'http:' &&
    isLoopbackHost(parsed.hostname.replace(/^\[(.*)\]$/, '$1'))
  )
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
