import { app, BrowserWindow, session, type WebContents } from 'electron'
import { dirname, join } from 'node:path'
import {
  alreadyRunningMessage,
  appArguments,
  DESKTOP_HELP_TEXT,
  parseDesktopArgs,
  type DesktopArgs
} from './app/desktop-args'
import { listenWithPortFallback } from './app/port-conflict'
import { recordingDialogOptions } from './app/recording-dialog'
import { isOwnRendererUrl, resolveRendererLocation } from './app/renderer-location'
import { createSettingsSync } from './app/settings-sync'
import { runShutdown } from './app/shutdown'
import { userDataOverride } from './app/user-data'
import { buildContentSecurityPolicy, serverConnectSources } from './app/window-options'
import { registerAppScheme, serveRenderer } from './electron/app-protocol'
import {
  askPortConflict,
  askRecordingPath,
  showAlreadyRunning,
  showStartupError
} from './electron/dialogs'
import { prepareDataSource } from './headless/prepare-data-source'
import { SERVER_NAME } from './server-name'
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

// The stream options of `npm run serve` (seed, scenario, recording, replay, faults…), read
// before the lock so that a mistake never reaches the window of a first instance.
const launch = parseDesktopArgs(appArguments(process.argv, app.isPackaged))
if (launch.kind === 'help' || launch.kind === 'version') {
  process.stdout.write(launch.kind === 'help' ? DESKTOP_HELP_TEXT : `${SERVER_NAME}\n`)
  app.exit(0)
} else if (launch.kind === 'error') {
  refuseToStart(launch.message)
} else if (!app.requestSingleInstanceLock()) {
  // A second instance would fight the first for the port; it hands over to the first instead,
  // saying so when it was asked for something it cannot apply there.
  const { given } = launch.settings
  if (given.length === 0) app.quit()
  else tellAlreadyRunning(given)
} else {
  app.on('second-instance', () => focusWindow())
  app
    .whenReady()
    .then(() => run(launch.settings))
    .catch(fail)
}

async function run(args: DesktopArgs): Promise<void> {
  // Every file the options name is read and checked before anything starts.
  const prepared = await prepareDataSource(args.dataSource)
  if (!prepared.ok) {
    refuseToStart(prepared.message)
    return
  }
  for (const note of prepared.notes) console.warn(`[stream] ${note}`)
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
        // Given on the command line they start this run; the window then remembers them as it
        // remembers a change made in it.
        p: args.p ?? settings.p,
        intervalMs: args.intervalMs ?? settings.intervalMs,
        seed: args.seed,
        autoStart: args.autoStart,
        ...prepared.options,
        // Our page may steer over its socket too, not only through the bridge.
        allowedOrigins: [renderer.origin],
        log: (message) => console.warn(`[stream] ${message}`)
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
    isTrustedSender: ownRendererGuard(ownContents, (url) => isOwnRendererUrl(url, renderer)),
    chooseRecordingPath: recordingPathChooser(() => service.state().seed ?? null)
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

/**
 * Record to file…'s question: a save dialog on the window, opening in the folder last recorded
 * to (Documents at first).
 */
function recordingPathChooser(seed: () => number | null): () => Promise<string | null> {
  let directory: string | null = null
  return async () => {
    directory ??= documentsFolder()
    const path = await askRecordingPath(
      BrowserWindow.getAllWindows()[0],
      recordingDialogOptions(directory, new Date(), seed())
    )
    if (path !== null) directory = dirname(path)
    return path
  }
}

function documentsFolder(): string {
  try {
    return app.getPath('documents')
  } catch {
    // Not every Linux desktop defines one.
    return app.getPath('home')
  }
}

/** A command line that cannot work: one sentence on stderr and in a dialog, exit code 2. */
function refuseToStart(message: string): void {
  console.error(`Error: ${message}\nRun with --help to see every option.`)
  // Before ready, Linux shows no dialog (the text goes to stderr only): wait for it.
  void app.whenReady().then(() => {
    showStartupError(`${message}\n\nRun with --help to see every option.`)
    app.exit(2)
  })
}

/** A second launch with options: the first instance keeps its stream, and the user is told. */
function tellAlreadyRunning(given: readonly string[]): void {
  const message = alreadyRunningMessage(given)
  console.error(message)
  void app.whenReady().then(() => {
    showAlreadyRunning(message)
    app.exit(1)
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
