import { describe, expect, it } from 'vitest'
import {
  betaMode,
  credibleInterval,
  probabilityAbove,
  summarizeBeta
} from '../../../src/shared/posterior/beta-summary'

/** Asserts |actual − expected| ≤ tol·|expected| (relative error). */
function expectRelClose(actual: number, expected: number, tol = 1e-9): void {
  expect(Number.isFinite(actual)).toBe(true)
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected))
}

// References (rounded to double): mpmath at 60 digits (a Lentz continued fraction for I_x(a, b) plus findroot),
// cross-checked against scipy.special.betaincinv/betainc (Boost); closed forms where they exist.
describe('credibleInterval', () => {
  it('Beta(2, 2): matches the closed-form cdf 3x² − 2x³', () => {
    const { lower, upper, level } = credibleInterval(2, 2)
    expect(level).toBe(0.95)
    expectRelClose(lower, 0.09429932405024608)
    expectRelClose(upper, 0.9057006759497539)
    // Independent check through the closed form itself.
    const cdf = (x: number): number => 3 * x * x - 2 * x * x * x
    expect(cdf(lower)).toBeCloseTo(0.025, 14)
    expect(cdf(upper)).toBeCloseTo(0.975, 14)
  })

  it('Beta(720002, 280002): a posterior after a million samples', () => {
    const { lower, upper } = credibleInterval(720002, 280002)
    expectRelClose(lower, 0.7191186832273204)
    expectRelClose(upper, 0.7208787232918087)
  })

  it('Beta(1, 1e9): matches the closed form 1 − (1 − q)^(1/b) computed with log1p/expm1', () => {
    const b = 1e9
    const closedForm = (q: number): number => -Math.expm1(Math.log1p(-q) / b)
    const { lower, upper } = credibleInterval(1, b)
    expectRelClose(lower, closedForm(0.025))
    expectRelClose(upper, closedForm(0.975))
    expectRelClose(lower, 2.5317807983969e-11, 1e-12)
    expectRelClose(upper, 3.68887944731e-9, 1e-11)
  })

  it('Beta(0.5, 0.5): matches the closed form sin²(πq/2)', () => {
    const { lower, upper } = credibleInterval(0.5, 0.5)
    expectRelClose(lower, 0.001541333133436012)
    expectRelClose(upper, 0.998458666866564)
  })

  it('honours another level and rejects a bad one', () => {
    const ci = credibleInterval(2, 2, 0.5)
    expect(ci.lower).toBeLessThan(0.5)
    expect(ci.upper).toBeGreaterThan(0.5)
    expect(() => credibleInterval(2, 2, 1)).toThrow(RangeError)
    expect(() => credibleInterval(2, 2, 0)).toThrow(RangeError)
  })
})

describe('betaMode (MAP)', () => {
  it('is (α − 1)/(α + β − 2) for α, β > 1', () => {
    expect(betaMode(2, 2)).toEqual({ value: 0.5, kind: 'interior' })
    expectRelClose(betaMode(720002, 280002).value ?? NaN, 720001 / 1000002)
  })

  it('sits at the end where the density is largest when one parameter is ≤ 1', () => {
    expect(betaMode(1, 1e9)).toEqual({ value: 0, kind: 'zero' })
    expect(betaMode(0.5, 3)).toEqual({ value: 0, kind: 'zero' })
    expect(betaMode(3, 1)).toEqual({ value: 1, kind: 'one' })
    expect(betaMode(1, 0.5)).toEqual({ value: 1, kind: 'one' })
    expect(betaMode(0.5, 1)).toEqual({ value: 0, kind: 'zero' })
  })

  it('has no single value for U-shaped and uniform densities', () => {
    expect(betaMode(0.5, 0.5)).toEqual({ value: null, kind: 'both-ends' })
    expect(betaMode(1, 1)).toEqual({ value: null, kind: 'uniform' })
  })

  it('rejects invalid shapes', () => {
    expect(() => betaMode(0, 1)).toThrow(RangeError)
    expect(() => betaMode(1, Number.NaN)).toThrow(RangeError)
    expect(() => betaMode(Infinity, 1)).toThrow(RangeError)
  })
})

