import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from '../../../src/renderer/src/stream/backoff'

describe('backoffDelayMs', () => {
  it('doubles from 250 ms and caps at 10 s without jitter', () => {
    const delays = Array.from({ length: 9 }, (_, attempt) => backoffDelayMs(attempt, 0))
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000])
  })

  it('subtracts up to half the delay at random, never exceeding the cap', () => {
    expect(backoffDelayMs(0, 0.999999)).toBe(125)
    expect(backoffDelayMs(10, 0.5)).toBe(7500)
    expect(backoffDelayMs(1000, 0)).toBe(10000)
  })

  it('honours options and rejects a bad attempt', () => {
    expect(backoffDelayMs(2, 0, { initialMs: 100, maxMs: 300, jitter: 0 })).toBe(300)
    expect(() => backoffDelayMs(-1, 0)).toThrow(RangeError)
    expect(() => backoffDelayMs(1.5, 0)).toThrow(RangeError)
  })
})
