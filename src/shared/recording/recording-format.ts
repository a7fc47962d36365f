/**
 * The recording file formats: NDJSON (one JSON object a line) and CSV, each starting with a
 * header that names the run. One line per sample: sequence number, time, value, and the p it was
 * drawn with (null / empty for samples that came from a file rather than the sampler).
 *
 * NDJSON:
 *   {"recording":"bernoulli-stream","version":1,"run":"9f…","server":"bernoulli-stream/0.1.0",
 *    "seed":42,"source":"sampler","startedAt":"2026-12-01T12:00:00.000Z"}
 *   {"seq":1,"time":1764590400100.25,"value":1,"p":0.72}
 * CSV (the first line a comment, so spreadsheet and pandas readers skip it with `comment='#'`):
 *   # bernoulli-stream recording version=1 run=9f… server=bernoulli-stream/0.1.0 seed=42 source=sampler startedAt=2026-…
 *   seq,time,value,p
 *   1,1764590400100.25,1,0.72
 */

export type RecordingFormat = 'ndjson' | 'csv'

/** What the header of a recording says about its run. */
export interface RecordingHeader {
  /** Stream id of the run (`hello.streamId`). */
  run: string
  /** `bernoulli-stream/<version>`. */
  server: string
  /** Seed of the sampler; null when the samples came from a file. */
  seed: number | null
  /** `sampler`, or `replay <file>` / `follow <file>`. */
  source: string
  /** When recording began, ISO 8601. */
  startedAt: string
}

/** One recorded sample. `timeMs` is Unix epoch milliseconds, fractional. */
export interface RecordedSample {
  seq: number
  timeMs: number
  value: 0 | 1
  p: number | null
}

export const RECORDING_VERSION = 1
const NDJSON_TAG = 'bernoulli-stream'
const CSV_TAG = '# bernoulli-stream recording'
/** The CSV column header line, the second line of every CSV recording. */
export const CSV_COLUMNS = 'seq,time,value,p'
const HEADER_KEYS = ['run', 'server', 'seed', 'source', 'startedAt'] as const

/** The format a file name implies: `.csv` is CSV, anything else NDJSON. */
export function formatOfName(name: string): RecordingFormat {
  return name.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson'
}

/** The header lines of a recording, each ending in a newline. */
export function encodeHeader(format: RecordingFormat, header: RecordingHeader): string {
  if (format === 'ndjson') {
    return `${JSON.stringify({ recording: NDJSON_TAG, version: RECORDING_VERSION, ...header })}\n`
  }
  const fields = HEADER_KEYS.map((key) => `${key}=${csvHeaderValue(header[key])}`)
  return `${CSV_TAG} version=${RECORDING_VERSION} ${fields.join(' ')}\n${CSV_COLUMNS}\n`
}

/**
 * The lines of consecutive samples `firstSeq…`, all drawn with `p`, each ending in a newline.
 * Built by hand: it runs for every batch the sampler draws.
 */
export function encodeSamples(
  format: RecordingFormat,
  firstSeq: number,
  values: ArrayLike<0 | 1>,
  timesMs: ArrayLike<number>,
  p: number | null
): string {
  let out = ''
  if (format === 'ndjson') {
    const tail = `,"p":${p === null ? 'null' : p}}\n`
    for (let i = 0; i < values.length; i++) {
      out += `{"seq":${firstSeq + i},"time":${timesMs[i]},"value":${values[i]}${tail}`
    }
  } else {
    const tail = `,${p === null ? '' : p}\n`
    for (let i = 0; i < values.length; i++) {
      out += `${firstSeq + i},${timesMs[i]},${values[i]}${tail}`
    }
  }
  return out
}

/** Whether a file's first line is a recording header, and of which format. */
export function recordingFormatOf(firstLine: string): RecordingFormat | null {
  if (firstLine.startsWith(CSV_TAG)) return 'csv'
  if (firstLine.startsWith('{') && firstLine.includes(`"recording":"${NDJSON_TAG}"`))
    return 'ndjson'
  return null
}

/** Reads a header line; a reason when it is not one this version can read. */
export function parseHeader(
  format: RecordingFormat,
  line: string
): { ok: true; header: RecordingHeader } | { ok: false; reason: string } {
  let fields: Record<string, unknown>
  if (format === 'ndjson') {
    try {
      const data: unknown = JSON.parse(line)
      if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error()
      fields = data as Record<string, unknown>
    } catch {
      return { ok: false, reason: 'the header is not a JSON object' }
    }
  } else {
    fields = {}
    for (const pair of line.slice(CSV_TAG.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=')
      if (eq > 0) fields[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1))
    }
    if (fields.version !== undefined) fields.version = Number(fields.version)
    if (typeof fields.seed === 'string')
      fields.seed = fields.seed === '' ? null : Number(fields.seed)
  }
  if (fields.version !== RECORDING_VERSION) {
    return {
      ok: false,
      reason: `recording version ${String(fields.version)} is not ${RECORDING_VERSION}`
    }
  }
  const text = (key: string): string =>
    typeof fields[key] === 'string' ? (fields[key] as string) : ''
  const seed = fields.seed
  return {
    ok: true,
    header: {
      run: text('run'),
      server: text('server'),
      seed: typeof seed === 'number' && Number.isInteger(seed) ? seed : null,
      source: text('source'),
      startedAt: text('startedAt')
    }
  }
}

/** Reads one sample line of a recording; a reason when it is not a valid one. */
export function parseSampleLine(
  format: RecordingFormat,
  line: string
): { ok: true; sample: RecordedSample } | { ok: false; reason: string } {
  let seq: unknown
  let time: unknown
  let value: unknown
  let p: unknown
  if (format === 'ndjson') {
    let data: unknown
    try {
      data = JSON.parse(line)
    } catch {
      return { ok: false, reason: 'not a JSON object' }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return { ok: false, reason: 'not a JSON object' }
    }
    ;({ seq, time, value, p } = data as Record<string, unknown>)
  } else {
    const cells = line.split(',')
    if (cells.length !== 4)
      return { ok: false, reason: `expected 4 columns (${CSV_COLUMNS}), got ${cells.length}` }
    const [s, t, v, q] = cells as [string, string, string, string]
    seq = numberCell(s)
    time = numberCell(t)
    value = numberCell(v)
    p = q.trim() === '' ? null : numberCell(q)
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return { ok: false, reason: 'seq must be a positive whole number' }
  }
  if (typeof time !== 'number' || !Number.isFinite(time))
    return { ok: false, reason: 'time must be a number' }
  if (value !== 0 && value !== 1) return { ok: false, reason: 'value must be 0 or 1' }
  if (p !== null && p !== undefined && (typeof p !== 'number' || !(p >= 0 && p <= 1))) {
    return { ok: false, reason: 'p must be empty or a number from 0 to 1' }
  }
  return { ok: true, sample: { seq, timeMs: time, value, p: typeof p === 'number' ? p : null } }
}

function numberCell(cell: string): number | string {
  const trimmed = cell.trim()
  return trimmed !== '' && /^[-+0-9.eE]+$/.test(trimmed) ? Number(trimmed) : cell
}

function csvHeaderValue(value: string | number | null): string {
  return value === null ? '' : encodeURIComponent(String(value))
}
