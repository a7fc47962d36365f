import { readFile, stat } from 'node:fs/promises'
import {
  CSV_COLUMNS,
  parseHeader,
  parseSampleLine,
  recordingFormatOf,
  type RecordingFormat,
  type RecordingHeader
} from '../../shared/recording/recording-format'
import {
  isIgnorableLine,
  parseBitLine,
  parseCsvValue,
  pickCsvColumn,
  splitCsvLine,
  type BadLine,
  type BadLinePolicy
} from './sample-lines'

/** Largest file `--replay` reads (256 MiB: about six million recorded samples). */
export const MAX_SAMPLE_FILE_BYTES = 256 * 1024 * 1024
/** Bad lines kept for the report; the rest are only counted. */
export const MAX_REPORTED_BAD_LINES = 20

/** A file's samples, numbered consecutively from `firstSeq`. */
export interface SampleFile {
  /** `recording`: our NDJSON or CSV; `bits`: one `0`/`1` a line; `csv`: one column of a CSV. */
  dialect: 'recording' | 'bits' | 'csv'
  /** The recording's header; null for other dialects. */
  header: RecordingHeader | null
  firstSeq: number
  values: Uint8Array
  /** Recorded times (epoch ms); null when the file has none. */
  timesMs: Float64Array | null
  /** The p each sample was drawn with; NaN where unknown; null when the file has none. */
  p: Float64Array | null
  /** Bad lines skipped (the first {@link MAX_REPORTED_BAD_LINES}), see `badLineCount`. */
  badLines: BadLine[]
  badLineCount: number
  /** A recording ended in a partial line (cut by a crash); it was ignored. */
  incompleteLastLine: boolean
}

/** Options of {@link parseSampleText}. */
export interface SampleFileOptions {
  /** Named in problems: the file's path. */
  source: string
  badLines: BadLinePolicy
  /** CSV column to read, by name or 1-based number. */
  column?: string
}

/** A refusal: the file, the line (when a line is at fault) and why. */
export interface SampleFileProblem {
  source: string
  line: number | null
  reason: string
}

export type SampleFileCheck =
  { ok: true; file: SampleFile } | { ok: false; problem: SampleFileProblem }

/** `file:line: reason`. */
export function describeSampleFileProblem(problem: SampleFileProblem): string {
  return `${problem.source}${problem.line === null ? '' : `:${problem.line}`}: ${problem.reason}`
}

/**
 * Reads a whole sample file: a recording (NDJSON or CSV, recognised by its header), a file of
 * `0`/`1` lines, or a CSV file with a header row (one column read). Blank lines and `#` comments
 * are ignored. A bad line is reported with its number and skipped, or refuses the whole file, as
 * `badLines` says: nothing is half-loaded. Never throws on bad input.
 *
 * A recording's last line without a newline was cut short by a crash (the writer ends every line
 * it writes), so it is ignored, even if it happens to parse: a cut `0.72` reads as `0.7`. In the
 * other dialects a missing final newline is an editor's habit, and the line counts.
 *
 * A recording's sequence numbers must be consecutive. With `skip`, a line that breaks the run is
 * reported and numbered as the next one, so the rest of the file still plays.
 */
