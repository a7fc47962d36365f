import { describe, expect, it } from 'vitest'
import {
  BRIDGE_METHODS,
  IPC_CHANNELS,
  IPC_INVOKE_CHANNELS,
  type BernoulliBridge,
  type BridgeMethod,
  type IpcInvokeChannel
} from '../../src/shared/ipc-contract'

describe('IPC contract', () => {
  it('derives the method list and the channel list from one map, one channel per method', () => {
    expect(BRIDGE_METHODS).toEqual(Object.keys(IPC_CHANNELS))
    expect(IPC_INVOKE_CHANNELS).toEqual(BRIDGE_METHODS.map((method) => IPC_CHANNELS[method]))
    expect(new Set(IPC_INVOKE_CHANNELS).size).toBe(IPC_INVOKE_CHANNELS.length)
  })

  it('has no channel nobody uses', () => {
    expect(IPC_INVOKE_CHANNELS).not.toContain('stream:status')
    expect(BRIDGE_METHODS).not.toContain('onStateChanged')
  })

  it('makes a partial map a compile error (checked by npm run typecheck)', () => {
    // @ts-expect-error a handler table that misses a channel does not compile
    const served: { [C in IpcInvokeChannel]: true } = { 'stream:start': true }
    // @ts-expect-error a bridge that misses a method does not compile
    const exposed: BernoulliBridge = { start: async () => ({}) }
    const methods: Record<BridgeMethod, true> = {
      start: true,
      stop: true,
      setP: true,
      setIntervalMs: true,
      draw: true,
      reseed: true,
      recordToFile: true,
      stopRecording: true,
      connectionInfo: true
    }
    expect([served, exposed, Object.keys(methods)]).toHaveLength(3)
  })
})