describe('probabilityAbove (P(p > 0.5))', () => {
  it('is exact for small integer shapes', () => {
    expect(probabilityAbove(2, 2)).toBeCloseTo(0.5, 15)
    expectRelClose(probabilityAbove(3, 2), 0.6875)
    expectRelClose(probabilityAbove(12, 5), 0.9615936279296875)
  })

  it('keeps relative precision in both tails', () => {
    expectRelClose(probabilityAbove(30, 10), 0.9994674901827239)
    expectRelClose(probabilityAbove(10, 30), 0.00053250981727615)
  })

  it('matches references for large shapes', () => {
    expectRelClose(probabilityAbove(500, 520), 0.2654934228488468)
    expectRelClose(probabilityAbove(1000003, 1000000), 0.5008462832822059)
    expect(probabilityAbove(720002, 280002)).toBe(1)
    expect(probabilityAbove(280002, 720002)).toBe(0)
  })
})

describe('summarizeBeta', () => {
  it('summarises the default prior Beta(2, 2)', () => {
    const s = summarizeBeta(2, 2)
    expect(s.mean).toBe(0.5)
    expect(s.mode.value).toBe(0.5)
    expectRelClose(s.sd, Math.sqrt(1 / 20))
    expectRelClose(s.interval.lower, 0.09429932405024608)
    expect(s.probAboveHalf).toBeCloseTo(0.5, 15)
    expect(s.probAboveHalfApproximate).toBe(false)
  })

  it('summarises Beta(720002, 280002)', () => {
    const s = summarizeBeta(720002, 280002)
    expectRelClose(s.mean, 720002 / 1000004)
    expectRelClose(s.mode.value ?? NaN, 720001 / 1000002)
    expectRelClose(s.sd, Math.sqrt((720002 * 280002) / (1000004 ** 2 * 1000005)))
    expect(s.probAboveHalf).toBe(1)
  })

  it('stays finite and ordered for α, β up to 1e9', () => {
    for (const [a, b] of [
      [1, 1e9],
      [1e9, 1],
      [1e9, 1e9],
      [7.2e8 + 2, 2.8e8 + 2],
      [0.5, 1e9]
    ] as const) {
      const s = summarizeBeta(a, b)
      for (const v of [s.mean, s.sd, s.interval.lower, s.interval.upper, s.probAboveHalf]) {
        expect(Number.isFinite(v)).toBe(true)
      }
      expect(s.interval.lower).toBeLessThanOrEqual(s.mean)
      expect(s.interval.upper).toBeGreaterThanOrEqual(s.mean)
      expect(s.interval.lower).toBeGreaterThanOrEqual(0)
      expect(s.interval.upper).toBeLessThanOrEqual(1)
    }
  })

  it('flags P(p > 0.5) as approximate only where stdlib’s incomplete beta is known to drift', () => {
    // Beta(1e9, 1e9): the true value is exactly 0.5; stdlib's cdf is off by ~0.06 here.
    expect(summarizeBeta(1e9, 1e9).probAboveHalfApproximate).toBe(true)
    // One posterior sd away from 0.5 the value is good to ~1e-8 and is not flagged.
    const n = 1e9
    const sd = Math.sqrt(n) / 2
    const s = summarizeBeta(n / 2 + sd, n / 2 - sd)
    expect(s.probAboveHalfApproximate).toBe(false)
    // scipy (Boost): 0.8413447461898621; stdlib is within ~5e-9 absolute here.
    expect(Math.abs(s.probAboveHalf - 0.8413447461898621)).toBeLessThan(1e-8)
    // Ordinary posteriors are never flagged.
    expect(summarizeBeta(5e6, 5e6).probAboveHalfApproximate).toBe(false)
  })
})
