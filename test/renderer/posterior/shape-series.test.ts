import { describe, expect, it } from 'vitest'
import { newShapeSnapshot, ShapeSeries } from '../../../src/renderer/src/posterior/shape-series'

function snapshot(n: number): Float64Array {
  const s = newShapeSnapshot()
  s.set([n + 2, 2, n + 3, 3, n + 4, 4])
  return s
}

describe('ShapeSeries', () => {
  it('holds every model’s shape per point, bands filled in later', () => {
    const series = new ShapeSeries(4)
    series.push(1, snapshot(1))
    expect(series.n(0)).toBe(1)
    expect([series.alpha(0, 'all'), series.beta(0, 'all')]).toEqual([3, 2])
    expect([series.alpha(0, 'window'), series.beta(0, 'window')]).toEqual([4, 3])
    expect([series.alpha(0, 'forgetting'), series.beta(0, 'forgetting')]).toEqual([5, 4])
    expect(series.lower(0, 'all')).toBeNaN()
    series.setBand(0, 'window', 0.1, 0.9)
    expect([series.lower(0, 'window'), series.upper(0, 'window')]).toEqual([0.1, 0.9])
    expect(series.lower(0, 'all')).toBeNaN()
  })

  it('is bounded: refuses a push when full, drops from the front, thins out keeping the newest', () => {
    const series = new ShapeSeries(5)
    for (let n = 0; n < 5; n++) series.push(n, snapshot(n))
    expect(series.full).toBe(true)
    expect(() => series.push(5, snapshot(5))).toThrow(RangeError)
    series.keepEveryOther()
    expect(Array.from({ length: series.size }, (_, i) => series.n(i))).toEqual([0, 2, 4])
    series.dropOldest(1)
    expect(series.n(0)).toBe(2)
    // Many drops and pushes never grow it (the front is compacted in place).
    for (let n = 5; n < 1000; n++) {
      if (series.full) series.dropOldest(1)
      series.push(n, snapshot(n))
    }
    expect(series.size).toBe(5)
    expect(series.lastN).toBe(999)
    expect(series.alpha(4, 'all')).toBe(1001)
  })

  it('refuses points out of order', () => {
    const series = new ShapeSeries(3)
    series.push(5, snapshot(5))
    expect(() => series.push(4, snapshot(4))).toThrow(RangeError)
  })
})
