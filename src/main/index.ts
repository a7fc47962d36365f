import { app, BrowserWindow, type WebContents } from 'electron'
import { join } from 'node:path'
import { listenWithPortFallback } from './app/port-conflict'
import { isOwnRendererUrl, resolveRendererLocation } from './app/renderer-location'
import { createSettingsSync } from './app/settings-sync'
import { serverConnectSources } from './app/window-options'
import { askPortConflict, showStartupError } from './electron/dialogs'
import { ownRendererGuard, registerStreamIpc } from './electron/ipc-handlers'
import { createUserSettingsStore } from './electron/settings-file'
import { createMainWindow } from './electron/window'
import { createStreamService } from './stream-service'
import type { StreamService } from './stream-service-types'

// Bundled to out/main/index.js; the preload and renderer are siblings of this directory.
const MAIN_DIR = import.meta.dirname

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

  const outcome = await listenWithPortFallback({
    port: settings.port,
    createService: (port) =>
      createStreamService({ port, p: settings.p, intervalMs: settings.intervalMs }),
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

  const renderer = resolveRendererLocation({
    mainDir: MAIN_DIR,
    isPackaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL
  })
  const ownContents = (): WebContents[] =>
    BrowserWindow.getAllWindows()
      .filter((window) => !window.isDestroyed())
      .map((window) => window.webContents)
  const disposeIpc = registerStreamIpc({
    service,
    isTrustedSender: ownRendererGuard(ownContents, (url) => isOwnRendererUrl(url, renderer))
  })
  createMainWindow({
    preloadPath: join(MAIN_DIR, '..', 'preload', 'index.cjs'),
    renderer,
    connectSources: serverConnectSources(info)
  })
  // The stream lives as long as its window: closing the window ends the app (macOS too), so no
  // server is left running with nothing on screen to stop it.
  app.on('window-all-closed', () => app.quit())
  registerShutdown(service, async () => {
    disposeIpc()
    unsubscribeSettings()
    await sync.flush()
  })
}

/** Closes the server (clients get 1001) and writes pending settings before the process exits. */
function registerShutdown(service: StreamService, beforeClose: () => Promise<void>): void {
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    beforeClose()
      .then(() => service.close())
      .catch((error: unknown) => console.error(`[shutdown] ${describeError(error)}`))
      .finally(() => app.quit())
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
