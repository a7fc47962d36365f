import { BrowserWindow, shell, type Session, type WebContents } from 'electron'
import { buildWebPreferences, isAllowedExternalUrl } from '../app/window-options'
import { isOwnDownloadUrl } from '../app/download-policy'
import { isPermissionGranted } from '../app/permission-policy'
import { isOwnRendererUrl, type RendererLocation } from '../app/renderer-location'

/** Options of {@link createMainWindow}. */
export interface MainWindowOptions {
  /** Absolute path of `out/preload/index.cjs`. */
  preloadPath: string
  /** Page to load (already served, see `serveRenderer`); see `resolveRendererLocation`. */
  renderer: RendererLocation
}

/** Minimum size in pixels at which the chart and the controls still fit side by side. */
const MIN_WIDTH = 900
const MIN_HEIGHT = 600

/**
 * Creates the app's window: hardened preferences, permissions for our page only, no navigation,
 * no pop-ups. The window shows itself once the first paint is ready, so the user never sees a
 * blank frame.
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
  applyPermissionPolicy(window.webContents.session, (url) =>
    isOwnRendererUrl(url, options.renderer)
  )
  applyDownloadPolicy(window.webContents.session, options.renderer)
  hardenWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())

  window.loadURL(options.renderer.url).catch((error: unknown) => {
    console.error(
      `[window] could not load the renderer: ${error instanceof Error ? error.message : String(error)}`
    )
  })
  return window
}

/**
 * Applies {@link isPermissionGranted} to both permission requests (prompts) and permission
 * checks (`navigator.permissions.query`, and Chromium's own checks before a request), judging
 * the requesting frame's URL (requests) or origin (checks) with `isOwnPage`.
 */
export function applyPermissionPolicy(session: Session, isOwnPage: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, isOwnPage(details.requestingUrl)))
  )
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, isOwnPage(requestingOrigin))
  )
}

/**
 * Lets our page download what it made itself (`blob:` URLs of its own origin: the CSV and NDJSON
 * downloads) and refuses any other download. Sets no save path, so Electron asks the user where
 * to save with its usual dialog.
 */
export function applyDownloadPolicy(session: Session, renderer: RendererLocation): void {
  session.on('will-download', (event, item) => {
    if (!isOwnDownloadUrl(item.getURL(), renderer)) event.preventDefault()
  })
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
