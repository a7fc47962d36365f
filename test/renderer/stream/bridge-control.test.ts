import { describe, expect, it, vi } from 'vitest'
import { BridgeControl } from '../../../src/renderer/src/stream/bridge-control'
import { ControlError } from '../../../src/renderer/src/stream/control'
import type { BernoulliBridge } from '../../../src/shared/ipc-contract'
import { stateOf } from '../helpers/fake-stream'

/** A bridge whose every method resolves to a stopped state, each a spy. */
function fakeBridge(): BernoulliBridge {
  const answer = vi.fn().mockResolvedValue(stateOf({ running: false }))
  return {
    start: answer,
    stop: answer,
    setP: answer,
    setIntervalMs: answer,
    draw: vi.fn().mockResolvedValue(stateOf({ running: false, nextSeq: 11 })),
    reseed: vi.fn().mockResolvedValue(stateOf({ running: false })),
    recordToFile: vi.fn(),
    stopRecording: vi.fn(),
    connectionInfo: vi.fn()
  }
}

describe('BridgeControl', () => {
  it('draws and reseeds through the bridge itself', async () => {
    const bridge = fakeBridge()
    const control = new BridgeControl(bridge)
    expect(control.canDraw).toBe(true)
    await expect(control.draw(10)).resolves.toMatchObject({ nextSeq: 11 })
    expect(bridge.draw).toHaveBeenCalledWith(10)
    await control.reseed(42)
    expect(bridge.reseed).toHaveBeenLastCalledWith(42)
    // No seed: main picks one (the bridge is called without an argument, not with undefined).
    await control.reseed()
    expect(vi.mocked(bridge.reseed).mock.lastCall).toEqual([])
  })

  it('turns main’s refusals into ControlErrors with their code and detail', async () => {
    const bridge = fakeBridge()
    vi.mocked(bridge.reseed).mockRejectedValueOnce({
      code: 'E_NOT_SAMPLING',
      message: 'the seed cannot be set: the samples come from run.ndjson'
    })
    const failure = await new BridgeControl(bridge).reseed(3).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ControlError)
    expect(failure).toMatchObject({
      code: 'E_NOT_SAMPLING',
      detail: 'the seed cannot be set: the samples come from run.ndjson'
    })
  })
})
