import { describe, expect, it } from 'vitest'
import { encodeHeader, encodeSamples } from '../../../src/shared/recording/recording-format'
import {
  FileReplay,
  MAX_REPLAY_BATCH,
  type ReplayBatch
} from '../../../src/main/sources/file-replay'
import { parseSampleText, type SampleFile } from '../../../src/main/sources/sample-file'
import { FakeClock } from '../../support/fake-clock'

function file(text: string): SampleFile {
  const parsed = parseSampleText(text, { source: 't', badLines: 'fail' })
  if (!parsed.ok) throw new Error(parsed.problem.reason)
  return parsed.file
}

const HEADER = { run: 'r', server: 's', seed: 1, source: 'sampler', startedAt: 'x' }
// Recorded at 100 ms, then a 1 s pause, then p changes.
const RECORDING =
  encodeHeader('ndjson', HEADER) +
  encodeSamples('ndjson', 41, [1, 0, 1], [5000, 5100, 5200], 0.7) +
  encodeSamples('ndjson', 44, [0, 0], [6200, 6300], 0.2)

function play(sample: SampleFile, speed: number, intervalMs = 100) {
  const clock = new FakeClock()
  const batches: Array<ReplayBatch & { atMs: number }> = []
  let ended = 0
  const replay = new FileReplay({
    file: sample,
    clock,
    speed,
    intervalMs,
    onSamples: (batch) => batches.push({ ...batch, atMs: clock.nowMs }),
    onEnd: () => ended++
  })
  return { clock, batches, replay, ended: () => ended }
}

describe('FileReplay', () => {
  it('plays a recording at its original pace with its own sequence numbers and p', () => {
    const { clock, batches, replay, ended } = play(file(RECORDING), 1)
    replay.start()
    clock.advance(2000)
    expect(batches.map((b) => [b.atMs, b.firstSeq, b.values, b.p])).toEqual([
      [1, 41, [1], 0.7],
      [100, 42, [0], 0.7],
      [200, 43, [1], 0.7],
      [1200, 44, [0], 0.2],
      [1300, 45, [0], 0.2]
    ])
    // Times are the due times of this replay, on the epoch clock.
    expect(batches[1]!.timesMs).toEqual([clock.epochBaseMs + 100])
    expect(ended()).toBe(1)
    expect(replay.status()).toMatchObject({
      done: true,
      running: false,
      played: 5,
      total: 5,
      nextSeq: 46
    })
  })

  it('plays K times faster with --speed', () => {
    const { clock, batches, replay } = play(file(RECORDING), 10)
    replay.start()
    clock.advance(200)
    expect(batches.map((b) => [b.atMs, b.firstSeq])).toEqual([
      [1, 41],
      [10, 42],
      [20, 43],
      [120, 44],
      [130, 45]
    ])
  })

  it('paces files without times at the interval, numbered from 1', () => {
    const { clock, batches, replay } = play(file('1\n0\n1\n1\n'), 2, 50)
    replay.start()
    clock.advance(100)
    expect(batches.map((b) => [b.atMs, b.firstSeq, b.values, b.p])).toEqual([
      [1, 1, [1], null],
      [25, 2, [0], null],
      [50, 3, [1], null],
      [75, 4, [1], null]
    ])
  })

  it('pauses and resumes where it was, keeping the gap to the next sample', () => {
    const { clock, batches, replay } = play(file('1\n0\n1\n'), 1, 100)
    replay.start()
    clock.advance(150)
    replay.stop()
    expect(batches).toHaveLength(2)
    clock.advance(10_000)
    expect(batches).toHaveLength(2)
    replay.start()
    clock.advance(99)
    expect(batches).toHaveLength(2)
    clock.advance(1)
    expect(batches.map((b) => b.firstSeq)).toEqual([1, 2, 3])
    expect(replay.status().done).toBe(true)
  })

  it('never skips: a fast replay goes out in bounded batches, all of it', () => {
    const n = MAX_REPLAY_BATCH * 3 + 5
    const { clock, batches, replay } = play(
      file(Array.from({ length: n }, (_, i) => i % 2).join('\n')),
      1_000_000,
      1
    )
    replay.start()
    clock.advance(10)
    expect(batches.every((b) => b.values.length <= MAX_REPLAY_BATCH)).toBe(true)
    expect(batches.reduce((sum, b) => sum + b.values.length, 0)).toBe(n)
    const seqs = batches.map((b) => b.firstSeq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  })

  it('refuses impossible speeds', () => {
    expect(() => play(file('1\n'), 0)).toThrow(RangeError)
    expect(() => play(file('1\n'), 2e6)).toThrow(RangeError)
  })
})
