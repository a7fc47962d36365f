import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'
import { IPC_INVOKE_CHANNELS, type IpcInvokeChannel } from '../../../src/shared/ipc-contract'
import { decodeIpcReply, isIpcError } from '../../../src/shared/ipc-reply'
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

// Valid arguments for each channel: a refusal must then come from the sender check alone.
const ARGUMENTS_THAT_PASS: { [C in IpcInvokeChannel]: unknown[] } = {
  'stream:start': [],
  'stream:stop': [],
  'stream:set-p': [0.5],
  'stream:set-interval': [100],
  'stream:draw': [1],
  'stream:reseed': [5],
  'recording:start': [],
  'recording:stop': [],
  'app:connection-info': []
}

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

/** Invokes `channel` as Electron would and decodes the reply as the preload does. */
async function invoke(
  channel: IpcInvokeChannel,
  event: unknown,
  ...args: unknown[]
): Promise<unknown> {
  const handler = ipc.handlers.get(channel)
  if (!handler) throw new Error(`no handler for ${channel}`)
  return decodeIpcReply(await handler(event, ...args))
}

/** The code a call failed with, or `resolved` when it did not fail. */
async function failureOf(
  call: Promise<unknown>
): Promise<{ code: string; message: string } | 'resolved'> {
  try {
    await call
    return 'resolved'
  } catch (error) {
    if (!isIpcError(error)) throw new Error(`not an IpcError: ${String(error)}`, { cause: error })
    return error
  }
}

