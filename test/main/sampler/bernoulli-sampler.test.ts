import { describe, expect, it } from 'vitest'
import { BernoulliSampler } from '../../../src/main/sampler/bernoulli-sampler'
import type { DrawnBatch, SampleBatch } from '../../../src/main/sampler/sample-source'
import { FakeClock } from '../../support/fake-clock'

function setup(
  options: { p?: number; intervalMs?: number; seed?: number; maxCatchUpMs?: number } = {}
) {
  const clock = new FakeClock()
  const batches: SampleBatch[] = []
  const sampler = new BernoulliSampler({
    clock,
    seed: options.seed ?? 42,
    onSamples: (batch) => batches.push(batch),
    p: options.p,
    intervalMs: options.intervalMs,
    maxCatchUpMs: options.maxCatchUpMs
  })
  const samples = () =>
    batches.flatMap((b) =>
      b.values.map((value, i) => ({ seq: b.firstSeq + i, value, timeMs: b.timesMs[i]! }))
    )
  return { clock, sampler, batches, samples }
}

describe('BernoulliSampler statistics', () => {
  it.each([0, 0.01, 0.5, 0.72, 1])(
    'p = %s: frequency within 4 standard errors over 100 000 draws',
    (p) => {
      const { clock, sampler, samples } = setup({ p, intervalMs: 1, seed: 1234 })
      sampler.start()
      clock.advance(100_000)
      const all = samples()
      expect(all).toHaveLength(100_000)
      const ones = all.reduce((sum, s) => sum + s.value, 0)
      const frequency = ones / all.length
      const standardError = Math.sqrt((p * (1 - p)) / all.length)
      if (p === 0 || p === 1) expect(frequency).toBe(p)
      else expect(Math.abs(frequency - p)).toBeLessThan(4 * standardError)
    }
  )

  it('is reproducible with a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const { clock, sampler, samples } = setup({ seed, intervalMs: 1, p: 0.5 })
      sampler.start()
      clock.advance(200)
      return samples()
        .map((s) => s.value)
        .join('')
    }
    expect(draw(7)).toBe(draw(7))
    expect(draw(7)).not.toBe(draw(8))
  })
})

describe('BernoulliSampler schedule', () => {
  it('uses the reference defaults: p = 0.72, 100 ms', () => {
    const { sampler } = setup()
    expect(sampler.status()).toMatchObject({ p: 0.72, intervalMs: 100, running: false, lastSeq: 0 })
  })

  it('draws the first sample one interval after start, stamped with its due time', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 100 })
    sampler.start()
    clock.advance(99)
    expect(samples()).toHaveLength(0)
    clock.advance(1)
    expect(samples()).toEqual([
      { seq: 1, value: expect.any(Number), timeMs: clock.epochBaseMs + 100 }
    ])
  })

  it('does not drift over 10 minutes at 100 ms with timers firing up to 40 ms late', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 100 })
    let state = 1
    clock.lateness = () => {
      state = (state * 48271) % 2147483647
      return (state / 2147483647) * 40
    }
    sampler.start()
    clock.advance(600_000)
    const count = samples().length
    expect(Math.abs(count - 6000)).toBeLessThanOrEqual(1)
    expect(clock.pendingTimers).toBe(1)
  })

  it('delivers 1000 samples/s at 1 ms when every timer fires 1–4 ms late, in batches, one timer at a time', () => {
    const { clock, sampler, samples, batches } = setup({ intervalMs: 1 })
    let i = 0
    clock.lateness = () => 1 + (i++ % 4)
    sampler.start()
    clock.advance(60_000)
    const all = samples()
    expect(Math.abs(all.length - 60_000)).toBeLessThanOrEqual(5)
    expect(batches.some((b) => b.values.length > 1)).toBe(true)
    expect(clock.pendingTimers).toBe(1)
    // Every sample keeps its own sequence number and due time, even inside a batch.
    all.forEach((s, index) => {
      expect(s.seq).toBe(index + 1)
      expect(s.timeMs).toBe(clock.epochBaseMs + index + 1)
    })
  })

  it('applies a new p from the next sample on, without restarting', () => {
    const { clock, sampler, samples } = setup({ p: 0, intervalMs: 10 })
    sampler.start()
    clock.advance(1000)
    sampler.setP(1)
    clock.advance(1000)
    const all = samples()
    expect(all.slice(0, 100).every((s) => s.value === 0)).toBe(true)
    expect(all.slice(100).every((s) => s.value === 1)).toBe(true)
    expect(all.map((s) => s.seq)).toEqual(Array.from({ length: 200 }, (_, k) => k + 1))
  })

  it('applies a new interval one new interval after the last sample', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 100 })
    sampler.start()
    clock.advance(1005)
    expect(samples()).toHaveLength(10)
    sampler.setIntervalMs(10)
    clock.advance(45)
    // Last sample at 1000 ms: the next ones are due at 1010, 1020, … 1050.
    expect(
      samples()
        .slice(10)
        .map((s) => s.timeMs - clock.epochBaseMs)
    ).toEqual([1010, 1020, 1030, 1040, 1050])
    expect(sampler.status().lastSeq).toBe(15)
  })

  it('when last sample + new interval has already passed, the next sample is due now, not in the past', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 100 })
    sampler.start()
    clock.advance(1050)
    sampler.setIntervalMs(10)
    clock.advance(50)
    expect(
      samples()
        .slice(10)
        .map((s) => s.timeMs - clock.epochBaseMs)
    ).toEqual([1050, 1060, 1070, 1080, 1090, 1100])
  })

  it('shortening the interval after a long quiet spell does not flood owed samples', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 60_000 })
    sampler.start()
    clock.advance(30_000)
    sampler.setIntervalMs(1)
    clock.advance(10)
    expect(samples().length).toBeLessThanOrEqual(11)
    expect(samples().length).toBeGreaterThanOrEqual(9)
  })

  it('stop halts the stream and start resumes it with continuous sequence numbers', () => {
    const { clock, sampler, samples } = setup({ intervalMs: 10 })
    sampler.start()
    clock.advance(100)
    sampler.stop()
    expect(clock.pendingTimers).toBe(0)
    clock.advance(1000)
    expect(samples()).toHaveLength(10)
    sampler.start()
    sampler.start()
    clock.advance(100)
    expect(samples().map((s) => s.seq)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
    expect(sampler.status()).toMatchObject({ running: true, samplesDrawn: 20, lastSeq: 20 })
    sampler.stop()
    sampler.stop()
    expect(sampler.status().running).toBe(false)
  })

  it('after a stall longer than maxCatchUpMs, skips the oldest owed samples and counts them', () => {
    const { clock, sampler, batches } = setup({ intervalMs: 1, maxCatchUpMs: 1000 })
    sampler.start()
    clock.lateness = () => 0
    clock.advance(10)
    clock.lateness = () => 60_000
    clock.advance(70_000)
    expect(batches.every((b) => b.values.length <= 1000)).toBe(true)
    expect(sampler.status().samplesSkipped).toBeGreaterThan(50_000)
  })
})

