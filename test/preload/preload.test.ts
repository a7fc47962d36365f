import { beforeAll, describe, expect, it, vi } from 'vitest'
import { BRIDGE_GLOBAL, BRIDGE_METHODS, type BernoulliBridge } from '../../src/shared/ipc-contract'
import type { StreamState } from '../../src/shared/protocol/messages'

type Listener = (event: unknown, ...args: unknown[]) => void

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, Set<Listener>>(),
  invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args }))
}))

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api)
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: Listener) => {
      const set = electron.listeners.get(channel) ?? new Set()
      set.add(listener)
      electron.listeners.set(channel, set)
    },
    removeListener: (channel: string, listener: Listener) =>
      electron.listeners.get(channel)?.delete(listener)
  }
}))

/** What main would send: the raw event (with a `sender` the page must never see) and the payload. */
function emit(channel: string, payload: unknown): void {
  const rawEvent = { sender: { send: () => 'ipcRenderer leaked' }, ports: [] }
  for (const listener of electron.listeners.get(channel) ?? []) listener(rawEvent, payload)
}

let bridge: BernoulliBridge

beforeAll(async () => {
  await import('../../src/preload/index')
  bridge = electron.exposed.get(BRIDGE_GLOBAL) as BernoulliBridge
})

describe('preload bridge', () => {
  it(`exposes one global, ${BRIDGE_GLOBAL}`, () => {
    expect([...electron.exposed.keys()]).toEqual([BRIDGE_GLOBAL])
  })

  it('exposes exactly the BRIDGE_METHODS and onStateChanged, all functions', () => {
    expect(Object.keys(bridge).sort()).toEqual(
      [...Object.keys(BRIDGE_METHODS), 'onStateChanged'].sort()
    )
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function')
    expect(Object.isFrozen(bridge)).toBe(true)
  })

  it('maps each method to its invoke channel and forwards the arguments as given', async () => {
    for (const [method, channel] of Object.entries(BRIDGE_METHODS)) {
      const call = (bridge as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
        method
      ]
      await expect(call?.()).resolves.toEqual({ channel, args: [] })
    }
    await bridge.setP(0.3)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:set-p', 0.3)
    await bridge.setIntervalMs(25)
    expect(electron.invoke).toHaveBeenLastCalledWith('stream:set-interval', 25)
  })

  it('hands the listener the state only, never the raw IpcRendererEvent', () => {
    const seen: unknown[][] = []
    const unsubscribe = bridge.onStateChanged((...args: unknown[]) => seen.push(args))
    const state: StreamState = { p: 0.5, intervalMs: 100, running: true, nextSeq: 7 }
    emit('stream:state-changed', state)
    expect(seen).toEqual([[state]])
    unsubscribe()
  })

  it('unsubscribes exactly the listener it returned', () => {
    const first = vi.fn()
    const second = vi.fn()
    const unsubscribeFirst = bridge.onStateChanged(first)
    const unsubscribeSecond = bridge.onStateChanged(second)
    unsubscribeFirst()
    unsubscribeFirst()
    emit('stream:state-changed', { p: 1, intervalMs: 1, running: false, nextSeq: 1 })
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
    unsubscribeSecond()
    expect(electron.listeners.get('stream:state-changed')?.size).toBe(0)
  })

  it('throws on a listener that is not a function', () => {
    expect(() => bridge.onStateChanged('nope' as unknown as () => void)).toThrow(TypeError)
  })
})