describe('registerStreamIpc', () => {
  let service: FakeStreamService
  let ours: FakeContents
  let dispose: () => void
  let chooseRecordingPath: Mock<() => Promise<string | null>>

  beforeEach(() => {
    ipc.handlers.clear()
    service = createFakeStreamService()
    ours = contents(1)
    chooseRecordingPath = vi.fn(async () => '/home/me/run.csv')
    dispose = registerStreamIpc({
      service,
      isTrustedSender: ownRendererGuard(
        () => [ours],
        (url) => url.split('#')[0] === RENDERER_URL
      ),
      chooseRecordingPath
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
    await expect(invoke('app:connection-info', event)).resolves.toMatchObject({ port: 8888 })
    expect(service.setP).toHaveBeenCalledWith(0.25)
    expect(service.setIntervalMs).toHaveBeenCalledWith(40)
    await expect(invoke('stream:reseed', event, 99)).resolves.toMatchObject({ seed: 99 })
    expect(service.reseed).toHaveBeenLastCalledWith(99)
    await invoke('stream:reseed', event)
    expect(service.reseed).toHaveBeenLastCalledWith()
  })

  it('draws in step mode while stopped, and passes E_RUNNING on while running', async () => {
    const event = eventFrom(ours)
    expect(await failureOf(invoke('stream:draw', event, 5))).toMatchObject({ code: 'E_RUNNING' })
    await invoke('stream:stop', event)
    await expect(invoke('stream:draw', event, 5)).resolves.toMatchObject({
      running: false,
      nextSeq: 6
    })
    expect(service.draw).toHaveBeenLastCalledWith(5)
  })

  it('records to the file chosen in the save dialog, replacing only what the dialog confirmed', async () => {
    const event = eventFrom(ours)
    await expect(invoke('recording:start', event)).resolves.toMatchObject({
      recording: { file: '/home/me/run.csv', failed: false }
    })
    expect(chooseRecordingPath).toHaveBeenCalledTimes(1)
    expect(service.startRecording).toHaveBeenCalledWith('/home/me/run.csv', { replace: true })
    // A second one is refused before any dialog opens.
    expect(await failureOf(invoke('recording:start', event))).toMatchObject({
      code: 'E_ALREADY_RECORDING',
      message: expect.stringContaining('/home/me/run.csv')
    })
    expect(chooseRecordingPath).toHaveBeenCalledTimes(1)
    await expect(invoke('recording:stop', event)).resolves.toMatchObject({ recording: null })
    expect(service.stopRecording).toHaveBeenCalledTimes(1)
  })

  it('records nothing when the dialog is cancelled, and opens one dialog at a time', async () => {
    const event = eventFrom(ours)
    chooseRecordingPath.mockResolvedValueOnce(null)
    await expect(invoke('recording:start', event)).resolves.toBeNull()
    expect(service.startRecording).not.toHaveBeenCalled()

    let answer: (path: string | null) => void = () => undefined
    chooseRecordingPath.mockImplementationOnce(() => new Promise((done) => (answer = done)))
    const first = invoke('recording:start', event)
    expect(await failureOf(invoke('recording:start', event))).toMatchObject({
      code: 'E_ALREADY_RECORDING',
      message: expect.stringMatching(/dialog is already open/)
    })
    answer(null)
    await expect(first).resolves.toBeNull()
    // The dialog closed: the next click opens one again.
    await expect(invoke('recording:start', event)).resolves.toMatchObject({
      recording: { file: '/home/me/run.csv' }
    })
  })

  it.each([
    ['recording:start', ['/etc/passwd'], 'E_INVALID_IPC'],
    ['recording:stop', [1], 'E_INVALID_IPC'],
    ['stream:set-p', [Number.NaN], 'E_INVALID_P'],
    ['stream:set-p', ['0.5'], 'E_INVALID_P'],
    ['stream:set-p', [1.5], 'E_INVALID_P'],
    ['stream:set-p', [-1], 'E_INVALID_P'],
    ['stream:set-p', [0.5, 1], 'E_INVALID_IPC'],
    ['stream:set-p', [], 'E_INVALID_IPC'],
    ['stream:set-interval', [0], 'E_INVALID_INTERVAL'],
    ['stream:set-interval', [Infinity], 'E_INVALID_INTERVAL'],
    ['stream:set-interval', ['100'], 'E_INVALID_INTERVAL'],
    ['stream:set-interval', [100, 100], 'E_INVALID_IPC'],
    ['stream:start', [true], 'E_INVALID_IPC'],
    ['stream:stop', [{}], 'E_INVALID_IPC'],
    ['stream:draw', [0], 'E_BAD_MESSAGE'],
    ['stream:draw', [1001], 'E_BAD_MESSAGE'],
    ['stream:draw', ['3'], 'E_BAD_MESSAGE'],
    ['stream:draw', [], 'E_INVALID_IPC'],
    ['stream:reseed', [0], 'E_INVALID_SEED'],
    ['stream:reseed', [2 ** 32], 'E_INVALID_SEED'],
    ['stream:reseed', [1, 2], 'E_INVALID_IPC'],
    ['app:connection-info', ['x'], 'E_INVALID_IPC']
  ] as const)(
    'refuses %s with arguments %j (%s) before reaching the service',
    async (channel, args, code) => {
      expect(await failureOf(invoke(channel, eventFrom(ours), ...args))).toMatchObject({ code })
      expect(service.setP).not.toHaveBeenCalled()
      expect(service.setIntervalMs).not.toHaveBeenCalled()
      expect(service.start).not.toHaveBeenCalled()
      expect(service.stop).not.toHaveBeenCalled()
      expect(service.draw).not.toHaveBeenCalled()
      expect(service.reseed).not.toHaveBeenCalled()
      expect(service.startRecording).not.toHaveBeenCalled()
      expect(service.stopRecording).not.toHaveBeenCalled()
      expect(chooseRecordingPath).not.toHaveBeenCalled()
    }
  )

  it('refuses a foreign webContents on every channel', async () => {
    const foreign = contents(2)
    for (const channel of IPC_INVOKE_CHANNELS) {
      const args = ARGUMENTS_THAT_PASS[channel]
      expect(await failureOf(invoke(channel, eventFrom(foreign), ...args))).toMatchObject({
        code: 'E_INVALID_IPC'
      })
    }
    expect(service.start).not.toHaveBeenCalled()
    expect(service.setP).not.toHaveBeenCalled()
    expect(service.draw).not.toHaveBeenCalled()
    expect(service.reseed).not.toHaveBeenCalled()
    expect(chooseRecordingPath).not.toHaveBeenCalled()
    expect(service.stopRecording).not.toHaveBeenCalled()
  })

  it('refuses our window when it shows another page, a subframe, or a destroyed frame', async () => {
    const refused = { code: 'E_INVALID_IPC' }
    expect(
      await failureOf(invoke('stream:stop', eventFrom(ours, 'https://evil.example/')))
    ).toMatchObject(refused)
    expect(
      await failureOf(invoke('stream:stop', eventFrom(ours, RENDERER_URL, { url: RENDERER_URL })))
    ).toMatchObject(refused)
    expect(
      await failureOf(invoke('stream:stop', { sender: ours, senderFrame: null }))
    ).toMatchObject(refused)
    expect(service.stop).not.toHaveBeenCalled()
  })

  it('checks the sender before the arguments', async () => {
    expect(await failureOf(invoke('stream:set-p', eventFrom(contents(3)), 'junk'))).toMatchObject({
      code: 'E_INVALID_IPC',
      message: expect.stringMatching(/sender/)
    })
  })

  it("passes the service's own coded errors on with their code", async () => {
    vi.mocked(service.start).mockImplementationOnce(() => {
      throw new CodedError(ErrorCode.ServerClosed, 'the server is closing')
    })
    expect(await failureOf(invoke('stream:start', eventFrom(ours)))).toEqual({
      code: 'E_SERVER_CLOSED',
      message: 'the server is closing'
    })
  })

  it('answers an unexpected exception with E_INTERNAL instead of rejecting the invoke', async () => {
    vi.mocked(service.stop).mockImplementationOnce(() => {
      throw new TypeError('a bug')
    })
    const raw = await ipc.handlers.get('stream:stop')?.(eventFrom(ours))
    expect(raw).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: 'a bug' } })
  })

  it('removes the handlers on dispose, idempotently, and subscribes to nothing', () => {
    expect(service.listenerCount()).toBe(0)
    dispose()
    dispose()
    expect(ipc.handlers.size).toBe(0)
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
