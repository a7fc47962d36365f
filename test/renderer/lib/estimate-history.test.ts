import { describe, expect, it } from 'vitest'
import { EstimateHistory, HISTORY_CAPACITY } from '../../../src/renderer/src/lib/estimate-history'

const point = (n: number) => ({ n, mean: n / 1e6, lower: 0, upper: 1 })

describe('EstimateHistory', () => {
  it('keeps at most 2000 points by default', () => {
    const h = new EstimateHistory()
    expect(h.capacity).toBe(HISTORY_CAPACITY)
    for (let n = 0; n < 100_000; n++) h.record(point(n))
    expect(h.size).toBeLessThanOrEqual(2000)
    expect(h.size).toBeGreaterThan(1000)
  })

  it('halves when full, keeps the first and newest points, and doubles the spacing', () => {
    const h = new EstimateHistory(8)
    for (let n = 0; n < 8; n++) h.record(point(n))
    expect(h.size).toBe(8)
    h.record(point(8))
    expect(h.minStep).toBe(2)
    expect(h.points().map((p) => p.n)).toEqual([0, 2, 4, 7, 8])
    expect(h.record(point(9))).toBe(false) // closer than minStep to the last point
    expect(h.record(point(10))).toBe(true)
  })

  it('keeps points ordered and spread over n', () => {
    const h = new EstimateHistory(100)
    for (let n = 0; n <= 10_000; n++) h.record(point(n))
    const ns = h.points().map((p) => p.n)
    for (let i = 1; i < ns.length; i++) expect(ns[i]).toBeGreaterThan(ns[i - 1] as number)
    expect(ns[0]).toBe(0)
    expect(ns.at(-1)).toBeGreaterThan(9_700)
  })

  it('clears, bumping the version', () => {
    const h = new EstimateHistory()
    h.record(point(1))
    const v = h.version
    h.clear()
    expect(h.size).toBe(0)
    expect(h.version).toBeGreaterThan(v)
    expect(h.lastN).toBe(-Infinity)
  })

  it('rejects odd or tiny capacities', () => {
    expect(() => new EstimateHistory(3)).toThrow(RangeError)
    expect(() => new EstimateHistory(7)).toThrow(RangeError)
  })
})
