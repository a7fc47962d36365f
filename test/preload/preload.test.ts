import { beforeAll, describe, expect, it, vi } from 'vitest'
import {
  BRIDGE_GLOBAL,
  BRIDGE_METHODS,
  IPC_CHANNELS,
  type BernoulliBridge
} from '../../src/shared/ipc-contract'
import { isIpcError } from '../../src/shared/ipc-reply'

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  // Main's answer to every invoke: the channel and arguments it saw, as a successful reply.
  invoke: vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => ({
    ok: true,
    value: { channel, args }
  }))
}))

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api)
  },
  ipcRenderer: { invoke: electron.invoke }
}))

let bridge: BernoulliBridge
const call = (method: string, ...args: unknown[]): Promise<unknown> =>
  (bridge as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args)

beforeAll(async () => {
  await import('../../src/preload/index')
  bridge = electron.exposed.get(BRIDGE_GLOBAL) as BernoulliBridge
})

describe('preload bridge', () => {
  it(`exposes one global, ${BRIDGE_GLOBAL}`, () => {
    expect([...electron.exposed.keys()]).toEqual([BRIDGE_GLOBAL])
  })

  it('exposes exactly the contract’s methods, all functions, frozen', () => {
    expect(Object.keys(bridge)).toEqual([...BRIDGE_METHODS])
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function')
    expect(Object.isFrozen(bridge)).toBe(true)
  })

  it('maps each method to its invoke channel and forwards the arguments as given', async () => {
    for (const method of BRIDGE_METHODS) {
      await expect(call(method)).resolves.toEqual({ channel: IPC_CHANNELS[method], args: [] })
    }
    await bridge.setP(0.3)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:set-p', 0.3)
    await bridge.setIntervalMs(25)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:set-interval', 25)
    await bridge.draw(10)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:draw', 10)
    await bridge.reseed(42)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:reseed', 42)
    await bridge.reseed()
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:reseed')
  })

  it('rejects with main’s code and message as plain data', async () => {
    electron.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'E_INVALID_P', message: 'p must be a number from 0 to 1' }
    })
    const reason = await bridge.setP(2).catch((error: unknown) => error)
    expect(reason).toEqual({ code: 'E_INVALID_P', message: 'p must be a number from 0 to 1' })
    // Plain data: an Error's own properties would not survive the context bridge.
    expect(reason).not.toBeInstanceOf(Error)
    expect(isIpcError(reason)).toBe(true)
  })

  it('turns a malformed reply or a refused invoke into a coded rejection', async () => {
    electron.invoke.mockResolvedValueOnce('E_INVALID_P: from an old main')
    await expect(bridge.start()).rejects.toMatchObject({ code: 'E_INVALID_IPC' })
    electron.invoke.mockRejectedValueOnce(new Error("No handler registered for 'stream:stop'"))
    await expect(bridge.stop()).rejects.toEqual({
      code: 'E_INTERNAL',
      message: "No handler registered for 'stream:stop'"
    })
  })
})
