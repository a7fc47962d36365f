import { describe, expect, it } from 'vitest'
import { RateMeter } from '../../../src/renderer/src/posterior/rate-meter'

describe('RateMeter', () => {
  it('measures 1000 samples/s from 1 ms timestamps', () => {
    const m = new RateMeter()
    const times = Array.from({ length: 3000 }, (_, i) => 1e12 + i)
    m.push(times)
    expect(m.rate()).toBeCloseTo(1000, 6)
  })

  it('is not fooled by a burst of replayed samples arriving at once', () => {
    const m = new RateMeter()
    // 500 samples drawn 10 ms apart, delivered in one go after a reconnection.
    m.push(Array.from({ length: 500 }, (_, i) => 1e12 + 10 * i))
    expect(m.rate()).toBeCloseTo(100, 6)
  })

  it('uses the last two samples when the stream is slower than the window', () => {
    const m = new RateMeter()
    m.push([0, 60_000, 120_000])
    expect(m.rate()).toBeCloseTo(1 / 60, 9)
  })

  it('is 0 with fewer than two samples, honours `from`, and clears', () => {
    const m = new RateMeter()
    expect(m.rate()).toBe(0)
    m.push([1, 2, 3], 2)
    expect(m.rate()).toBe(0)
    m.push([4])
    expect(m.rate()).toBeCloseTo(1000, 9)
    m.clear()
    expect(m.rate()).toBe(0)
  })

  it('bounds memory by its capacity', () => {
    const m = new RateMeter(4, 1e9)
    m.push([0, 1000, 2000, 3000, 4000, 5000])
    // Only the last 4 timestamps remain: 3 intervals over 3 s.
    expect(m.rate()).toBeCloseTo(1, 9)
  })
})
