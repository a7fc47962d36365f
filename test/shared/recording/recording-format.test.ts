import { describe, expect, it } from 'vitest'
import {
  encodeHeader,
  encodeSamples,
  formatOfName,
  parseHeader,
  parseSampleLine,
  recordingFormatOf,
  type RecordingHeader
} from '../../../src/shared/recording/recording-format'

const HEADER: RecordingHeader = {
  run: '0123abcd',
  server: 'bernoulli-stream/0.1.0',
  seed: 42,
  source: 'replay my file.csv',
  startedAt: '2026-12-01T12:00:00.000Z'
}

describe('recording format', () => {
  it.each(['ndjson', 'csv'] as const)('round-trips the header and samples in %s', (format) => {
    const header = encodeHeader(format, HEADER)
    const first = header.split('\n')[0]!
    expect(recordingFormatOf(first)).toBe(format)
    expect(parseHeader(format, first)).toEqual({ ok: true, header: HEADER })
    const lines = encodeSamples(format, 7, [1, 0, 1], [1000.25, 1100.5, 1200], 0.72).split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((line) => parseSampleLine(format, line))).toEqual([
      { ok: true, sample: { seq: 7, timeMs: 1000.25, value: 1, p: 0.72 } },
      { ok: true, sample: { seq: 8, timeMs: 1100.5, value: 0, p: 0.72 } },
      { ok: true, sample: { seq: 9, timeMs: 1200, value: 1, p: 0.72 } }
    ])
    const unknownP = encodeSamples(format, 1, [0], [5], null).trimEnd()
    expect(parseSampleLine(format, unknownP)).toEqual({
      ok: true,
      sample: { seq: 1, timeMs: 5, value: 0, p: null }
    })
  })

  it('writes the documented lines', () => {
    expect(encodeHeader('csv', { ...HEADER, seed: null, source: 'sampler' })).toBe(
      '# bernoulli-stream recording version=1 run=0123abcd server=bernoulli-stream%2F0.1.0 seed= source=sampler startedAt=2026-12-01T12%3A00%3A00.000Z\nseq,time,value,p\n'
    )
    expect(encodeSamples('csv', 1, [1], [1.5], 0.3)).toBe('1,1.5,1,0.3\n')
    expect(encodeSamples('ndjson', 1, [1], [1.5], 0.3)).toBe(
      '{"seq":1,"time":1.5,"value":1,"p":0.3}\n'
    )
    expect(JSON.parse(encodeHeader('ndjson', HEADER))).toEqual({
      recording: 'bernoulli-stream',
      version: 1,
      ...HEADER
    })
  })

  it('refuses bad sample lines with a reason', () => {
    const cases: Array<[string, string, string]> = [
      ['ndjson', '{"seq":1,"time":1,"value":2,"p":0.5}', 'value must be 0 or 1'],
      ['ndjson', '{"seq":0,"time":1,"value":1}', 'seq must be'],
      ['ndjson', '{"seq":1,"time":"x","value":1}', 'time must be'],
      ['ndjson', '{"seq":1,"time":1,"value":1,"p":1.5}', 'p must be'],
      ['ndjson', '{"seq":1,"ti', 'not a JSON object'],
      ['ndjson', '[1]', 'not a JSON object'],
      ['csv', '1,2,1', 'expected 4 columns'],
      ['csv', 'a,2,1,', 'seq must be'],
      ['csv', '1,2,x,', 'value must be 0 or 1']
    ]
    for (const [format, line, reason] of cases) {
      const parsed = parseSampleLine(format as 'csv' | 'ndjson', line)
      expect(parsed.ok, line).toBe(false)
      if (!parsed.ok) expect(parsed.reason, line).toContain(reason)
    }
  })

  it('recognises headers and refuses other versions', () => {
    expect(recordingFormatOf('0')).toBeNull()
    expect(recordingFormatOf('{"seq":1}')).toBeNull()
    expect(parseHeader('ndjson', '{"recording":"bernoulli-stream","version":2}')).toEqual({
      ok: false,
      reason: 'recording version 2 is not 1'
    })
    expect(formatOfName('run.CSV')).toBe('csv')
    expect(formatOfName('run.ndjson')).toBe('ndjson')
    expect(formatOfName('run.jsonl')).toBe('ndjson')
  })
})
