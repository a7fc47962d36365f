import { describe, expect, it } from 'vitest'
import { parseDecimal } from '../../src/shared/parse-decimal'

describe('parseDecimal', () => {
  it.each([
    ['0.25', 0.25],
    [' 0.25 ', 0.25],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1e-3', 0.001],
    ['2.5E+2', 250],
    ['-0.5', -0.5],
    ['+7', 7]
  ])('reads %j as %s', (text, value) => expect(parseDecimal(text)).toBe(value))

  it.each([
    '',
    ' ',
    'abc',
    '0x10',
    'Infinity',
    'NaN',
    '1e',
    '1,5',
    '--1',
    '0.5abc',
    '1e999',
    '1_0'
  ])('refuses %j', (text) => expect(parseDecimal(text)).toBeNull())
})
