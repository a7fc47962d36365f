import { describe, expect, it } from 'vitest'
import { LineAssembler, MAX_LINE_CHARS } from '../../../src/main/sources/line-assembler'

describe('LineAssembler', () => {
  it('joins pieces into lines and numbers them after the lines already there', () => {
    const a = new LineAssembler(10)
    expect(a.push('1\n0')).toEqual([{ line: 11, text: '1', tooLong: false }])
    expect(a.hasPartialLine).toBe(true)
    expect(a.push('')).toEqual([])
    expect(a.push('\r\n1\n\n')).toEqual([
      { line: 12, text: '0', tooLong: false },
      { line: 13, text: '1', tooLong: false },
      { line: 14, text: '', tooLong: false }
    ])
    expect(a.hasPartialLine).toBe(false)
  })

  it('bounds a runaway line and flags it', () => {
    const a = new LineAssembler()
    for (let i = 0; i < 100; i++) expect(a.push('x'.repeat(1000))).toEqual([])
    const [line] = a.push('\n1\n')
    expect(line).toMatchObject({ line: 1, tooLong: true })
    expect(line!.text.length).toBe(MAX_LINE_CHARS)
    expect(a.push('')).toEqual([])
  })

  it('forgets the partial line on reset', () => {
    const a = new LineAssembler(5)
    a.push('10')
    a.reset()
    expect(a.push('1\n')).toEqual([{ line: 1, text: '1', tooLong: false }])
  })
})
