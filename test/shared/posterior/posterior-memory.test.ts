import { describe, expect, it } from 'vitest'
import {
  checkForgetting,
  checkWindowSize,
  MAX_WINDOW_SIZE,
  PosteriorMemory
} from '../../../src/shared/posterior/posterior-memory'

const prior = { alpha: 2, beta: 2 }

/** A reproducible 0/1 sequence with P(1) = p (a tiny LCG, not Math.random). */
function bernoulli(n: number, p: number, seed = 1): Array<0 | 1> {
  let state = seed
  return Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return (state / 2 ** 31 < p ? 1 : 0) as 0 | 1
  })
}

describe('PosteriorMemory', () => {
  it('full memory is the conjugate update over every sample', () => {
    const memory = new PosteriorMemory()
    for (const v of [1, 1, 0, 1, 0] as const) memory.add(v)
    expect(memory.shape('all', prior)).toEqual({ alpha: 5, beta: 4 })
    expect(memory.effectiveSampleSize('all')).toBe(5)
  })

  it('the window posterior is exactly Beta of the last N samples', () => {
    const memory = new PosteriorMemory(4, 0.9)
    const values = bernoulli(1000, 0.3)
    for (const v of values) memory.add(v)
    const last = values.slice(-4)
    const ones = last.filter((v) => v === 1).length
    expect(memory.shape('window', prior)).toEqual({ alpha: 2 + ones, beta: 2 + 4 - ones })
    expect(memory.effectiveSampleSize('window')).toBe(4)
  })

  it('forgetting decays the counts toward the prior: (α − α₀) ← λ(α − α₀) + x', () => {
    const memory = new PosteriorMemory(10, 0.5)
    memory.add(1)
    memory.add(0)
    memory.add(1)
    // ones: ((1·0.5) + 0)·0.5 + 1 = 1.25; trials: (1·0.5 + 1)·0.5 + 1 = 1.75
    expect(memory.evidence('forgetting')).toEqual({ ones: 1.25, trials: 1.75 })
    expect(memory.shape('forgetting', prior)).toEqual({ alpha: 3.25, beta: 2.5 })
    // Its effective sample size tends to 1/(1 − λ).
    for (let i = 0; i < 200; i++) memory.add(0)
    expect(memory.effectiveSampleSize('forgetting')).toBeCloseTo(2, 10)
  })

  it('the tracking models follow a change of p within a few hundred samples; full memory lags', () => {
    const memory = new PosteriorMemory(200, 0.995)
    for (const v of bernoulli(5000, 0.72, 7)) memory.add(v)
    for (const v of bernoulli(600, 0.2, 11)) memory.add(v)
    const mean = (kind: 'all' | 'window' | 'forgetting') => {
      const { alpha, beta } = memory.shape(kind, prior)
      return alpha / (alpha + beta)
    }
    expect(Math.abs(mean('window') - 0.2)).toBeLessThan(0.07)
    expect(Math.abs(mean('forgetting') - 0.2)).toBeLessThan(0.07)
    expect(mean('all')).toBeGreaterThan(0.6)
  })

  it('rebuilds the window and the decayed counts from the kept samples when N or λ change', () => {
    const values = bernoulli(3000, 0.4, 3)
    const changed = new PosteriorMemory(200, 0.995)
    for (const v of values) changed.add(v)
    changed.setWindowSize(50)
    changed.setForgetting(0.9)
    const fresh = new PosteriorMemory(50, 0.9)
    for (const v of values) fresh.add(v)
    expect(changed.shape('window', prior)).toEqual(fresh.shape('window', prior))
    const a = changed.evidence('forgetting')
    const b = fresh.evidence('forgetting')
    expect(a.ones).toBeCloseTo(b.ones, 9)
    expect(a.trials).toBeCloseTo(b.trials, 9)
  })

  it('a window larger than what was seen holds everything; reset forgets all', () => {
    const memory = new PosteriorMemory(100, 0.99)
    for (const v of [1, 0, 1] as const) memory.add(v)
    expect(memory.evidence('window')).toEqual({ ones: 2, trials: 3 })
    memory.setWindowSize(MAX_WINDOW_SIZE)
    expect(memory.evidence('window')).toEqual({ ones: 2, trials: 3 })
    memory.reset()
    for (const kind of ['all', 'window', 'forgetting'] as const)
      expect(memory.shape(kind, prior)).toEqual(prior)
  })

  it('keeps memory bounded: the window of 100 000 wraps around its ring', () => {
    const memory = new PosteriorMemory(MAX_WINDOW_SIZE, 0.9999)
    const values = bernoulli(MAX_WINDOW_SIZE + 5000, 0.5, 5)
    for (const v of values) memory.add(v)
    const ones = values.slice(-MAX_WINDOW_SIZE).filter((v) => v === 1).length
    expect(memory.evidence('window')).toEqual({ ones, trials: MAX_WINDOW_SIZE })
  })

  it('refuses out-of-range parameters', () => {
    expect(() => new PosteriorMemory(0)).toThrow(RangeError)
    expect(() => new PosteriorMemory(200, 1)).toThrow(RangeError)
    const memory = new PosteriorMemory()
    expect(() => memory.setWindowSize(1.5)).toThrow(RangeError)
    expect(() => memory.setForgetting(1.5)).toThrow(RangeError)
    expect(checkWindowSize(100_001).ok).toBe(false)
    expect(checkWindowSize('200').ok).toBe(false)
    expect(checkForgetting(0.49).ok).toBe(false)
    expect(checkForgetting(0.9999).ok).toBe(true)
  })
})
