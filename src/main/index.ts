import { app, BrowserWindow, session, type WebContents } from 'electron'
import { join } from 'node:path'
import { listenWithPortFallback } from './app/port-conflict'
import { isOwnRendererUrl, resolveRendererLocation } from './app/renderer-location'
import { createSettingsSync } from './app/settings-sync'
import { runShutdown } from './app/shutdown'
import { userDataOverride } from './app/user-data'
import { buildContentSecurityPolicy, serverConnectSources } from './app/window-options'
import { registerAppScheme, serveRenderer } from './electron/app-protocol'
import { askPortConflict, showStartupError } from './electron/dialogs'
import { ownRendererGuard, registerStreamIpc } from './electron/ipc-handlers'
import { createUserSettingsStore } from './electron/settings-file'
import { createMainWindow } from './electron/window'
import { createStreamService } from './stream-service'

// Bundled to out/main/index.js; the preload and renderer are siblings of this directory.
const MAIN_DIR = import.meta.dirname

// Before anything else: the settings folder (which also holds the single-instance lock) and our
// scheme can only be set before the app is ready.
const userData = userDataOverride({
  isPackaged: app.isPackaged,
  appData: app.getPath('appData'),
  appName: app.getName(),
  env: process.env
})
if (userData !== null) app.setPath('userData', userData)
registerAppScheme()

// A second instance would fight the first for the port; it hands over to the first instead.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => focusWindow())
  app.whenReady().then(run).catch(fail)
}

async function run(): Promise<void> {
  const store = createUserSettingsStore()
  const { settings, problems } = await store.load()
  for (const problem of problems) console.warn(`[settings] ${problem}`)

  const renderer = resolveRendererLocation({
    mainDir: MAIN_DIR,
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL
  })
  const outcome = await listenWithPortFallback({
    port: settings.port,
    createService: (port) =>
      createStreamService({
        port,
        p: settings.p,
        intervalMs: settings.intervalMs,
        // Our page may steer over its socket too, not only through the bridge.
        allowedOrigins: [renderer.origin]
      }),
    askOnConflict: askPortConflict
  })
  if (outcome.kind === 'quit') {
    app.quit()
    return
  }
  const { service, info } = outcome

  const sync = createSettingsSync({
    store,
    initial: { ...settings, port: outcome.portChanged ? info.port : settings.port },
    onError: (error) => console.warn(`[settings] cannot save: ${describeError(error)}`)
  })
  // The user chose this port; remember it so clients keep finding the server after a restart.
  if (outcome.portChanged) {
    store
      .save(sync.current())
      .catch((error: unknown) => console.warn(`[settings] cannot save: ${describeError(error)}`))
  }
  const unsubscribeSettings = service.onStateChanged((state) => sync.update(state))

  const ownContents = (): WebContents[] =>
    BrowserWindow.getAllWindows()
      .filter((window) => !window.isDestroyed())
      .map((window) => window.webContents)
  const disposeIpc = registerStreamIpc({
    service,
    isTrustedSender: ownRendererGuard(ownContents, (url) => isOwnRendererUrl(url, renderer))
  })
  const policy = buildContentSecurityPolicy({
    connectSources: serverConnectSources(info),
    devServerUrl: renderer.kind === 'dev-server' ? renderer.url : undefined
  })
  serveRenderer(renderer, policy, session.defaultSession)
  createMainWindow({ preloadPath: join(MAIN_DIR, '..', 'preload', 'index.cjs'), renderer })
  // The stream lives as long as its window: closing the window ends the app (macOS too), so no
  // server is left running with nothing on screen to stop it.
  app.on('window-all-closed', () => app.quit())
  registerShutdown(() => {
    disposeIpc()
    unsubscribeSettings()
    return [() => service.close(), () => sync.flush()]
  })
}

/**
 * On quit: closes the server (clients get 1001) and writes pending settings, then quits; if that
 * takes longer than the deadline, exits anyway so no windowless process keeps the port and lock.
 */
function registerShutdown(begin: () => ReadonlyArray<() => Promise<unknown>>): void {
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    void runShutdown(begin()).then((outcome) => {
      if (outcome.kind === 'timed-out') {
        console.error(`[shutdown] still closing after ${outcome.afterMs} ms; exiting anyway`)
        app.exit(1)
        return
      }
      for (const error of outcome.kind === 'failed' ? outcome.errors : []) {
        console.error(`[shutdown] ${describeError(error)}`)
      }
      app.quit()
    })
  })
}

function focusWindow(): void {
  const window = BrowserWindow.getAllWindows()[0]
  if (!window) return
  if (window.isMinimized()) window.restore()
  window.focus()
}

function fail(error: unknown): void {
  console.error(error)
  showStartupError(describeError(error))
  app.exit(1)
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
