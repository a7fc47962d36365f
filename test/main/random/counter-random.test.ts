import { describe, expect, it } from 'vitest'
import {
  bernoulliAt,
  counterUniform,
  isSeed,
  MAX_SEED,
  philox2x32,
  RandomDomain,
  randomSeed
} from '../../../src/main/random/counter-random'

describe('philox2x32', () => {
  // Known-answer vectors of the Random123 distribution (kat_vectors, philox2x32 10 rounds).
  it.each([
    [0, 0, 0, 0xff1dae59, 0x6cd10df2],
    [0xffffffff, 0xffffffff, 0xffffffff, 0x2c3f628b, 0xab4fd7ad],
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0xdd7ce038, 0xf62a4c12]
  ])('matches the reference for ctr (%i, %i), key %i', (c0, c1, key, out0, out1) => {
    expect(philox2x32(c0, c1, key)).toEqual([out0, out1])
  })
})

describe('counterUniform', () => {
  it('is a pure function of (seed, n, domain)', () => {
    const first = Array.from({ length: 100 }, (_, n) => counterUniform(42, n, RandomDomain.Samples))
    const again = Array.from({ length: 100 }, (_, n) => counterUniform(42, n, RandomDomain.Samples))
    expect(again).toEqual(first)
    // Asked in another order, the numbers are the same: nothing is consumed.
    expect(counterUniform(42, 57, RandomDomain.Samples)).toBe(first[57])
  })

  it('differs between seeds and between domains', () => {
    const a = Array.from({ length: 64 }, (_, n) => counterUniform(1, n, RandomDomain.Samples))
    const b = Array.from({ length: 64 }, (_, n) => counterUniform(2, n, RandomDomain.Samples))
    const c = Array.from({ length: 64 }, (_, n) => counterUniform(1, n, RandomDomain.FaultDrop))
    expect(a.filter((x, i) => x === b[i])).toEqual([])
    expect(a.filter((x, i) => x === c[i])).toEqual([])
  })

  it('covers [0, 1) evenly: 20 bins of 200 000 numbers pass a chi-square test', () => {
    const bins = new Array<number>(20).fill(0)
    const n = 200_000
    let sum = 0
    for (let i = 0; i < n; i++) {
      const u = counterUniform(7, i, RandomDomain.Samples)
      if (!(u >= 0 && u < 1)) throw new Error(`out of range: ${u}`)
      sum += u
      bins[Math.floor(u * 20)]!++
    }
    const expected = n / 20
    const chi2 = bins.reduce((acc, count) => acc + (count - expected) ** 2 / expected, 0)
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8)
    // Mean within 4 standard errors of 1/2 (sd of U(0,1) is 1/sqrt(12)).
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 / Math.sqrt(12 * n))
  })

  it('has no lag-1 correlation between neighbouring counters', () => {
    const n = 100_000
    let acc = 0
    let previous = counterUniform(9, 0, RandomDomain.Samples) - 0.5
    for (let i = 1; i <= n; i++) {
      const current = counterUniform(9, i, RandomDomain.Samples) - 0.5
      acc += previous * current
      previous = current
    }
    // Correlation estimate has sd ≈ 1/sqrt(n); variance of U-1/2 is 1/12.
    expect(Math.abs(acc / n / (1 / 12))).toBeLessThan(4 / Math.sqrt(n))
  })

  it('handles counters beyond 32 bits', () => {
    const big = 2 ** 40 + 5
    expect(counterUniform(3, big, RandomDomain.Samples)).not.toBe(
      counterUniform(3, 5, RandomDomain.Samples)
    )
    expect(counterUniform(3, Number.MAX_SAFE_INTEGER, RandomDomain.Samples)).toBeLessThan(1)
  })
})

describe('bernoulliAt', () => {
  it('gives about p ones', () => {
    const n = 100_000
    let ones = 0
    for (let seq = 1; seq <= n; seq++) ones += bernoulliAt(11, seq, 0.3)
    const se = Math.sqrt((0.3 * 0.7) / n)
    expect(Math.abs(ones / n - 0.3)).toBeLessThan(4 * se)
  })

  it('honours p = 0 and p = 1 exactly', () => {
    for (let seq = 1; seq <= 1000; seq++) {
      expect(bernoulliAt(5, seq, 0)).toBe(0)
      expect(bernoulliAt(5, seq, 1)).toBe(1)
    }
  })

  it('couples runs that differ only in p: a higher p only turns 0s into 1s', () => {
    for (let seq = 1; seq <= 5000; seq++) {
      expect(bernoulliAt(5, seq, 0.6)).toBeGreaterThanOrEqual(bernoulliAt(5, seq, 0.4))
    }
  })
})

describe('seeds', () => {
  it('accepts integers in [1, 2^32 - 1] only', () => {
    expect(isSeed(1)).toBe(true)
    expect(isSeed(MAX_SEED)).toBe(true)
    for (const bad of [0, -1, 1.5, MAX_SEED + 1, Number.NaN, '7', null])
      expect(isSeed(bad)).toBe(false)
  })

  it('draws random seeds inside the range', () => {
    expect(randomSeed(() => 0)).toBe(1)
    expect(randomSeed(() => 0.999999999999)).toBe(MAX_SEED)
    for (let i = 0; i < 100; i++) expect(isSeed(randomSeed())).toBe(true)
  })
})
