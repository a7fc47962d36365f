import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveRendererLocation } from '../../../src/main/app/renderer-location'

type Handler = (...args: unknown[]) => unknown

/** A stand-in for BrowserWindow and its webContents/session: records what the code wires up. */
const fakes = vi.hoisted(() => {
  class FakeWebContents {
    readonly id = 1
    readonly listeners = new Map<string, Handler>()
    windowOpenHandler: Handler | null = null
    readonly session = {
      onHeadersReceived: null as Handler | null,
      permissionRequest: null as Handler | null,
      permissionCheck: null as Handler | null,
      willDownload: null as Handler | null,
      on: (event: string, listener: Handler) => {
        if (event === 'will-download') fakes.last!.webContents.session.willDownload = listener
      },
      webRequest: {
        onHeadersReceived: (listener: Handler) => {
          fakes.last!.webContents.session.onHeadersReceived = listener
        }
      },
      setPermissionRequestHandler: (handler: Handler) => {
        fakes.last!.webContents.session.permissionRequest = handler
      },
      setPermissionCheckHandler: (handler: Handler) => {
        fakes.last!.webContents.session.permissionCheck = handler
      }
    }
    on(event: string, listener: Handler): this {
      this.listeners.set(event, listener)
      return this
    }
    setWindowOpenHandler(handler: Handler): void {
      this.windowOpenHandler = handler
    }
  }
  class FakeBrowserWindow {
    readonly webContents = new FakeWebContents()
    readonly once = vi.fn()
    readonly show = vi.fn()
    readonly loadFile = vi.fn(async () => undefined)
    readonly loadURL = vi.fn(async () => undefined)
    constructor(readonly options: Record<string, unknown>) {
      fakes.last = this
    }
  }
  return {
    FakeBrowserWindow,
    last: null as FakeBrowserWindow | null,
    openExternal: vi.fn(async () => undefined)
  }
})

vi.mock('electron', () => ({
  BrowserWindow: fakes.FakeBrowserWindow,
  shell: { openExternal: fakes.openExternal }
}))

const { createMainWindow } = await import('../../../src/main/electron/window')

const PRELOAD = '/app/out/preload/index.cjs'

function openWindow(devServerUrl?: string) {
  createMainWindow({
    preloadPath: PRELOAD,
    renderer: resolveRendererLocation({
      mainDir: '/app/out/main',
      isPackaged: false,
      devServerUrl
    })
  })
  const window = fakes.last
  if (!window) throw new Error('no window created')
  return window
}

describe('createMainWindow', () => {
  beforeEach(() => {
    fakes.last = null
    fakes.openExternal.mockClear()
  })

  it('creates the window with hardened webPreferences and the CommonJS preload', () => {
    const window = openWindow()
    expect(window.options.webPreferences).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    })
    expect(window.options.show).toBe(false)
  })

  it('loads the built renderer from our scheme, or the dev server while developing', () => {
    expect(openWindow().loadURL).toHaveBeenCalledWith('app://bernoulli/index.html')
    expect(openWindow('http://localhost:5173').loadURL).toHaveBeenCalledWith(
      'http://localhost:5173/'
    )
  })

  it('denies navigation and webview attachment', () => {
    const { listeners } = openWindow().webContents
    for (const name of ['will-navigate', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      listeners.get(name)?.(event, 'https://evil.example/')
      expect(event.preventDefault, name).toHaveBeenCalled()
    }
  })

  it('denies window.open and opens no link externally with the empty allow-list', () => {
    const { windowOpenHandler } = openWindow().webContents
    expect(windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' })
    expect(windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(fakes.openExternal).not.toHaveBeenCalled()
  })

  it('grants local-network access and clipboard writes to our page only, nothing else', () => {
    const { session } = openWindow().webContents
    const decide = (permission: string, requestingUrl = 'app://bernoulli/index.html'): unknown => {
      let granted: unknown
      session.permissionRequest?.({}, permission, (value: boolean) => (granted = value), {
        requestingUrl
      })
      return granted
    }
    expect(decide('media')).toBe(false)
    expect(decide('notifications')).toBe(false)
    expect(decide('clipboard-read')).toBe(false)
    expect(decide('loopback-network')).toBe(true)
    expect(decide('clipboard-sanitized-write')).toBe(true)
    expect(decide('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(decide('clipboard-sanitized-write', 'file:///app/out/renderer/index.html')).toBe(false)
    const check = (permission: string, origin: string): unknown =>
      session.permissionCheck?.({}, permission, origin, {})
    expect(check('geolocation', 'app://bernoulli')).toBe(false)
    expect(check('local-network-access', 'app://bernoulli')).toBe(true)
    expect(check('clipboard-sanitized-write', 'app://bernoulli')).toBe(true)
    expect(check('clipboard-sanitized-write', 'https://evil.example')).toBe(false)
  })

  it('shows the window once its first paint is ready', () => {
    const window = openWindow()
    expect(window.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function))
    const [, onReady] = window.once.mock.calls[0] as [string, () => void]
    onReady()
    expect(window.show).toHaveBeenCalled()
  })

  it('lets our page download what it made (blob: of its origin) with a save dialog, nothing else', () => {
    const download = (session: { willDownload: Handler | null }, url: string) => {
      const event = { preventDefault: vi.fn() }
      const item = { getURL: () => url, setSavePath: vi.fn() }
      session.willDownload?.(event, item, {})
      // No save path set: Electron asks the user where to save.
      expect(item.setSavePath).not.toHaveBeenCalled()
      return event.preventDefault.mock.calls.length > 0 ? 'cancelled' : 'asked'
    }
    const built = openWindow().webContents.session
    expect(download(built, 'blob:app://bernoulli/6f1c3a2e-0000-4000-8000-000000000000')).toBe(
      'asked'
    )
    expect(download(built, 'blob:https://evil.example/6f1c')).toBe('cancelled')
    expect(download(built, 'https://evil.example/payload.exe')).toBe('cancelled')
    expect(download(built, 'app://bernoulli/index.html')).toBe('cancelled')
    const dev = openWindow('http://localhost:5173').webContents.session
    expect(download(dev, 'blob:http://localhost:5173/6f1c')).toBe('asked')
    expect(download(dev, 'blob:http://localhost:5174/6f1c')).toBe('cancelled')
  })
})
