import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'
import { IPC_INVOKE_CHANNELS, type IpcInvokeChannel } from '../../../src/shared/ipc-contract'
import { createFakeStreamService, type FakeStreamService } from '../app/fake-stream-service'

type Listener = (event: unknown, ...args: unknown[]) => unknown

const ipc = vi.hoisted(() => ({ handlers: new Map<string, Listener>() }))

vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, listener: Listener) => {
      if (ipc.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      ipc.handlers.set(channel, listener)
    }),
    removeHandler: vi.fn((channel: string) => ipc.handlers.delete(channel))
  }
}))

const { createIpcRegistry, ownRendererGuard, registerStreamIpc } =
  await import('../../../src/main/electron/ipc-handlers')

const RENDERER_URL = 'file:///app/out/renderer/index.html'

interface FakeContents {
  id: number
  send: Mock<(channel: string, ...args: unknown[]) => void>
  isDestroyed: () => boolean
}

function contents(id: number, destroyed = false): FakeContents {
  return { id, send: vi.fn(), isDestroyed: () => destroyed }
}

/** An invoke event as Electron builds it, from `sender`'s top frame showing `url`. */
function eventFrom(sender: { id: number }, url = RENDERER_URL, parent: unknown = null) {
  return { sender, senderFrame: { url, parent } }
}

async function invoke(
  channel: IpcInvokeChannel,
  event: unknown,
  ...args: unknown[]
): Promise<unknown> {
  const handler = ipc.handlers.get(channel)
  if (!handler) throw new Error(`no handler for ${channel}`)
  return handler(event, ...args)
}

