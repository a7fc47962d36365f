// A recording stand-in for the `electron` module: the parts of Electron's main-process API that
// src/main uses, behaving as Electron documents them (ready after start-up, quit → before-quit →
// will-quit, which may be prevented → quit → exit). It reports to the test over the Node IPC
// channel and answers the test's commands, so the test can drive the real bundle the way
// Chromium would: load our scheme, ask for permissions, invoke IPC from a chosen frame, close
// the window. Only what is exported here exists: an import of anything else fails at link time.
import { EventEmitter } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const report = (message) => process.send?.(message)
const mainScript = process.argv[1]
// A packaged app's arguments follow its executable; under Node the bundle's path sits between.
if (process.env.STAND_IN_PACKAGED === '1') process.argv.splice(1, 1)
const record = {
  setPaths: [],
  lockUserData: null,
  privilegedSchemes: null,
  schemesBeforeReady: null
}
let ready = false

function findAppPackage() {
  let dir = dirname(mainScript)
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('no package.json above the main script')
    dir = parent
  }
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
}

const appEvents = new EventEmitter()
const paths = new Map([
  ['appData', process.env.STAND_IN_APP_DATA],
  ['home', process.env.STAND_IN_APP_DATA],
  ['documents', process.env.STAND_IN_APP_DATA]
])

function emitQuitSequence() {
  appEvents.emit('before-quit', { preventDefault() {} })
  let prevented = false
  appEvents.emit('will-quit', { preventDefault: () => (prevented = true) })
  if (prevented) return
  appEvents.emit('quit')
  report({ type: 'event', name: 'quit' })
  setImmediate(() => process.exit(0))
}

export const app = {
  isPackaged: process.env.STAND_IN_PACKAGED === '1',
  getName: () => findAppPackage().productName ?? findAppPackage().name,
  getPath(name) {
    if (name === 'userData')
      return paths.get('userData') ?? join(paths.get('appData'), app.getName())
    const value = paths.get(name)
    if (value === undefined) throw new Error(`stand-in: no path ${name}`)
    return value
  },
  setPath(name, value) {
    record.setPaths.push({ name, value, beforeReady: !ready })
    paths.set(name, value)
  },
  requestSingleInstanceLock() {
    record.lockUserData = app.getPath('userData')
    return process.env.STAND_IN_LOCK !== 'taken'
  },
  on(event, listener) {
    appEvents.on(event, listener)
    return app
  },
  once(event, listener) {
    appEvents.once(event, listener)
    return app
  },
  whenReady: () =>
    new Promise((resolve) =>
      setImmediate(() => {
        ready = true
        resolve()
      })
    ),
  quit: () => setImmediate(emitQuitSequence),
  exit(code = 0) {
    report({ type: 'event', name: 'exit', code })
    setImmediate(() => process.exit(code))
  }
}

const permissionHandlers = { request: null, check: null }
const headerHooks = []
const sessionEvents = new EventEmitter()
export const session = {
  defaultSession: {
    on(event, listener) {
      sessionEvents.on(event, listener)
      return session.defaultSession
    },
    webRequest: { onHeadersReceived: (filter, listener) => headerHooks.push({ filter, listener }) },
    setPermissionRequestHandler: (handler) => (permissionHandlers.request = handler),
    setPermissionCheckHandler: (handler) => (permissionHandlers.check = handler)
  }
}

const schemeHandlers = new Map()
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (ready) throw new Error('registerSchemesAsPrivileged after ready')
    record.privilegedSchemes = schemes
  },
  handle(scheme, handler) {
    if (!ready) throw new Error('protocol.handle before ready')
    schemeHandlers.set(scheme, handler)
  }
}

const invokeHandlers = new Map()
export const ipcMain = {
  handle(channel, handler) {
    if (invokeHandlers.has(channel)) throw new Error(`second handler for ${channel}`)
    invokeHandlers.set(channel, handler)
  },
  removeHandler: (channel) => invokeHandlers.delete(channel)
}

// What the next save dialog answers: a path, or null for Cancel (the test's `save-dialog` command).
let saveDialogAnswer = null
export const dialog = {
  async showSaveDialog(...args) {
    const attached = args.length === 2
    const options = args[args.length - 1]
    report({ type: 'event', name: 'save-dialog', options, attached })
    return saveDialogAnswer === null
      ? { canceled: true, filePath: '' }
      : { canceled: false, filePath: saveDialogAnswer }
  },
  async showMessageBox(options) {
    report({ type: 'event', name: 'message-box', options })
    return { response: options.cancelId ?? 0 }
  },
  showErrorBox: (title, content) => report({ type: 'event', name: 'error-box', title, content })
}

