import { describe, expect, it } from 'vitest'
import { credibleInterval } from '../../../src/shared/posterior/beta-summary'
import {
  parseHeader,
  parseSampleLine,
  recordingFormatOf
} from '../../../src/shared/recording/recording-format'
import { PosteriorEngine } from '../../../src/renderer/src/posterior/posterior-engine'
import {
  HISTORY_COLUMNS,
  historyCsv,
  samplesFile
} from '../../../src/renderer/src/posterior/page-export'
import { SampleLog } from '../../../src/renderer/src/posterior/sample-log'

const run = { run: 'run-1', server: 'bernoulli-stream/0.1.0', seed: 42, source: 'sampler' }

describe('SampleLog', () => {
  it('keeps the newest samples, oldest first, with their time and p', () => {
    const log = new SampleLog(3)
    for (let seq = 1; seq <= 5; seq++)
      log.push(seq, 1000 + seq, seq % 2 === 0 ? 1 : 0, seq < 5 ? 0.7 : null)
    const seen: unknown[] = []
    log.forEach((s) => seen.push({ ...s }))
    expect(seen).toEqual([
      { seq: 3, time: 1003, value: 0, p: 0.7 },
      { seq: 4, time: 1004, value: 1, p: 0.7 },
      { seq: 5, time: 1005, value: 0, p: null }
    ])
    expect(log.size).toBe(3)
    log.clear()
    expect(log.size).toBe(0)
    expect(() => new SampleLog(0)).toThrow(RangeError)
  })
})

describe('samplesFile', () => {
  for (const format of ['csv', 'ndjson'] as const) {
    it(`writes a ${format} recording the server's reader reads back sample for sample`, () => {
      const log = new SampleLog()
      log.push(7, 1764590400100.25, 1, 0.72)
      log.push(9, 1764590400101.5, 0, null) // 8 was lost: the numbers keep the gap
      const text = samplesFile(format, log, run)
      const lines = text.trimEnd().split('\n')
      expect(recordingFormatOf(lines[0] ?? '')).toBe(format)
      const header = parseHeader(format, lines[0] ?? '')
      expect(header).toEqual({
        ok: true,
        header: { ...run, startedAt: new Date(1764590400100.25).toISOString() }
      })
      const body = format === 'csv' ? lines.slice(2) : lines.slice(1)
      expect(body.map((line) => parseSampleLine(format, line))).toEqual([
        { ok: true, sample: { seq: 7, timeMs: 1764590400100.25, value: 1, p: 0.72 } },
        { ok: true, sample: { seq: 9, timeMs: 1764590400101.5, value: 0, p: null } }
      ])
    })
  }
})

describe('historyCsv', () => {
  it('has one row per history point, by n, with every model’s shape, mean and interval', () => {
    const engine = new PosteriorEngine({
      prior: { alpha: 2, beta: 2 },
      windowSize: 200,
      forgetting: 0.995,
      now: () => 0
    })
    const values = Array.from({ length: 50 }, (_, i) => (i % 4 === 0 ? 0 : 1) as 0 | 1)
    engine.addSamples(
      1,
      values,
      values.map((_, i) => 1e12 + i),
      0
    )
    const csv = historyCsv(engine.history, (a, b) => credibleInterval(a, b))
    const [head, ...rows] = csv.trimEnd().split('\n')
    expect(head).toBe(HISTORY_COLUMNS)
    expect(head).toMatch(/^n,all_alpha,all_beta,all_mean,all_lower95,all_upper95,window_alpha/)
    const ns = rows.map((row) => Number(row.split(',')[0]))
    expect(ns).toEqual([...ns].sort((a, b) => a - b))
    expect(new Set(ns).size).toBe(ns.length)
    expect(ns.at(-1)).toBe(50)
    const last = (rows.at(-1) ?? '').split(',').map(Number)
    const full = engine.shape('all')
    expect(last.slice(1, 3)).toEqual([full.alpha, full.beta])
    expect(last[3]).toBeCloseTo(full.alpha / (full.alpha + full.beta), 12)
    expect(last[4]).toBeCloseTo(credibleInterval(full.alpha, full.beta).lower, 12)
  })
})
