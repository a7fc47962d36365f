import { describe, expect, it } from 'vitest'
import { summarizeBeta } from '../../../src/shared/posterior/beta-summary'
import { PosteriorTracker } from '../../../src/renderer/src/state/posterior.svelte'
import { ManualFrames } from '../helpers/fake-stream'

function makeTracker() {
  const frames = new ManualFrames()
  let now = 1_700_000_000_000
  const tracker = new PosteriorTracker({ requestFrame: frames.request, now: () => now })
  return { tracker, frames, advance: (ms: number) => (now += ms) }
}

const times = (n: number, start = 1e12, stepMs = 1) =>
  Array.from({ length: n }, (_, i) => start + i * stepMs)

describe('PosteriorTracker', () => {
  it('starts at the prior Beta(2, 2) with nothing counted', () => {
    const { tracker } = makeTracker()
    expect(tracker.prior).toEqual({ alpha: 2, beta: 2 })
    expect(tracker.snapshot.trials).toBe(0)
    expect(tracker.snapshot.summary.alpha).toBe(2)
    expect(tracker.snapshot.summary.mean).toBe(0.5)
    expect(tracker.density.x.length).toBeGreaterThanOrEqual(200)
  })

  it('accumulates per batch and publishes once per frame', () => {
    const { tracker, frames } = makeTracker()
    tracker.addSamples([1, 1, 0], times(3))
    tracker.addSamples([1, 0], times(2, 2e12))
    // Nothing published yet: the socket handler only counts.
    expect(tracker.snapshot.trials).toBe(0)
    expect(frames.queue).toHaveLength(1)
    expect(frames.run()).toBe(1)
    expect(tracker.snapshot.trials).toBe(5)
    expect(tracker.snapshot.successes).toBe(3)
    expect(tracker.snapshot.summary).toEqual(summarizeBeta(5, 4))
    expect(tracker.frames).toBe(1)
  })

  it('counts only from `from` on (earlier samples were duplicates)', () => {
    const { tracker } = makeTracker()
    tracker.addSamples([1, 1, 1, 0], times(4), 2)
    tracker.addSamples([1], times(1), 1) // nothing fresh
    tracker.flush()
    expect(tracker.snapshot.trials).toBe(2)
    expect(tracker.snapshot.successes).toBe(1)
  })

  it('stays cheap and exact at 1000 samples/s for a minute', () => {
    const { tracker, frames } = makeTracker()
    let ones = 0
    for (let frame = 0; frame < 3600; frame++) {
      // ~17 samples per 60 Hz frame, delivered in batches of 4–5.
      for (let b = 0; b < 4; b++) {
        const values = Array.from(
          { length: frame % 2 === 0 ? 4 : 5 },
          (_, i) => ((frame + b + i) % 3 === 0 ? 1 : 0) as 0 | 1
        )
        ones += values.filter((v) => v === 1).length
        tracker.addSamples(values, times(values.length, 1e12 + frame * 17, 1))
      }
      frames.run()
    }
    expect(tracker.snapshot.successes).toBe(ones)
    expect(tracker.snapshot.trials).toBe(1800 * 16 + 1800 * 20)
    expect(tracker.estimate.points.length).toBeLessThanOrEqual(2001)
  })

  it('draws the true p as steps placed at the sample count of each change', () => {
    const { tracker } = makeTracker()
    tracker.markEvent({ kind: 'p', p: 0.72 })
    tracker.addSamples([1, 0, 1], times(3))
    tracker.markEvent({ kind: 'p', p: 0.3 })
    tracker.markEvent({ kind: 'p', p: 0.3 }) // a repeat (ack + state) is not a change
    tracker.addSamples([0, 0], times(2))
    tracker.flush()
    expect(tracker.estimate.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 3, p: 0.3 },
      { n: 5, p: 0.3 }
    ])
    expect(tracker.log.map((e) => e.text)).toEqual(['p 0.72 → 0.3', 'true p is 0.72'])
  })

  it('marks interval changes, prior changes and gaps on the chart and in the log', () => {
    const { tracker } = makeTracker()
    tracker.addSamples([1], times(1))
    tracker.markEvent({ kind: 'interval', intervalMs: 10 })
    tracker.markEvent({ kind: 'gap', from: 5, to: 9, announced: true })
    tracker.setPrior(1, 1)
    tracker.markEvent({ kind: 'running', running: false })
    tracker.flush()
    expect(tracker.estimate.marks).toEqual([
      { n: 1, kind: 'interval', label: 'interval → 10 ms' },
      { n: 1, kind: 'gap', label: 'samples 5–9 lost (5)' },
      { n: 1, kind: 'prior', label: 'prior → Beta(1, 1)' }
    ])
    expect(tracker.log[0]?.text).toBe('stream stopped')
    expect(tracker.log).toHaveLength(4)
  })

  it('resets the counts and history but keeps the prior and the true p', () => {
    const { tracker } = makeTracker()
    tracker.setPrior(3, 4)
    tracker.markEvent({ kind: 'p', p: 0.6 })
    tracker.addSamples([1, 1, 0, 1], times(4))
    tracker.flush()
    tracker.reset()
    tracker.flush()
    expect(tracker.snapshot.trials).toBe(0)
    expect(tracker.snapshot.successes).toBe(0)
    expect(tracker.prior).toEqual({ alpha: 3, beta: 4 })
    expect(tracker.snapshot.summary.alpha).toBe(3)
    expect(tracker.estimate.points.map((p) => p.n)).toEqual([0])
    expect(tracker.estimate.pSteps).toEqual([
      { n: 0, p: 0.6 },
      { n: 0, p: 0.6 }
    ])
    expect(tracker.log[0]?.kind).toBe('reset')
  })

  it('refuses an invalid prior', () => {
    const { tracker } = makeTracker()
    for (const [a, b] of [
      [0, 1],
      [1, -2],
      [NaN, 1],
      [1, 2e9]
    ] as const) {
      expect(() => tracker.setPrior(a, b)).toThrow(RangeError)
    }
    expect(tracker.prior).toEqual({ alpha: 2, beta: 2 })
  })

  it('zooms the density to the mass on request', () => {
    const { tracker } = makeTracker()
    tracker.addSamples(
      Array.from({ length: 10_000 }, (_, i) => (i % 4 === 0 ? 0 : 1)),
      times(10_000)
    )
    tracker.flush()
    expect(tracker.density.xMin).toBe(0)
    tracker.setZoomed(true)
    tracker.flush()
    expect(tracker.zoomed).toBe(true)
    expect(tracker.density.xMin).toBeGreaterThan(0.7)
    expect(tracker.density.xMax).toBeLessThan(0.8)
  })

  it('reports the rate from sample timestamps', () => {
    const { tracker } = makeTracker()
    tracker.addSamples(
      Array.from({ length: 101 }, () => 1 as const),
      times(101, 1e12, 10)
    )
    tracker.flush()
    expect(tracker.snapshot.rate).toBeCloseTo(100, 6)
  })
})

