import { describe, expect, it } from 'vitest'
import {
  buildDensityFrame,
  densityRange,
  massWindows
} from '../../../src/renderer/src/charts/density-frame'
import { buildEstimateFrame, xRange } from '../../../src/renderer/src/charts/estimate-frame'
import { readPosteriors } from '../../../src/renderer/src/charts/panel-frame'
import { PosteriorEngine } from '../../../src/renderer/src/posterior/posterior-engine'
import { stateOf } from '../helpers/fake-stream'

const newEngine = (): PosteriorEngine =>
  new PosteriorEngine({
    prior: { alpha: 2, beta: 2 },
    windowSize: 200,
    forgetting: 0.995,
    now: () => 0
  })

/** An engine that saw `before` samples at p ≈ 0.72, then p change to 0.2 and `after` samples. */
function changedEngine(before: number, after: number) {
  const engine = newEngine()
  engine.addChange({ kind: 'joined', state: stateOf({ p: 0.72, nextSeq: 1 }), afterSeq: 0 }, 1)
  const values = (n: number, every: number) =>
    Array.from(
      { length: n },
      (_, i) => (i % every < every * (every === 25 ? 0.72 : 0.2) ? 1 : 0) as 0 | 1
    )
  engine.addSamples(1, values(before, 25), new Array(before).fill(1e12), 0)
  engine.addChange({ kind: 'p', p: 0.2, previous: 0.72 }, before + 1)
  engine.addSamples(before + 1, values(after, 5), new Array(after).fill(1e12), 0)
  return engine
}

describe('density frame', () => {
  it('follows the mass once the posterior is narrow, keeping the true p in view; full on request', () => {
    const steady = readPosteriors(changedEngine(5000, 0), 'window')
    const range = densityRange(massWindows(steady), 0.72, 'mass')
    expect(range.zoomed).toBe(true)
    expect(range.to - range.from).toBeLessThan(0.5)
    expect(range.from).toBeLessThan(steady.tracking!.summary.interval.lower)
    expect(range.to).toBeGreaterThan(steady.tracking!.summary.interval.upper)
    // The true p far from the mass stays in view.
    const far = densityRange(massWindows(readPosteriors(changedEngine(5000, 0), null)), 0.6, 'mass')
    expect(far.from).toBeLessThanOrEqual(0.6)
    expect(densityRange(massWindows(steady), 0.72, 'full')).toEqual({
      from: 0,
      to: 1,
      zoomed: false
    })
    // Lagging full memory (≈ 0.68) and a tracking posterior at 0.2 are too far apart to zoom.
    const changed = readPosteriors(changedEngine(5000, 400), 'window')
    expect(densityRange(massWindows(changed), 0.2, 'mass').zoomed).toBe(false)
    // A wide posterior (the prior alone) is shown whole.
    const fresh = newEngine()
    expect(densityRange(massWindows(readPosteriors(fresh, null)), 0.72, 'mass').zoomed).toBe(false)
  })

  it('draws both posteriors, their intervals and the prior on one range', () => {
    const engine = changedEngine(5000, 0)
    const frame = buildDensityFrame(
      readPosteriors(engine, 'forgetting'),
      engine.prior,
      0.72,
      'mass'
    )
    expect(frame.zoomed).toBe(true)
    expect(frame.tracking?.kind).toBe('forgetting')
    for (const curve of [frame.full.curve, frame.tracking!.curve, frame.prior]) {
      expect(curve[0]!.x).toBe(frame.from)
      expect(curve.at(-1)!.x).toBe(frame.to)
      expect(curve.every((p) => p.y >= 0 && p.y <= 1)).toBe(true)
    }
    expect(frame.full.band[0]!.x).toBeCloseTo(frame.full.interval.lower, 12)
    // The prior is relative to its own peak at 0.5, so it is below 1 in a zoom away from 0.5.
    expect(Math.max(...frame.prior.map((p) => p.y))).toBeLessThan(1)
  })
})

describe('estimate frame', () => {
  it('log n keeps the change at n = 5000 readable and ends in the present', () => {
    const engine = changedEngine(5000, 1000)
    const readings = readPosteriors(engine, 'window')
    engine.history.fillBands('log', ['all', 'window'], 10_000, () => ({ lower: 0.1, upper: 0.9 }))
    const frame = buildEstimateFrame({
      history: engine.history,
      scale: 'log',
      readings,
      trials: engine.trials,
      pSteps: engine.timeline.pSteps,
      marks: engine.timeline.marks,
      trueP: 0.2,
      bandsPending: 0
    })
    expect(frame.x).toEqual({ min: 1, max: 6000 })
    expect(frame.full.mean[0]!.x).toBe(1)
    expect(frame.full.mean.at(-1)).toEqual({ x: 6000, y: readings.full.summary.mean })
    expect(frame.tracking!.mean.at(-1)!.y).toBe(readings.tracking!.summary.mean)
    // The true p as steps: 0.72 up to 5000, then 0.2 to the present.
    expect(frame.truth).toEqual([
      { x: 1, y: 0.72 },
      { x: 5000, y: 0.72 },
      { x: 5000, y: 0.2 },
      { x: 6000, y: 0.2 }
    ])
    expect(frame.marks.map((m) => [m.x, m.mark.kind])).toEqual([[5000, 'p']])
    expect(frame.y.min).toBeLessThanOrEqual(0.2)
    expect(frame.y.max).toBeGreaterThanOrEqual(0.72)
  })

  it('the window view shows only the last W samples and a y range that follows the bands', () => {
    const engine = changedEngine(50_000, 3000)
    const readings = readPosteriors(engine, 'window')
    engine.history.fillBands('window', ['all', 'window'], 10_000, (a, b) => {
      const mean = a / (a + b)
      return { lower: mean - 0.01, upper: mean + 0.01 }
    })
    const frame = buildEstimateFrame({
      history: engine.history,
      scale: 'window',
      readings,
      trials: engine.trials,
      pSteps: engine.timeline.pSteps,
      marks: engine.timeline.marks,
      trueP: 0.2,
      bandsPending: 0
    })
    expect(frame.x).toEqual({ min: 51_000, max: 53_000 })
    expect(frame.full.mean.filter((p) => p.x >= 51_000).length).toBeGreaterThan(100)
    expect(frame.marks).toEqual([]) // the change at 50 000 is left of the view
    expect(frame.truth[0]).toEqual({ x: 51_000, y: 0.2 })
    // Zoomed in on the part of [0, 1] where the lines are, not all of it.
    expect(frame.y.min).toBeGreaterThan(0.05)
    expect(frame.y.max).toBeLessThan(0.9)
    expect(xRange('window', 100, 2000)).toEqual({ min: 0, max: 2000 })
    expect(xRange('linear', 0, 2000)).toEqual({ min: 0, max: 1 })
  })

  it('marks where the true p becomes known when a page joined a run under way', () => {
    const engine = newEngine()
    engine.addChange({ kind: 'joined', state: stateOf({ p: 0.4, nextSeq: 501 }), afterSeq: 0 }, 501)
    engine.addSamples(1, new Array<0 | 1>(600).fill(0), new Array(600).fill(1e12), 0)
    const frame = buildEstimateFrame({
      history: engine.history,
      scale: 'log',
      readings: readPosteriors(engine, null),
      trials: engine.trials,
      pSteps: engine.timeline.pSteps,
      marks: engine.timeline.marks,
      trueP: 0.4,
      bandsPending: 0
    })
    expect(frame.marks.map((m) => [m.x, m.mark.kind])).toEqual([[500, 'joined']])
    expect(frame.truth[0]).toEqual({ x: 500, y: 0.4 })
  })
})
