import { describe, expect, it } from 'vitest'
import {
  EstimateHistory,
  HISTORY_CAPACITY,
  WINDOW_POINTS
} from '../../../src/renderer/src/posterior/estimate-history'
import { newShapeSnapshot } from '../../../src/renderer/src/posterior/shape-series'

const shapes = newShapeSnapshot().fill(3)

function run(history: EstimateHistory, upTo: number): void {
  for (let n = 0; n <= upTo; n++) if (history.wants(n)) history.record(n, shapes)
}

function ns(history: EstimateHistory, view: 'log' | 'linear' | 'window'): number[] {
  const series = history.series(view)
  return Array.from({ length: series.size }, (_, i) => series.n(i))
}

describe('EstimateHistory', () => {
  it('stays bounded at any n: a few thousand points after a billion samples', () => {
    const history = new EstimateHistory(2000)
    // Skipping ahead in big steps records like a replay burst would.
    for (let n = 0; n <= 1e9; n += n < 1e5 ? 1 : 997)
      if (history.wants(n)) history.record(n, shapes)
    for (const view of ['log', 'linear', 'window'] as const)
      expect(history.series(view).size).toBeLessThanOrEqual(HISTORY_CAPACITY)
  })

  it('log view: every sample at first, then evenly spread in log n', () => {
    const history = new EstimateHistory()
    run(history, 100_000)
    const points = ns(history, 'log')
    expect(points.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const perDecade = (from: number) => points.filter((n) => n >= from && n < from * 10).length
    expect(perDecade(1000)).toBeGreaterThan(100)
    expect(Math.abs(perDecade(1000) - perDecade(10_000))).toBeLessThan(5)
  })

  it('linear view: evenly spread in n, halving when full', () => {
    const history = new EstimateHistory()
    run(history, 100_000)
    const points = ns(history, 'linear')
    expect(points[0]).toBe(0)
    const gaps = points.slice(1).map((n, i) => n - (points[i] as number))
    // Even spacing up to the one seam each halving leaves next to the kept newest point.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * Math.min(...gaps.slice(0, -1)))
    expect(points.at(-1)).toBeGreaterThan(100_000 - 2 * (gaps[0] as number))
    expect(points.length).toBeGreaterThan(HISTORY_CAPACITY / 2)
  })

  it('window view: the last W samples, evenly spread, entering from the left edge', () => {
    const history = new EstimateHistory(2000)
    run(history, 50_000)
    const points = ns(history, 'window')
    expect(points.length).toBeGreaterThanOrEqual(WINDOW_POINTS - 2)
    expect(points[0]).toBeLessThanOrEqual(48_000)
    expect(points[1]).toBeGreaterThan(48_000)
    expect(points.at(-1)).toBeGreaterThan(49_990)
    // A new W restarts the window from the other views (coarser), then fills in finely.
    history.setViewWindow(500, 50_000)
    expect(ns(history, 'window')[1]).toBeGreaterThanOrEqual(49_500)
    for (let n = 50_001; n <= 50_500; n++) if (history.wants(n)) history.record(n, shapes)
    expect(ns(history, 'window').filter((n) => n > 50_000).length).toBeGreaterThan(200)
  })

  it('fills in bands newest first, within the budget, until none are missing', () => {
    const history = new EstimateHistory()
    run(history, 300)
    const size = history.series('log').size
    let computed = 0
    const band = () => {
      computed++
      return { lower: 0.1, upper: 0.9 }
    }
    expect(history.fillBands('log', ['all', 'window'], 10, band)).toBe(2 * size - 10)
    expect(computed).toBe(10)
    const series = history.series('log')
    expect(series.lower(size - 1, 'all')).toBe(0.1)
    expect(series.lower(0, 'all')).toBeNaN()
    let left = Infinity
    while (left > 0) left = history.fillBands('log', ['all', 'window'], 50, band)
    expect(computed).toBe(2 * size)
    // Stops early when out of time.
    history.clear()
    run(history, 300)
    let calls = 0
    history.fillBands('log', ['all'], 100, band, () => ++calls >= 3)
    expect(calls).toBe(3)
  })
})