describe('BernoulliSampler validation', () => {
  it.each([NaN, -0.01, 1.01, Infinity, '0.5' as unknown as number])(
    'refuses p = %s and keeps the old one',
    (bad) => {
      const { sampler } = setup({ p: 0.3 })
      expect(() => sampler.setP(bad)).toThrow(expect.objectContaining({ code: 'E_INVALID_P' }))
      expect(sampler.status().p).toBe(0.3)
    }
  )

  it.each([0, 0.5, -1, 60_001, NaN, Infinity, '100' as unknown as number])(
    'refuses interval = %s and keeps the old one',
    (bad) => {
      const { clock, sampler, samples } = setup({ intervalMs: 100 })
      sampler.start()
      expect(() => sampler.setIntervalMs(bad)).toThrow(
        expect.objectContaining({ code: 'E_INVALID_INTERVAL' })
      )
      clock.advance(1000)
      expect(sampler.status().intervalMs).toBe(100)
      expect(samples()).toHaveLength(10)
    }
  )

  it('accepts the range ends', () => {
    const { sampler } = setup()
    sampler.setP(0)
    sampler.setP(1)
    sampler.setIntervalMs(1)
    sampler.setIntervalMs(60_000)
    expect(sampler.status()).toMatchObject({ p: 1, intervalMs: 60_000 })
  })

  it('refuses a bad seed', () => {
    for (const seed of [0, 1.5, 2 ** 32]) expect(() => setup({ seed })).toThrow(RangeError)
    expect(() => setup().sampler.reseed(0)).toThrow(RangeError)
  })
})

describe('BernoulliSampler batches', () => {
  it('carry the interval they were drawn at', () => {
    const { clock, sampler, batches } = setup({ intervalMs: 10 })
    sampler.start()
    clock.advance(20)
    sampler.setIntervalMs(5)
    clock.advance(10)
    expect(batches.map((b) => (b as DrawnBatch).intervalMs)).toEqual([10, 10, 5, 5])
  })
})

describe('BernoulliSampler step mode', () => {
  it('draws exactly count samples now, numbered on, timestamped now', () => {
    const { clock, sampler, batches, samples } = setup({ intervalMs: 100, p: 1 })
    sampler.start()
    clock.advance(200)
    sampler.stop()
    clock.advance(1234)
    sampler.draw(3)
    expect(batches.at(-1)).toEqual({
      firstSeq: 3,
      values: [1, 1, 1],
      timesMs: Array(3).fill(clock.epochMs()),
      intervalMs: 100,
      p: 1
    })
    sampler.draw(1)
    expect(samples().map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(sampler.status()).toMatchObject({ samplesDrawn: 6, lastSeq: 6, running: false })
    // The schedule starts afresh from the next start.
    sampler.start()
    clock.advance(100)
    expect(samples().at(-1)!.seq).toBe(7)
  })

  it('refuses while running (E_RUNNING) and counts outside 1..1000 (E_BAD_MESSAGE)', () => {
    const { sampler } = setup()
    expect(() => sampler.draw(1001)).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    expect(() => sampler.draw(0)).toThrow(expect.objectContaining({ code: 'E_BAD_MESSAGE' }))
    sampler.start()
    expect(() => sampler.draw(1)).toThrow(expect.objectContaining({ code: 'E_RUNNING' }))
    expect(sampler.status().samplesDrawn).toBe(0)
  })
})
