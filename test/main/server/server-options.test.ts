import { describe, expect, it } from 'vitest'
import { resolveServerTuning, SERVER_DEFAULTS } from '../../../src/main/server/server-options'

describe('resolveServerTuning', () => {
  it('fills in every default, treats undefined as "the default" and ignores other keys', () => {
    const options = { pingIntervalMs: undefined, port: 0, p: 0.3 } as Parameters<
      typeof resolveServerTuning
    >[0]
    const tuning = resolveServerTuning(options)
    expect(tuning).toEqual({ ...SERVER_DEFAULTS, port: 0 })
    expect(tuning).not.toHaveProperty('p')
  })

  it.each([
    [{ port: 70_000 }, /port must be an integer from 0 to 65535/],
    [{ port: 1.5 }, /port must be an integer/],
    [{ jsonBatchMs: 0 }, /jsonBatchMs must be positive/],
    [{ maxBufferedBytes: -1 }, /maxBufferedBytes must be positive/],
    [{ replayCapacity: 0 }, /replayCapacity must be a positive integer/],
    [{ pingIntervalMs: 1000, peerTimeoutMs: 1000 }, /peerTimeoutMs \(1000\) must be longer/]
  ])('refuses %j with a RangeError', (options, message) => {
    expect(() => resolveServerTuning(options)).toThrow(RangeError)
    expect(() => resolveServerTuning(options)).toThrow(message)
  })
})
