import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PRIOR,
  isValidShape,
  posteriorShape
} from '../../../src/shared/posterior/beta-posterior'

describe('posteriorShape', () => {
  it('adds successes to α and failures to β', () => {
    expect(posteriorShape(DEFAULT_PRIOR, 0, 0)).toEqual({ alpha: 2, beta: 2 })
    expect(posteriorShape(DEFAULT_PRIOR, 720000, 1000000)).toEqual({ alpha: 720002, beta: 280002 })
    expect(posteriorShape({ alpha: 0.5, beta: 0.5 }, 3, 3)).toEqual({ alpha: 3.5, beta: 0.5 })
  })

  it('defaults to Beta(2, 2) and cannot be mutated', () => {
    expect(DEFAULT_PRIOR).toEqual({ alpha: 2, beta: 2 })
    expect(Object.isFrozen(DEFAULT_PRIOR)).toBe(true)
  })

  it('throws RangeError on misuse', () => {
    expect(() => posteriorShape({ alpha: 0, beta: 1 }, 0, 0)).toThrow(RangeError)
    expect(() => posteriorShape(DEFAULT_PRIOR, 2, 1)).toThrow(RangeError)
    expect(() => posteriorShape(DEFAULT_PRIOR, -1, 1)).toThrow(RangeError)
    expect(() => posteriorShape(DEFAULT_PRIOR, 0, 1.5)).toThrow(RangeError)
  })
})

describe('isValidShape', () => {
  it('accepts only finite numbers > 0', () => {
    expect(isValidShape(1e-9)).toBe(true)
    expect(isValidShape(1e9)).toBe(true)
    for (const bad of [0, -1, Number.NaN, Infinity, '2', null, undefined])
      expect(isValidShape(bad)).toBe(false)
  })
})