describe('registerStreamIpc', () => {
  let service: FakeStreamService
  let ours: FakeContents
  let dispose: () => void

  beforeEach(() => {
    ipc.handlers.clear()
    service = createFakeStreamService()
    ours = contents(1)
    dispose = registerStreamIpc({
      service,
      isTrustedSender: ownRendererGuard(
        () => [ours],
        (url) => url.split('#')[0] === RENDERER_URL
      ),
      eventTargets: () => [ours]
    })
  })
  afterEach(() => dispose())

  it('registers a handler for every channel of the contract, and only those', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...IPC_INVOKE_CHANNELS].sort())
  })

  it('forwards each channel to the one stream service', async () => {
    const event = eventFrom(ours)
    await expect(invoke('stream:stop', event)).resolves.toMatchObject({ running: false })
    await expect(invoke('stream:start', event)).resolves.toMatchObject({ running: true })
    await expect(invoke('stream:set-p', event, 0.25)).resolves.toMatchObject({ p: 0.25 })
    await expect(invoke('stream:set-interval', event, 40)).resolves.toMatchObject({
      intervalMs: 40
    })
    await expect(invoke('stream:status', event)).resolves.toMatchObject({ protocol: 1 })
    await expect(invoke('app:connection-info', event)).resolves.toMatchObject({ port: 8888 })
    expect(service.setP).toHaveBeenCalledWith(0.25)
    expect(service.setIntervalMs).toHaveBeenCalledWith(40)
  })

  it.each([
    ['stream:set-p', [Number.NaN], /^E_INVALID_P: /],
    ['stream:set-p', ['0.5'], /^E_INVALID_P: /],
    ['stream:set-p', [1.5], /^E_INVALID_P: /],
    ['stream:set-p', [-1], /^E_INVALID_P: /],
    ['stream:set-p', [0.5, 1], /^E_INVALID_IPC: /],
    ['stream:set-p', [], /^E_INVALID_IPC: /],
    ['stream:set-interval', [0], /^E_INVALID_INTERVAL: /],
    ['stream:set-interval', [Infinity], /^E_INVALID_INTERVAL: /],
    ['stream:set-interval', ['100'], /^E_INVALID_INTERVAL: /],
    ['stream:set-interval', [100, 100], /^E_INVALID_IPC: /],
    ['stream:start', [true], /^E_INVALID_IPC: /],
    ['stream:stop', [{}], /^E_INVALID_IPC: /],
    ['stream:status', [1], /^E_INVALID_IPC: /],
    ['app:connection-info', ['x'], /^E_INVALID_IPC: /]
  ] as const)(
    'rejects %s with arguments %j (%s) before reaching the service',
    async (channel, args, code) => {
      await expect(invoke(channel, eventFrom(ours), ...args)).rejects.toThrow(code)
      expect(service.setP).not.toHaveBeenCalled()
      expect(service.setIntervalMs).not.toHaveBeenCalled()
      expect(service.start).not.toHaveBeenCalled()
      expect(service.stop).not.toHaveBeenCalled()
    }
  )

  it('refuses a foreign webContents on every channel', async () => {
    const foreign = contents(2)
    for (const channel of IPC_INVOKE_CHANNELS) {
      const args =
        channel === 'stream:set-p' ? [0.5] : channel === 'stream:set-interval' ? [100] : []
      await expect(invoke(channel, eventFrom(foreign), ...args)).rejects.toThrow(/^E_INVALID_IPC: /)
    }
    expect(service.start).not.toHaveBeenCalled()
    expect(service.setP).not.toHaveBeenCalled()
  })

  it('refuses our window when it shows another page, a subframe, or a destroyed frame', async () => {
    await expect(invoke('stream:stop', eventFrom(ours, 'https://evil.example/'))).rejects.toThrow(
      /^E_INVALID_IPC/
    )
    await expect(
      invoke('stream:stop', eventFrom(ours, RENDERER_URL, { url: RENDERER_URL }))
    ).rejects.toThrow(/^E_INVALID_IPC/)
    await expect(invoke('stream:stop', { sender: ours, senderFrame: null })).rejects.toThrow(
      /^E_INVALID_IPC/
    )
    expect(service.stop).not.toHaveBeenCalled()
  })

  it('checks the sender before the arguments', async () => {
    await expect(invoke('stream:set-p', eventFrom(contents(3)), 'junk')).rejects.toThrow(
      /^E_INVALID_IPC: .*sender/
    )
  })

  it("passes the service's own coded errors on with their code", async () => {
    vi.mocked(service.start).mockImplementationOnce(() => {
      throw new CodedError(ErrorCode.ServerClosed, 'the server is closing')
    })
    await expect(invoke('stream:start', eventFrom(ours))).rejects.toThrow(
      'E_SERVER_CLOSED: the server is closing'
    )
  })

  it('pushes state changes to the windows, skipping destroyed ones', () => {
    const gone = contents(9, true)
    dispose()
    dispose = registerStreamIpc({
      service,
      isTrustedSender: () => true,
      eventTargets: () => [ours, gone]
    })
    service.setP(0.4)
    expect(ours.send).toHaveBeenCalledWith(
      'stream:state-changed',
      expect.objectContaining({ p: 0.4 })
    )
    expect(gone.send).not.toHaveBeenCalled()
  })

  it('removes the handlers and the subscription on dispose, idempotently', () => {
    expect(service.listenerCount()).toBe(1)
    dispose()
    dispose()
    expect(ipc.handlers.size).toBe(0)
    expect(service.listenerCount()).toBe(0)
  })
})

describe('createIpcRegistry', () => {
  beforeEach(() => ipc.handlers.clear())

  it('refuses to handle a channel twice', () => {
    const registry = createIpcRegistry(() => true)
    registry.handle('stream:start', () => ({ p: 0, intervalMs: 1, running: true, nextSeq: 1 }))
    expect(() =>
      registry.handle('stream:start', () => ({ p: 0, intervalMs: 1, running: true, nextSeq: 1 }))
    ).toThrow(/already handled/)
    registry.dispose()
  })

  it('awaits async handlers', async () => {
    const registry = createIpcRegistry(() => true)
    registry.handle('stream:set-p', async (p) => ({ p, intervalMs: 1, running: true, nextSeq: 1 }))
    await expect(invoke('stream:set-p', {}, 0.5)).resolves.toMatchObject({ p: 0.5 })
    registry.dispose()
  })
})
