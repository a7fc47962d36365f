import { describe, expect, it } from 'vitest'
import { niceRange, niceStep } from '../../../src/renderer/src/charts/nice-range'
import {
  formatLogTick,
  formatTick,
  tickDecimals,
  tickLabel
} from '../../../src/renderer/src/charts/tick-format'

describe('niceRange', () => {
  it('pads, snaps outward to a round step and stays in the domain', () => {
    expect(niceStep(0.5)).toBe(0.05)
    expect(niceStep(0.013)).toBe(0.001)
    const r = niceRange(0.2024, 0.2088, { domain: { min: 0, max: 1 } })
    expect(r.min).toBeLessThanOrEqual(0.2024)
    expect(r.max).toBeGreaterThanOrEqual(0.2088)
    expect(r.max - r.min).toBeLessThan(0.02)
    expect(niceRange(0.01, 0.99, { domain: { min: 0, max: 1 } })).toEqual({ min: 0, max: 1 })
  })

  it('keeps a minimum span and does not move for small changes of the data', () => {
    const a = niceRange(0.5, 0.5, { minSpan: 0.04 })
    expect(a.max - a.min).toBeGreaterThanOrEqual(0.04)
    expect(niceRange(0.2031, 0.2087)).toEqual(niceRange(0.2032, 0.2086))
  })
})

describe('tick labels', () => {
  it('are short for counts and exact enough for probabilities', () => {
    expect(formatTick(500)).toBe('500')
    expect(formatTick(20_000)).toBe('20k')
    expect(formatTick(1_500_000)).toBe('1.5M')
    expect(formatTick(0.2045)).toBe('0.2045')
    expect(formatTick(0.30000000000000004)).toBe('0.3')
    // Neighbours stay apart: ticks every 500 near 557 000.
    expect([556_500, 557_000, 557_500].map((v) => formatTick(v, 500))).toEqual([
      '556.5k',
      '557k',
      '557.5k'
    ])
    expect(tickLabel(2000, 0, [{ value: 0 }, { value: 2000 }])).toBe('2000')
  })

  it('on a log axis show 1-2-5 steps, or only powers of ten over many decades', () => {
    expect([1, 2, 3, 5, 10, 30, 50].map((v) => formatLogTick(v, 3))).toEqual([
      '1',
      '2',
      '',
      '5',
      '10',
      '',
      '50'
    ])
    expect([1, 2, 10, 5000, 10_000].map((v) => formatLogTick(v, 6))).toEqual([
      '1',
      '',
      '10',
      '',
      '10k'
    ])
  })

  it('give the decimals that tell a range’s ends apart', () => {
    expect(tickDecimals(0.4)).toBe(2)
    expect(tickDecimals(0.004)).toBe(4)
  })
})
