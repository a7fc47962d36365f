/**
 * Lines that carry one sample each, in the dialects a file source accepts (besides recordings):
 * a bare `0` or `1`, or one column of a CSV file. Pure: used by `--replay` for whole files and by
 * `--follow` line by line.
 */

/** What to do with a line that is not a sample: report it and go on, or report it and stop. */
export type BadLinePolicy = 'skip' | 'fail'

/** A line that is not a sample, with its 1-based line number. */
export interface BadLine {
  line: number
  reason: string
}

/** Whether a line carries nothing (blank, or a `#` comment), so it is neither sample nor error. */
export function isIgnorableLine(line: string): boolean {
  const trimmed = line.trim()
  return trimmed === '' || trimmed.startsWith('#')
}

/** The value of a `0`/`1` line (surrounding spaces and a CR allowed), or a reason. */
export function parseBitLine(
  line: string
): { ok: true; value: 0 | 1 } | { ok: false; reason: string } {
  const trimmed = line.trim()
  if (trimmed === '0') return { ok: true, value: 0 }
  if (trimmed === '1') return { ok: true, value: 1 }
  return { ok: false, reason: `expected 0 or 1, got ${JSON.stringify(trimmed.slice(0, 40))}` }
}

/**
 * Splits one CSV line into fields (RFC 4180 quoting: `"a,b"` is one field, `""` a quote inside
 * one). Fields spanning lines are not supported: one line, one record.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else if (c !== '\r') field += c
  }
  fields.push(field)
  return fields
}

/**
 * Which column of a CSV header to read: `wanted` as a name or a 1-based number; without it, a
 * column named `value`, or the only column. A reason when none fits.
 */
export function pickCsvColumn(
  header: string[],
  wanted: string | undefined
): { ok: true; index: number } | { ok: false; reason: string } {
  const names = header.map((name) => name.trim())
  const list = names.map((name) => JSON.stringify(name)).join(', ')
  if (wanted !== undefined) {
    if (/^\d+$/.test(wanted)) {
      const index = Number(wanted) - 1
      if (index >= 0 && index < names.length) return { ok: true, index }
      return {
        ok: false,
        reason: `column ${wanted} does not exist: the header has ${names.length} (${list})`
      }
    }
    const index = names.indexOf(wanted)
    if (index >= 0) return { ok: true, index }
    return {
      ok: false,
      reason: `no column named ${JSON.stringify(wanted)}: the header has ${list}`
    }
  }
  const value = names.indexOf('value')
  if (value >= 0) return { ok: true, index: value }
  if (names.length === 1) return { ok: true, index: 0 }
  return {
    ok: false,
    reason: `pick the column of 0/1 values with --column (the header has ${list})`
  }
}

/** The 0/1 value in field `index` of a CSV line (`0`, `1`, `0.0`, `1.0`, quoted or not). */
export function parseCsvValue(
  line: string,
  index: number
): { ok: true; value: 0 | 1 } | { ok: false; reason: string } {
  const fields = splitCsvLine(line)
  if (index >= fields.length)
    return {
      ok: false,
      reason: `has ${fields.length} columns, the value is in column ${index + 1}`
    }
  const cell = fields[index]!.trim()
  const number = cell === '' ? Number.NaN : Number(cell)
  if (number === 0 || number === 1) return { ok: true, value: number }
  return {
    ok: false,
    reason: `column ${index + 1} must be 0 or 1, got ${JSON.stringify(cell.slice(0, 40))}`
  }
}
