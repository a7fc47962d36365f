import { describe, expect, it } from 'vitest'
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile'
import {
  betaDensityCurve,
  DEFAULT_DENSITY_POINTS,
  massWindow
} from '../../../src/shared/posterior/beta-density'

describe('betaDensityCurve', () => {
  it('covers [0, 1] with 200 points by default and peaks at 1 at the mode', () => {
    const curve = betaDensityCurve(2, 2)
    expect(DEFAULT_DENSITY_POINTS).toBe(200)
    // 200 grid points (steps of 1/199, so 0.5 is not among them) plus the mode 0.5.
    expect(curve.x.length).toBe(201)
    expect(curve.x[0]).toBe(0)
    expect(curve.x.at(-1)).toBe(1)
    expect(curve.xMin).toBe(0)
    expect(curve.xMax).toBe(1)
    expect(Math.max(...curve.relative)).toBe(1)
    expect(curve.relative[curve.x.indexOf(0.5)]).toBe(1)
    // Beta(2, 2) density is 6x(1 − x): the normalised curve is 4x(1 − x).
    curve.x.forEach((x, i) => expect(curve.relative[i]).toBeCloseTo(4 * x * (1 - x), 12))
    expect(curve.logDensity[0]).toBe(-Infinity)
  })

  it('returns sorted, plain arrays of equal length', () => {
    const curve = betaDensityCurve(7, 3, { points: 50 })
    expect(Array.isArray(curve.x)).toBe(true)
    expect(curve.x.length).toBe(curve.relative.length)
    expect(curve.x.length).toBe(curve.logDensity.length)
    for (let i = 1; i < curve.x.length; i++)
      expect(curve.x[i]).toBeGreaterThan(curve.x[i - 1] ?? -1)
  })

  it('resolves a narrow peak in the full view by adding points where the mass is', () => {
    const curve = betaDensityCurve(720002, 280002)
    const [lo, hi] = massWindow(720002, 280002)
    const inside = curve.x.filter((x) => x >= lo && x <= hi)
    expect(inside.length).toBeGreaterThanOrEqual(50)
    expect(Math.max(...curve.relative)).toBe(1)
    expect(curve.relative.every((v) => v >= 0 && v <= 1)).toBe(true)
  })

  it('zooms to the mass on request', () => {
    const curve = betaDensityCurve(720002, 280002, { range: 'mass' })
    expect(curve.xMin).toBeGreaterThan(0.71)
    expect(curve.xMax).toBeLessThan(0.73)
    expect(curve.x.length).toBeGreaterThanOrEqual(200)
    // The window edges sit ~5 sd from the mean: relative density ~ exp(−5²/2) ≈ 4e-6.
    expect(curve.relative[0]).toBeLessThan(1e-5)
    expect(curve.relative.at(-1)).toBeLessThan(1e-5)
  })

  it('stays finite in log space for α, β up to 1e9', () => {
    for (const [a, b] of [
      [1e9, 1e9],
      [1, 1e9],
      [7.2e8, 2.8e8]
    ] as const) {
      for (const range of ['full', 'mass'] as const) {
        const curve = betaDensityCurve(a, b, { range })
        expect(curve.relative.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true)
        expect(Math.max(...curve.relative)).toBe(1)
        expect(curve.logDensity.some((v) => Number.isNaN(v))).toBe(false)
      }
    }
    // Beta(1, 1e9) has density 1e9 at 0: log 1e9 ≈ 20.72, kept in log space.
    expect(betaDensityCurve(1, 1e9).logDensity[0]).toBeCloseTo(Math.log(1e9), 9)
  })

  it('clips unbounded ends to 1 (α < 1 or β < 1)', () => {
    const curve = betaDensityCurve(0.5, 0.5)
    expect(curve.logDensity[0]).toBe(Infinity)
    expect(curve.relative[0]).toBe(1)
    expect(curve.relative.at(-1)).toBe(1)
    expect(curve.relative.every((v) => Number.isFinite(v))).toBe(true)
  })

  it('covers exactly a given range, resolving a narrow peak inside it', () => {
    const range = { from: 0.1, to: 0.3 }
    const wide = betaDensityCurve(41, 161, { range })
    expect(wide.xMin).toBe(0.1)
    expect(wide.xMax).toBe(0.3)
    expect(wide.x[0]).toBe(0.1)
    expect(wide.x.at(-1)).toBe(0.3)
    // Beta(12 649, 48 887) holds its mass in ~0.018 of the range: at least 20 grid steps
    // across it (extra points where the plain grid is too coarse), and the mode on the grid.
    for (const to of [0.3, 0.9]) {
      const narrow = betaDensityCurve(12649, 48887, { range: { from: 0.15, to } })
      expect(Math.max(...narrow.relative)).toBe(1)
      const [low, high] = massWindow(12649, 48887)
      expect(narrow.x.filter((x) => x >= low && x <= high).length).toBeGreaterThanOrEqual(20)
      expect(narrow.x.every((x) => x >= 0.15 && x <= to)).toBe(true)
    }
  })

  it('rejects bad arguments', () => {
    expect(() => betaDensityCurve(0, 1)).toThrow(RangeError)
    expect(() => betaDensityCurve(1, 1, { points: 1 })).toThrow(RangeError)
    expect(() => betaDensityCurve(1, 1, { range: { from: 0.5, to: 0.5 } })).toThrow(RangeError)
    expect(() => betaDensityCurve(1, 1, { range: { from: -0.1, to: 0.5 } })).toThrow(RangeError)
  })
})

describe('massWindow', () => {
  it.each([
    [720002, 280002],
    [7.2e8, 2.8e8],
    [1500, 1200]
  ])(
    'for near-normal Beta(%d, %d) contains the exact 1e-6 quantiles and stays close to them',
    (a, b) => {
      const [lo, hi] = massWindow(a, b)
      const exactLo = betaQuantile(1e-6, a, b)
      const exactHi = betaQuantile(1 - 1e-6, a, b)
      expect(lo).toBeLessThanOrEqual(exactLo)
      expect(hi).toBeGreaterThanOrEqual(exactHi)
      // Not much wider: at most 25 % more than the exact window.
      expect(hi - lo).toBeLessThan(1.25 * (exactHi - exactLo))
    }
  )

  it('uses the exact quantiles for skewed shapes', () => {
    expect(massWindow(1, 1e9)).toEqual([betaQuantile(1e-6, 1, 1e9), betaQuantile(1 - 1e-6, 1, 1e9)])
  })
})
