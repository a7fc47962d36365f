import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeHeader, encodeSamples } from '../../../src/shared/recording/recording-format'
import {
  describeSampleFileProblem,
  parseSampleText,
  readSampleFile,
  type SampleFileOptions
} from '../../../src/main/sources/sample-file'
import { parseCsvValue, pickCsvColumn, splitCsvLine } from '../../../src/main/sources/sample-lines'

const FAIL: SampleFileOptions = { source: 'f', badLines: 'fail' }
const SKIP: SampleFileOptions = { source: 'f', badLines: 'skip' }
const HEADER = { run: 'r', server: 's', seed: 3, source: 'sampler', startedAt: 'now' }

function values(text: string, options: SampleFileOptions = FAIL): number[] {
  const parsed = parseSampleText(text, options)
  if (!parsed.ok) throw new Error(describeSampleFileProblem(parsed.problem))
  return Array.from(parsed.file.values)
}

describe('parseSampleText', () => {
  it('reads 0/1 lines, with blank lines, comments, CRLF and no final newline', () => {
    expect(values('1\n0\r\n\n# a comment\n 1 \n0')).toEqual([1, 0, 1, 0])
    const parsed = parseSampleText('0\n1\n', FAIL)
    expect(parsed.ok && parsed.file).toMatchObject({
      dialect: 'bits',
      firstSeq: 1,
      timesMs: null,
      p: null
    })
  })

  it('reports a bad line with its number, then skips it or refuses the file', () => {
    const text = '1\n0\nx\n1\n2\n'
    expect(parseSampleText(text, FAIL)).toEqual({
      ok: false,
      problem: { source: 'f', line: 3, reason: 'expected 0 or 1, got "x"' }
    })
    const skipped = parseSampleText(text, SKIP)
    expect(skipped.ok && skipped.file).toMatchObject({
      badLineCount: 2,
      badLines: [
        { line: 3, reason: 'expected 0 or 1, got "x"' },
        { line: 5, reason: 'expected 0 or 1, got "2"' }
      ]
    })
    expect(values(text, SKIP)).toEqual([1, 0, 1])
  })

  it('reads a CSV column by name, by number, or the "value" column', () => {
    const csv = 'time,flag,"note, quoted"\n1,1,a\n2,0,"b, c"\n3,1.0,d\n'
    expect(values(csv, { ...FAIL, column: 'flag' })).toEqual([1, 0, 1])
    expect(values(csv, { ...FAIL, column: '2' })).toEqual([1, 0, 1])
    expect(values('id,value\n1,0\n2,1\n')).toEqual([0, 1])
    expect(values('outcome\n0\n1\n')).toEqual([0, 1])
    expect(parseSampleText(csv, FAIL)).toMatchObject({
      ok: false,
      problem: {
        line: 1,
        reason: expect.stringContaining('pick the column of 0/1 values with --column')
      }
    })
    expect(parseSampleText(csv, { ...FAIL, column: 'nope' })).toMatchObject({
      ok: false,
      problem: { reason: expect.stringContaining('no column named "nope"') }
    })
    expect(parseSampleText(csv, { ...FAIL, column: 'time' })).toMatchObject({
      ok: false,
      problem: { line: 3, reason: 'column 1 must be 0 or 1, got "2"' }
    })
  })

  it.each(['ndjson', 'csv'] as const)(
    'reads a %s recording with its header, seqs, times and p',
    (format) => {
      const text =
        encodeHeader(format, HEADER) +
        encodeSamples(format, 5, [1, 0], [10, 20], 0.4) +
        encodeSamples(format, 7, [1], [30], null)
      const parsed = parseSampleText(text, FAIL)
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) return
      expect(parsed.file).toMatchObject({
        dialect: 'recording',
        header: HEADER,
        firstSeq: 5,
        incompleteLastLine: false
      })
      expect(Array.from(parsed.file.values)).toEqual([1, 0, 1])
      expect(Array.from(parsed.file.timesMs!)).toEqual([10, 20, 30])
      expect(Array.from(parsed.file.p!)).toEqual([0.4, 0.4, Number.NaN])
    }
  )

  it('ignores a recording’s partial last line, even one that would parse', () => {
    const full = encodeHeader('csv', HEADER) + encodeSamples('csv', 1, [1, 1], [1, 2], 0.72)
    const cut = full.slice(0, -2) // "2,2,1,0.7": parses, but p was cut
    const parsed = parseSampleText(cut, FAIL)
    expect(parsed.ok && parsed.file).toMatchObject({ incompleteLastLine: true })
    expect(values(cut)).toEqual([1])
  })

  it('refuses a recording whose sequence numbers jump, or numbers on with skip', () => {
    const text =
      encodeHeader('ndjson', HEADER) +
      encodeSamples('ndjson', 1, [1, 0], [1, 2], 0.5) +
      encodeSamples('ndjson', 9, [1], [3], 0.5)
    expect(parseSampleText(text, FAIL)).toMatchObject({
      ok: false,
      problem: { line: 4, reason: expect.stringContaining('seq 9 where 3 was expected') }
    })
    expect(values(text, SKIP)).toEqual([1, 0, 1])
  })

  it('refuses empty files, bad headers and a CSV recording without its columns', () => {
    expect(parseSampleText('\n\n', FAIL)).toMatchObject({
      ok: false,
      problem: { reason: 'holds no samples' }
    })
    expect(parseSampleText('x\n', SKIP)).toMatchObject({
      ok: false,
      problem: { reason: 'holds no samples (read as CSV: line 1 taken for its header)' }
    })
    expect(parseSampleText('v\nx\n', SKIP)).toMatchObject({
      ok: false,
      problem: {
        reason: 'holds no valid samples (1 bad lines) (read as CSV: line 1 taken for its header)'
      }
    })
    expect(parseSampleText('{"recording":"bernoulli-stream","version":9}\n', FAIL)).toMatchObject({
      ok: false,
      problem: { line: 1, reason: 'recording version 9 is not 1' }
    })
    expect(parseSampleText('# bernoulli-stream recording version=1\n1,2,1,\n', FAIL)).toMatchObject(
      {
        ok: false,
        problem: { line: 2, reason: 'expected the column header seq,time,value,p' }
      }
    )
  })
})

describe('CSV helpers', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d""e",\r')).toEqual(['a', 'b,c', 'd"e', ''])
  })
  it('picks and reads columns', () => {
    expect(pickCsvColumn(['a', 'b'], '3')).toMatchObject({ ok: false })
    expect(parseCsvValue('1', 2)).toMatchObject({
      ok: false,
      reason: 'has 1 columns, the value is in column 3'
    })
  })
})

describe('readSampleFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sample-file-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a real file and names it in problems', async () => {
    const path = join(dir, 'bits.txt')
    await writeFile(path, '1\n1\n0\n')
    const ok = await readSampleFile(path, { badLines: 'fail' })
    expect(ok.ok && Array.from(ok.file.values)).toEqual([1, 1, 0])
    const missing = await readSampleFile(join(dir, 'none'), { badLines: 'fail' })
    expect(missing).toEqual({
      ok: false,
      problem: { source: join(dir, 'none'), line: null, reason: 'no such file' }
    })
    expect(await readSampleFile(dir, { badLines: 'fail' })).toMatchObject({
      ok: false,
      problem: { reason: 'not a file' }
    })
    await writeFile(path, '1\nbad\n')
    const bad = await readSampleFile(path, { badLines: 'fail' })
    expect(!bad.ok && describeSampleFileProblem(bad.problem)).toBe(
      `${path}:2: expected 0 or 1, got "bad"`
    )
  })
})