export const shell = {
  openExternal: async (url) => report({ type: 'event', name: 'open-external', url })
}

let nextContentsId = 1
const windows = []
export class BrowserWindow extends EventEmitter {
  static getAllWindows = () => [...windows]

  constructor(options) {
    super()
    this.options = options
    this.destroyed = false
    this.minimized = false
    this.focused = 0
    this.loadedUrl = null
    const contents = new EventEmitter()
    contents.id = nextContentsId++
    contents.session = session.defaultSession
    contents.isDestroyed = () => this.destroyed
    contents.send = () => undefined
    contents.setWindowOpenHandler = (handler) => (contents.windowOpenHandler = handler)
    this.webContents = contents
    windows.push(this)
  }
  async loadURL(url) {
    this.loadedUrl = url
    report({ type: 'event', name: 'window-loaded', url })
    setImmediate(() => this.emit('ready-to-show'))
  }
  show() {
    this.shown = true
  }
  isDestroyed = () => this.destroyed
  isMinimized = () => this.minimized
  restore() {
    this.minimized = false
  }
  focus() {
    this.focused++
  }
  close() {
    this.destroyed = true
    windows.splice(windows.indexOf(this), 1)
    this.emit('closed')
    if (windows.length === 0) appEvents.emit('window-all-closed')
  }
}

/** The frame an invoke comes from, as Electron's IpcMainInvokeEvent would describe it. */
function invokeEvent(from) {
  const window = windows[0]
  const ownUrl = window?.loadedUrl ?? ''
  const sender = from === 'foreign-contents' ? { id: 999 } : window.webContents
  if (from === 'subframe') return { sender, senderFrame: { url: ownUrl, parent: { url: ownUrl } } }
  if (from === 'foreign-page')
    return { sender, senderFrame: { url: 'https://evil.example/', parent: null } }
  return { sender, senderFrame: { url: ownUrl, parent: null } }
}

const COMMANDS = {
  state: () => ({
    ...record,
    isPackaged: app.isPackaged,
    ipcChannels: [...invokeHandlers.keys()],
    handledSchemes: [...schemeHandlers.keys()],
    headerHooks: headerHooks.map((hook) => hook.filter),
    windows: windows.map((window) => ({
      options: window.options,
      loadedUrl: window.loadedUrl,
      shown: window.shown === true,
      focused: window.focused
    }))
  }),
  async fetch({ url, method = 'GET' }) {
    const handler = schemeHandlers.get(new URL(url).protocol.slice(0, -1))
    if (!handler) throw new Error(`no handler for ${url}`)
    const response = await handler(new Request(url, { method }))
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text()
    }
  },
  permission({ mode, permission, url }) {
    if (mode === 'check')
      return permissionHandlers.check(windows[0]?.webContents ?? null, permission, url, {})
    return new Promise((resolve) =>
      permissionHandlers.request(windows[0].webContents, permission, resolve, {
        requestingUrl: url
      })
    )
  },
  async invoke({ channel, args, from }) {
    const handler = invokeHandlers.get(channel)
    if (!handler) throw new Error(`no handler for ${channel}`)
    return handler(invokeEvent(from), ...args)
  },
  headers({ url, responseHeaders }) {
    const hook = headerHooks[0]
    if (!hook) throw new Error('no onHeadersReceived hook')
    return new Promise((resolve) => hook.listener({ url, responseHeaders }, resolve))
  },
  'save-dialog': ({ answer }) => void (saveDialogAnswer = answer),
  // A download as Chromium starts it (a link with `download`): was it cancelled?
  download({ url }) {
    let prevented = false
    const item = {
      getURL: () => url,
      setSavePath: (path) => (item.savePath = path),
      setSaveDialogOptions: (options) => (item.saveDialogOptions = options)
    }
    sessionEvents.emit('will-download', { preventDefault: () => (prevented = true) }, item, {})
    return {
      cancelled: prevented,
      savePath: item.savePath ?? null,
      saveDialogOptions: item.saveDialogOptions ?? null
    }
  },
  minimize: () => void (windows[0].minimized = true),
  'second-instance': () => void appEvents.emit('second-instance', {}, [], process.cwd()),
  'close-window': () => void windows[0]?.close()
}

process.on('message', async (message) => {
  try {
    const value = await COMMANDS[message.command](message)
    report({ type: 'reply', id: message.id, value })
  } catch (error) {
    report({ type: 'reply', id: message.id, error: String(error?.stack ?? error) })
  }
})
