import { BrowserWindow, shell, type Session, type WebContents } from 'electron'
import {
  buildContentSecurityPolicy,
  buildWebPreferences,
  isAllowedExternalUrl,
  withContentSecurityPolicy
} from '../app/window-options'
import { isPermissionGranted } from '../app/permission-policy'
import type { RendererLocation } from '../app/renderer-location'

/** Options of {@link createMainWindow}. */
export interface MainWindowOptions {
  /** Absolute path of `out/preload/index.cjs`. */
  preloadPath: string
  /** Page to load; see `resolveRendererLocation`. */
  renderer: RendererLocation
  /** Origins of our stream server the page may connect to (see `serverConnectSources`). */
  connectSources: readonly string[]
}

/** Minimum size in pixels at which the chart and the controls still fit side by side. */
const MIN_WIDTH = 900
const MIN_HEIGHT = 600

/**
 * Creates the app's window: hardened preferences, a restrictive CSP, no navigation, no pop-ups.
 * The window shows itself once the first paint is ready, so the user never sees a blank frame.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Bernoulli Stream',
    width: 1280,
    height: 820,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#10141c',
    webPreferences: buildWebPreferences(options.preloadPath)
  })
  const policy = buildContentSecurityPolicy({
    connectSources: options.connectSources,
    devServerUrl: options.renderer.kind === 'dev-server' ? options.renderer.url : undefined
  })
  applyContentSecurityPolicy(window.webContents.session, policy)
  applyPermissionPolicy(window.webContents.session)
  hardenWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())

  const load =
    options.renderer.kind === 'dev-server'
      ? window.loadURL(options.renderer.url)
      : window.loadFile(options.renderer.filePath)
  load.catch((error: unknown) => {
    console.error(
      `[window] could not load the renderer: ${error instanceof Error ? error.message : String(error)}`
    )
  })
  return window
}

/**
 * Adds `policy` to every response the session receives. It is the policy that counts for our
 * page; a header is preferred to a `<meta>` tag because it also covers the dev server's page and
 * cannot be removed by the document.
 */
export function applyContentSecurityPolicy(session: Session, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) })
  })
}

/**
 * Applies {@link isPermissionGranted} to both permission requests (prompts) and permission
 * checks (`navigator.permissions.query`, and Chromium's own checks before a request).
 */
export function applyPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionGranted(permission))
  )
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission))
}

/**
 * Our page is a single-page app: it never navigates, opens windows or embeds webviews, so any
 * attempt is a bug or an attack and is refused. Allow-listed https links go to the system browser.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
