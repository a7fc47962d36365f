import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC_INVOKE_CHANNELS } from '../../../src/shared/ipc-contract'
import type { StreamServiceOptions } from '../../../src/main/stream-service-types'
import {
  createFakeStreamService,
  portInUse,
  type FakeStreamService
} from '../app/fake-stream-service'

type Handler = (...args: unknown[]) => unknown

/** Just enough of Electron for src/main/index.ts to run its whole start-up and shutdown. */
const env = vi.hoisted(() => {
  const state = {
    userData: '',
    hasLock: true,
    appListeners: new Map<string, Handler>(),
    ipcChannels: new Set<string>(),
    windows: [] as Array<{ options: Record<string, unknown> }>,
    services: [] as Array<{ options: unknown; service: unknown }>,
    takenPorts: new Set<number>(),
    dialogResponse: 0,
    quit: vi.fn(),
    exit: vi.fn(),
    showMessageBox: vi.fn(),
    showErrorBox: vi.fn()
  }
  return state
})

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents = {
      id: 1,
      session: {
        on: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn()
      },
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      isDestroyed: () => false,
      send: vi.fn()
    }
    readonly once = vi.fn()
    readonly loadFile = vi.fn(async () => undefined)
    readonly loadURL = vi.fn(async () => undefined)
    constructor(readonly options: Record<string, unknown>) {
      env.windows.push(this)
    }
    static getAllWindows = (): unknown[] => env.windows
    isDestroyed = (): boolean => false
  }
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => env.hasLock,
      on: (event: string, listener: Handler) => env.appListeners.set(event, listener),
      whenReady: async () => undefined,
      getName: () => 'Bernoulli Stream',
      getPath: () => env.userData,
      setPath: vi.fn(),
      quit: env.quit,
      exit: env.exit
    },
    BrowserWindow,
    dialog: {
      showMessageBox: env.showMessageBox.mockImplementation(async () => ({
        response: env.dialogResponse
      })),
      showErrorBox: env.showErrorBox
    },
    ipcMain: {
      handle: (channel: string) => env.ipcChannels.add(channel),
      removeHandler: (channel: string) => env.ipcChannels.delete(channel)
    },
    shell: { openExternal: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() } } }
  }
})

vi.mock('../../../src/main/stream-service', () => ({
  createStreamService: (options: StreamServiceOptions) => {
    const port = options.port ?? 8888
    const service = createFakeStreamService({
      port,
      listenError: env.takenPorts.has(port) ? portInUse(port) : undefined
    })
    env.services.push({ options, service })
    return service
  }
}))

/** Imports src/main/index.ts as a packaged app started with `args`. */
async function startApp(args: string[] = []): Promise<void> {
  vi.resetModules()
  const argv = process.argv
  process.argv = [process.execPath, ...args]
  try {
    await import('../../../src/main/index')
  } finally {
    process.argv = argv
  }
}

const settingsPath = (): string => join(env.userData, 'settings.json')
const lastService = (): FakeStreamService => env.services.at(-1)?.service as FakeStreamService

describe('main entry', () => {
  beforeEach(async () => {
    env.userData = await mkdtemp(join(tmpdir(), 'bernoulli-userdata-'))
    env.hasLock = true
    env.appListeners.clear()
    env.ipcChannels.clear()
    env.windows.length = 0
    env.services.length = 0
    env.takenPorts.clear()
    env.dialogResponse = 0
    vi.clearAllMocks()
  })
  afterEach(async () => {
    await rm(env.userData, { recursive: true, force: true })
  })

  it('quits at once when another instance holds the lock', async () => {
    env.hasLock = false
    await startApp()
    expect(env.quit).toHaveBeenCalled()
    expect(env.services).toHaveLength(0)
  })

  it('starts the service with the saved settings, opens one window and serves every channel', async () => {
    await writeFile(settingsPath(), JSON.stringify({ port: 9100, p: 0.3, intervalMs: 20 }), 'utf8')
    await startApp()
    await vi.waitFor(() => expect(env.windows).toHaveLength(1))
    expect(env.services[0]?.options).toMatchObject({
      port: 9100,
      p: 0.3,
      intervalMs: 20,
      allowedOrigins: ['app://bernoulli']
    })
    expect(env.windows[0]?.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true
    })
    expect(String((env.windows[0]?.options.webPreferences as { preload: string }).preload)).toMatch(
      /preload[\\/]index\.cjs$/
    )
    expect([...env.ipcChannels].sort()).toEqual([...IPC_INVOKE_CHANNELS].sort())
    expect(env.appListeners.has('second-instance')).toBe(true)
  })

  it('remembers p and the interval when they change', async () => {
    await startApp()
    await vi.waitFor(() => expect(env.windows).toHaveLength(1))
    lastService().setP(0.9)
    await vi.waitFor(async () =>
      expect(JSON.parse(await readFile(settingsPath(), 'utf8'))).toMatchObject({
        p: 0.9,
        port: 8888
      })
    )
  })

  it('offers a free port when the saved one is taken, and remembers the choice', async () => {
    env.takenPorts.add(8888)
    env.dialogResponse = 0 // "Use a free port"
    await startApp()
    await vi.waitFor(() => expect(env.windows).toHaveLength(1))
    expect(env.showMessageBox).toHaveBeenCalledTimes(1)
    expect(env.services.map((s) => (s.options as StreamServiceOptions).port)).toEqual([8888, 0])
    await vi.waitFor(async () =>
      expect(JSON.parse(await readFile(settingsPath(), 'utf8'))).toMatchObject({ port: 49152 })
    )
  })

  it('quits without a window when the user chooses Quit', async () => {
    env.takenPorts.add(8888)
    env.dialogResponse = 2
    await startApp()
    await vi.waitFor(() => expect(env.quit).toHaveBeenCalled())
    expect(env.windows).toHaveLength(0)
  })

  it('closes the service before quitting, once', async () => {
    await startApp()
    await vi.waitFor(() => expect(env.windows).toHaveLength(1))
    const willQuit = env.appListeners.get('will-quit')
    const event = { preventDefault: vi.fn() }
    willQuit?.(event)
    expect(event.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(env.quit).toHaveBeenCalled())
    expect(lastService().close).toHaveBeenCalledTimes(1)
    expect(env.ipcChannels.size).toBe(0)
    const again = { preventDefault: vi.fn() }
    willQuit?.(again)
    expect(again.preventDefault).not.toHaveBeenCalled()
  })

  it('quits when the window is closed', async () => {
    await startApp()
    await vi.waitFor(() => expect(env.windows).toHaveLength(1))
    env.appListeners.get('window-all-closed')?.()
    expect(env.quit).toHaveBeenCalled()
  })
})
