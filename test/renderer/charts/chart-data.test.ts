import { describe, expect, it } from 'vitest'
import { betaDensityCurve } from '../../../src/shared/posterior/beta-density'
import {
  densityPoints,
  estimateChartData,
  intervalPoints,
  TOP,
  verticalLine
} from '../../../src/renderer/src/charts/chart-data'

describe('chart data', () => {
  it('turns the density curve into plain {x, y} points', () => {
    const curve = betaDensityCurve(2, 2)
    const points = densityPoints(curve)
    expect(points).toHaveLength(curve.x.length)
    expect(points[0]).toEqual({ x: 0, y: 0 })
    expect(Object.getPrototypeOf(points)).toBe(Array.prototype)
  })

  it('cuts the shaded interval at its bounds, interpolating the ends', () => {
    const curve = betaDensityCurve(2, 2)
    const band = intervalPoints(curve, 0.25, 0.75)
    expect(band[0]?.x).toBe(0.25)
    expect(band.at(-1)?.x).toBe(0.75)
    // Relative density of Beta(2, 2) is 4x(1 − x): 0.75 at both bounds.
    expect(band[0]?.y).toBeCloseTo(0.75, 4)
    expect(band.at(-1)?.y).toBeCloseTo(0.75, 4)
    expect(band.every((p) => p.x >= 0.25 && p.x <= 0.75)).toBe(true)
    expect(intervalPoints(curve, 0.5, 0.5)).toEqual([])
  })

  it('draws the true p as a vertical line only when known', () => {
    expect(verticalLine(0.72)).toEqual([
      { x: 0.72, y: 0 },
      { x: 0.72, y: TOP }
    ])
    expect(verticalLine(null)).toEqual([])
  })

  it('splits the estimate series into datasets', () => {
    const data = estimateChartData({
      points: [
        { n: 0, mean: 0.5, lower: 0.1, upper: 0.9 },
        { n: 10, mean: 0.6, lower: 0.3, upper: 0.85 }
      ],
      pSteps: [
        { n: 0, p: 0.72 },
        { n: 10, p: 0.72 }
      ],
      marks: [
        { n: 5, kind: 'interval', label: 'interval → 1 ms' },
        { n: 7, kind: 'gap', label: 'lost' }
      ]
    })
    expect(data.mean).toEqual([
      { x: 0, y: 0.5 },
      { x: 10, y: 0.6 }
    ])
    expect(data.lower.map((p) => p.y)).toEqual([0.1, 0.3])
    expect(data.upper.map((p) => p.y)).toEqual([0.9, 0.85])
    expect(data.truth).toEqual([
      { x: 0, y: 0.72 },
      { x: 10, y: 0.72 }
    ])
    expect(data.marks.interval).toEqual([{ x: 5, y: 1, label: 'interval → 1 ms' }])
    expect(data.marks.gap).toEqual([{ x: 7, y: 0, label: 'lost' }])
    expect(data.maxN).toBe(10)
    expect(estimateChartData({ points: [], pSteps: [], marks: [] }).maxN).toBe(1)
  })
})
