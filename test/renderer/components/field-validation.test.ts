import { describe, expect, it } from 'vitest'
import {
  validateIntervalMs,
  validateP,
  validateSeed,
  validateShape,
  validateForgetting,
  validateWindowSize
} from '../../../src/renderer/src/components/field-validation'

describe('field validation', () => {
  it('validates p in [0, 1]', () => {
    expect(validateP('0')).toEqual({ ok: true, value: 0 })
    expect(validateP('1')).toEqual({ ok: true, value: 1 })
    expect(validateP('0.3')).toEqual({ ok: true, value: 0.3 })
    for (const bad of ['-0.1', '1.01', '', 'x']) expect(validateP(bad).ok).toBe(false)
  })

  it('takes a seed of 1..4294967295, or blank for a random one', () => {
    expect(validateSeed('')).toEqual({ ok: true, value: null })
    expect(validateSeed('  ')).toEqual({ ok: true, value: null })
    expect(validateSeed('42')).toEqual({ ok: true, value: 42 })
    expect(validateSeed('4294967295')).toEqual({ ok: true, value: 4294967295 })
    for (const bad of ['0', '-1', '1.5', '4294967296', 'x', '1e20'])
      expect(validateSeed(bad).ok, bad).toBe(false)
  })

  it('validates the interval in [1, 60000] ms', () => {
    expect(validateIntervalMs('1')).toEqual({ ok: true, value: 1 })
    expect(validateIntervalMs('2.5')).toEqual({ ok: true, value: 2.5 })
    expect(validateIntervalMs('60000')).toEqual({ ok: true, value: 60000 })
    for (const bad of ['0', '0.5', '60001', '', 'fast'])
      expect(validateIntervalMs(bad).ok).toBe(false)
  })

  it('validates prior parameters as positive numbers up to 1e9', () => {
    expect(validateShape('0.5')).toEqual({ ok: true, value: 0.5 })
    expect(validateShape('1e9')).toEqual({ ok: true, value: 1e9 })
    for (const bad of ['0', '-1', '2e9', '', 'a']) expect(validateShape(bad).ok).toBe(false)
  })
})

describe('memory fields', () => {
  it('accepts a whole window of 2..100000 samples and refuses the rest', () => {
    expect(validateWindowSize('200')).toEqual({ ok: true, value: 200 })
    expect(validateWindowSize(' 100000 ')).toEqual({ ok: true, value: 100000 })
    for (const bad of ['0', '1', '2.5', '100001', '-3', 'abc', '', '1e9'])
      expect(validateWindowSize(bad).ok, bad).toBe(false)
    expect(validateWindowSize('0')).toMatchObject({ message: expect.stringMatching(/2 to 100000/) })
  })

  it('accepts a forgetting factor in [0.5, 0.9999] and refuses the rest', () => {
    expect(validateForgetting('0.995')).toEqual({ ok: true, value: 0.995 })
    for (const bad of ['1', '1.5', '0.4', '0.99999', 'NaN', 'one'])
      expect(validateForgetting(bad).ok, bad).toBe(false)
  })
})