describe('PosteriorTracker prior persistence', () => {
  it('starts from the prior saved by an earlier session and saves a new one', () => {
    const data = new Map([['bernoulli-stream.prior.v1', '{"alpha":5,"beta":1}']])
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v)
    }
    const frames = new ManualFrames()
    const tracker = new PosteriorTracker({ requestFrame: frames.request, now: () => 0, storage })
    expect(tracker.prior).toEqual({ alpha: 5, beta: 1 })
    tracker.setPrior(3, 4)
    expect(JSON.parse(data.get('bernoulli-stream.prior.v1')!)).toEqual({ alpha: 3, beta: 4 })
    const next = new PosteriorTracker({ requestFrame: frames.request, now: () => 0, storage })
    expect(next.prior).toEqual({ alpha: 3, beta: 4 })
  })

  it('uses Beta(2, 2) when nothing was saved', () => {
    const frames = new ManualFrames()
    const tracker = new PosteriorTracker({
      requestFrame: frames.request,
      now: () => 0,
      storage: null
    })
    expect(tracker.prior).toEqual({ alpha: 2, beta: 2 })
  })
})

describe('PosteriorTracker frame timing', () => {
  it('reports once per frame how long the update and redraw took', async () => {
    const frames = new ManualFrames()
    const reported: number[] = []
    const tracker = new PosteriorTracker({
      requestFrame: frames.request,
      now: () => 0,
      onFrameWork: (ms) => reported.push(ms)
    })
    tracker.addSamples([1, 0, 1], [1, 2, 3])
    tracker.addSamples([1], [4])
    frames.run()
    await Promise.resolve()
    expect(reported).toHaveLength(1)
    expect(reported[0]).toBeGreaterThanOrEqual(0)
  })
})

describe('PosteriorTracker with a frame clock (staggered charts)', () => {
  it('at back-to-back frames updates one chart per frame, and both are current once data stops', () => {
    const frames = new ManualFrames()
    let clock = 0
    const tracker = new PosteriorTracker({
      requestFrame: frames.request,
      now: () => 0,
      frameClock: () => clock
    })
    tracker.addSamples([1], [1])
    frames.run()
    const density0 = tracker.density
    const estimate0 = tracker.estimate
    clock += 16
    tracker.addSamples([0], [2])
    frames.run()
    const changed1 = [tracker.density !== density0, tracker.estimate !== estimate0]
    expect(changed1.filter(Boolean)).toHaveLength(1)
    // The skipped chart catches up on the next frame without new data.
    clock += 16
    expect(frames.run()).toBe(1)
    expect(tracker.density).not.toBe(density0)
    expect(tracker.estimate).not.toBe(estimate0)
    expect(tracker.estimate.points.at(-1)?.n).toBe(2)
    // Then nothing more is scheduled.
    clock += 16
    expect(frames.run()).toBe(0)
  })
})