export function parseSampleText(text: string, options: SampleFileOptions): SampleFileCheck {
  const lines = text.split('\n')
  const endsComplete = text.endsWith('\n')
  if (endsComplete) lines.pop()
  let first = 0
  while (first < lines.length && lines[first]!.trim() === '') first++
  if (first === lines.length) return refuse(options.source, null, 'holds no samples')
  const firstLine = lines[first]!
  const recording = recordingFormatOf(firstLine)
  const values: number[] = []
  const times: number[] = []
  const ps: number[] = []
  const bad: BadLine[] = []
  let badCount = 0
  let problem: SampleFileProblem | null = null
  const badLine = (index: number, reason: string): boolean => {
    if (options.badLines === 'fail') {
      problem = { source: options.source, line: index + 1, reason }
      return false
    }
    badCount++
    if (bad.length < MAX_REPORTED_BAD_LINES) bad.push({ line: index + 1, reason })
    return true
  }

  let header: RecordingHeader | null = null
  let firstSeq = 1
  let dialect: SampleFile['dialect']
  let incompleteLastLine = false
  if (recording) {
    dialect = 'recording'
    const parsed = parseHeader(recording, firstLine)
    if (!parsed.ok) return refuse(options.source, first + 1, parsed.reason)
    header = parsed.header
    let start = first + 1
    if (recording === 'csv') {
      if (lines[start]?.replace(/\r$/, '') !== CSV_COLUMNS) {
        return refuse(options.source, start + 1, `expected the column header ${CSV_COLUMNS}`)
      }
      start++
    }
    let end = lines.length
    if (!endsComplete && end > start) {
      incompleteLastLine = lines[end - 1]!.trim() !== ''
      end--
    }
    if (
      !readRecordingLines(
        lines,
        start,
        end,
        recording,
        values,
        times,
        ps,
        badLine,
        (seq) => (firstSeq = seq)
      )
    ) {
      return { ok: false, problem: problem! }
    }
  } else if (parseBitLine(firstLine).ok) {
    dialect = 'bits'
    for (let i = first; i < lines.length; i++) {
      const line = lines[i]!
      if (isIgnorableLine(line)) continue
      const parsed = parseBitLine(line)
      if (parsed.ok) values.push(parsed.value)
      else if (!badLine(i, parsed.reason)) return { ok: false, problem: problem! }
    }
  } else {
    dialect = 'csv'
    const column = pickCsvColumn(splitCsvLine(firstLine), options.column)
    if (!column.ok) return refuse(options.source, first + 1, column.reason)
    for (let i = first + 1; i < lines.length; i++) {
      const line = lines[i]!
      if (isIgnorableLine(line)) continue
      const parsed = parseCsvValue(line, column.index)
      if (parsed.ok) values.push(parsed.value)
      else if (!badLine(i, parsed.reason)) return { ok: false, problem: problem! }
    }
  }
  if (values.length === 0) {
    const read = dialect === 'csv' ? ` (read as CSV: line ${first + 1} taken for its header)` : ''
    return refuse(
      options.source,
      null,
      badCount > 0
        ? `holds no valid samples (${badCount} bad lines)${read}`
        : `holds no samples${read}`
    )
  }
  return {
    ok: true,
    file: {
      dialect,
      header,
      firstSeq,
      values: Uint8Array.from(values),
      timesMs: dialect === 'recording' ? Float64Array.from(times) : null,
      p: dialect === 'recording' ? Float64Array.from(ps) : null,
      badLines: bad,
      badLineCount: badCount,
      incompleteLastLine
    }
  }
}

function readRecordingLines(
  lines: string[],
  start: number,
  end: number,
  format: RecordingFormat,
  values: number[],
  times: number[],
  ps: number[],
  badLine: (index: number, reason: string) => boolean,
  setFirstSeq: (seq: number) => void
): boolean {
  let expected: number | null = null
  for (let i = start; i < end; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.trim() === '') continue
    const parsed = parseSampleLine(format, line)
    if (!parsed.ok) {
      if (!badLine(i, parsed.reason)) return false
      continue
    }
    const { seq, timeMs, value, p } = parsed.sample
    if (expected === null) {
      expected = seq
      setFirstSeq(seq)
    } else if (seq !== expected) {
      // Reported; with "skip" the sample still plays, numbered as the next one.
      if (
        !badLine(
          i,
          `seq ${seq} where ${expected} was expected (a recording's sequence numbers are consecutive)`
        )
      ) {
        return false
      }
    }
    values.push(value)
    times.push(timeMs)
    ps.push(p ?? Number.NaN)
    expected++
  }
  return true
}

function refuse(source: string, line: number | null, reason: string): SampleFileCheck {
  return { ok: false, problem: { source, line, reason } }
}

/** Reads and parses a sample file; resolves to the samples or the problem, never rejects. */
export async function readSampleFile(
  path: string,
  options: Omit<SampleFileOptions, 'source'>
): Promise<SampleFileCheck> {
  try {
    const info = await stat(path)
    if (!info.isFile()) return refuse(path, null, 'not a file')
    if (info.size > MAX_SAMPLE_FILE_BYTES) {
      return refuse(path, null, `larger than ${MAX_SAMPLE_FILE_BYTES / 1024 / 1024} MiB`)
    }
    return parseSampleText(await readFile(path, 'utf8'), { ...options, source: path })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return refuse(
      path,
      null,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`
    )
  }
}
