import { describe, expect, it } from 'vitest'
import {
  isIgnorableLine,
  parseBitLine,
  parseCsvValue,
  pickCsvColumn,
  splitCsvLine
} from '../../../src/main/sources/sample-lines'

describe('isIgnorableLine', () => {
  it('ignores blank lines, whitespace, CR and # comments, and nothing else', () => {
    for (const line of ['', '   ', '\r', '\t \r', '# a note', '   # indented', '#']) {
      expect(isIgnorableLine(line), JSON.stringify(line)).toBe(true)
    }
    for (const line of ['0', '1', 'x # not a comment', '0#']) {
      expect(isIgnorableLine(line), JSON.stringify(line)).toBe(false)
    }
  })
})

describe('parseBitLine', () => {
  it('reads 0 and 1 with surrounding spaces and a CR (CRLF files)', () => {
    expect(parseBitLine('0')).toEqual({ ok: true, value: 0 })
    expect(parseBitLine('1\r')).toEqual({ ok: true, value: 1 })
    expect(parseBitLine('  1 \t')).toEqual({ ok: true, value: 1 })
  })

  it('refuses anything else with the text it got, cut to 40 characters', () => {
    for (const line of ['2', '01', '0.0', 'true', '1 1', '-0', '']) {
      const parsed = parseBitLine(line)
      expect(parsed.ok, JSON.stringify(line)).toBe(false)
    }
    expect(parseBitLine(' yes \r')).toEqual({ ok: false, reason: 'expected 0 or 1, got "yes"' })
    const long = parseBitLine('x'.repeat(500))
    expect(long.ok === false && long.reason).toBe(`expected 0 or 1, got "${'x'.repeat(40)}"`)
  })
})

describe('splitCsvLine', () => {
  it('splits on commas, keeps empty fields and drops a CR', () => {
    expect(splitCsvLine('a,b,c')).toEqual(['a', 'b', 'c'])
    expect(splitCsvLine('a,,c,\r')).toEqual(['a', '', 'c', ''])
    expect(splitCsvLine('')).toEqual([''])
  })

  it('honours RFC 4180 quotes: commas inside, doubled quotes, quoted empties', () => {
    expect(splitCsvLine('"a,b",1')).toEqual(['a,b', '1'])
    expect(splitCsvLine('"say ""hi""",0')).toEqual(['say "hi"', '0'])
    expect(splitCsvLine('"",1')).toEqual(['', '1'])
  })
})

describe('pickCsvColumn', () => {
  const header = ['time', ' value ', 'note']

  it('picks a column by name or 1-based number, else "value", else the only column', () => {
    expect(pickCsvColumn(header, 'note')).toEqual({ ok: true, index: 2 })
    expect(pickCsvColumn(header, '1')).toEqual({ ok: true, index: 0 })
    expect(pickCsvColumn(header, undefined)).toEqual({ ok: true, index: 1 })
    expect(pickCsvColumn(['x'], undefined)).toEqual({ ok: true, index: 0 })
  })

  it('says which columns exist when the wanted one does not', () => {
    expect(pickCsvColumn(header, '4')).toEqual({
      ok: false,
      reason: 'column 4 does not exist: the header has 3 ("time", "value", "note")'
    })
    expect(pickCsvColumn(header, '0').ok).toBe(false)
    expect(pickCsvColumn(header, 'Value')).toEqual({
      ok: false,
      reason: 'no column named "Value": the header has "time", "value", "note"'
    })
    expect(pickCsvColumn(['a', 'b'], undefined)).toEqual({
      ok: false,
      reason: 'pick the column of 0/1 values with --column (the header has "a", "b")'
    })
  })
})

describe('parseCsvValue', () => {
  it('reads 0, 1, 0.0 and 1.0, quoted or padded, in the chosen column', () => {
    expect(parseCsvValue('5,1', 1)).toEqual({ ok: true, value: 1 })
    expect(parseCsvValue('5,0.0\r', 1)).toEqual({ ok: true, value: 0 })
    expect(parseCsvValue('" 1.0 ",x', 0)).toEqual({ ok: true, value: 1 })
  })

  it('refuses a short row, an empty cell and values other than 0/1, naming the column', () => {
    expect(parseCsvValue('5', 1)).toEqual({
      ok: false,
      reason: 'has 1 columns, the value is in column 2'
    })
    expect(parseCsvValue('5,', 1)).toEqual({
      ok: false,
      reason: 'column 2 must be 0 or 1, got ""'
    })
    for (const cell of ['2', '0.5', '-1', 'yes', '1e0x']) {
      expect(parseCsvValue(`x,${cell}`, 1).ok, cell).toBe(false)
    }
  })
})
