import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Where the window's page comes from. */
export type RendererLocation =
  /** The built renderer on disk (packaged app, `electron-vite preview`). */
  | { kind: 'file'; filePath: string; url: string }
  /** electron-vite's dev server with hot reload (`npm run dev` only). */
  | { kind: 'dev-server'; url: string }

/** Inputs of {@link resolveRendererLocation}; injected so the choice is testable without Electron. */
export interface RendererLocationInput {
  /** Directory of the built main bundle (`out/main`); the renderer is at `../renderer/index.html`. */
  mainDir: string
  /** `app.isPackaged`: a packaged app never loads from a dev server, whatever the environment says. */
  isPackaged: boolean
  /** `ELECTRON_RENDERER_URL`, which `electron-vite dev` sets to its dev server. */
  devServerUrl?: string | undefined
}

/**
 * Chooses the page to load: the dev server while developing, the built file otherwise.
 * A dev server URL is honoured only when it is plain http on loopback, so a stray environment
 * variable cannot point the privileged window at a remote page.
 */
export function resolveRendererLocation(input: RendererLocationInput): RendererLocation {
  if (!input.isPackaged && input.devServerUrl && isLoopbackHttpUrl(input.devServerUrl)) {
    return { kind: 'dev-server', url: input.devServerUrl }
  }
  const filePath = join(input.mainDir, '..', 'renderer', 'index.html')
  return { kind: 'file', filePath, url: pathToFileURL(filePath).href }
}

/**
 * Whether a frame showing `frameUrl` shows our renderer: the same file (query and hash ignored)
 * or, in development, the same dev server origin. Used to refuse IPC from anything else.
 */
export function isOwnRendererUrl(frameUrl: string, renderer: RendererLocation): boolean {
  const frame = parseUrl(frameUrl)
  const own = parseUrl(renderer.url)
  if (!frame || !own) return false
  if (renderer.kind === 'dev-server') return frame.origin === own.origin
  return frame.protocol === 'file:' && frame.host === own.host && frame.pathname === own.pathname
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function isLoopbackHttpUrl(url: string): boolean {
  const parsed = parseUrl(url)
  return parsed !== null && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
