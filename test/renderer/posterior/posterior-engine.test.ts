import { describe, expect, it } from 'vitest'
import { HISTORY_CAPACITY } from '../../../src/renderer/src/posterior/estimate-history'
import { PosteriorEngine } from '../../../src/renderer/src/posterior/posterior-engine'
import { stateOf } from '../helpers/fake-stream'

function makeEngine() {
  const engine = new PosteriorEngine({
    prior: { alpha: 2, beta: 2 },
    windowSize: 200,
    forgetting: 0.995,
    now: () => 0
  })
  let changes = 0
  engine.onChange(() => changes++)
  return { engine, changes: () => changes }
}

const times = (n: number) => Array.from({ length: n }, (_, i) => 1e12 + i)

describe('PosteriorEngine', () => {
  it('counts only the fresh part of a batch, into every model', () => {
    const { engine, changes } = makeEngine()
    engine.addSamples(1, [1, 1, 1, 0], times(4), 2)
    expect(engine.trials).toBe(2)
    expect(engine.shape('all')).toEqual({ alpha: 3, beta: 3 })
    expect(engine.shape('window')).toEqual({ alpha: 3, beta: 3 })
    expect(engine.recent.list()).toEqual([
      { seq: 3, value: 1 },
      { seq: 4, value: 0 }
    ])
    expect(changes()).toBe(1)
  })

  it('places a change at the sample count where it took effect, even inside a batch', () => {
    const { engine } = makeEngine()
    engine.addChange({ kind: 'joined', state: stateOf({ p: 0.72, nextSeq: 1 }), afterSeq: 0 }, 1)
    // p changed from sample 4 on, reported before samples 1..6 arrived (a replay catching up).
    engine.addChange({ kind: 'p', p: 0.2, previous: 0.72 }, 4)
    engine.addSamples(1, [1, 1, 1, 0, 0, 0], times(6), 0)
    expect(engine.timeline.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 3, p: 0.2 }
    ])
  })

  it('a page joining mid-run knows p only from where it joined', () => {
    const { engine } = makeEngine()
    engine.addChange({ kind: 'joined', state: stateOf({ p: 0.5, nextSeq: 101 }), afterSeq: 0 }, 101)
    engine.addSamples(1, new Array<0 | 1>(100).fill(1), times(100), 0)
    expect(engine.timeline.pSteps).toEqual([{ n: 100, p: 0.5 }])
  })

  it('changes from history the server no longer held tell only the p in force, at no n', () => {
    const { engine } = makeEngine()
    engine.addChange({ kind: 'joined', state: stateOf({ p: 0.5, nextSeq: 901 }), afterSeq: 0 }, 901)
    engine.addGap({ from: 1, to: 500, announced: true, beforeJoin: true })
    // Replayed state events from before sample 501: the page has none of those samples.
    engine.addChange({ kind: 'running', running: true }, 1)
    engine.addChange({ kind: 'p', p: 0.9, previous: 0.72 }, 100)
    engine.addChange({ kind: 'p', p: 0.3, previous: 0.9 }, 300)
    // From sample 501 on, it is counted history again.
    engine.addChange({ kind: 'p', p: 0.5, previous: 0.3 }, 701)
    engine.addSamples(501, new Array<0 | 1>(400).fill(0), times(400), 0)
    expect(engine.timeline.pSteps).toEqual([
      { n: 0, p: 0.3 },
      { n: 200, p: 0.5 }
    ])
    expect(engine.timeline.marks.map((m) => [m.n, m.kind])).toEqual([[200, 'p']])
    expect(engine.timeline.log.map((e) => e.event.kind)).toEqual(['joined', 'p', 'gap'])
  })

  it('restarting the count zeroes the models and history, keeping the prior and the true p', () => {
    const { engine } = makeEngine()
    engine.addChange({ kind: 'joined', state: stateOf({ p: 0.6 }), afterSeq: 0 }, 1)
    engine.setPrior({ alpha: 3, beta: 4 })
    engine.addSamples(1, [1, 1, 0, 1], times(4), 0)
    engine.restartCount(4)
    expect(engine.trials).toBe(0)
    expect(engine.shape('all')).toEqual({ alpha: 3, beta: 4 })
    expect(engine.history.series('linear').size).toBe(1) // the prior at n = 0
    expect(engine.timeline.pSteps).toEqual([{ n: 0, p: 0.6 }])
    expect(engine.timeline.log[0]?.event.kind).toBe('reset')
  })

  it('marks prior and tracking changes; a new run drops what waited for the old one', () => {
    const { engine } = makeEngine()
    engine.addSamples(1, [1], times(1), 0)
    engine.setPrior({ alpha: 1, beta: 1 })
    engine.setPrior({ alpha: 1, beta: 1 }) // no change, no mark
    engine.setTracking({ memory: 'window', windowSize: 50, forgetting: 0.995 })
    expect(engine.memory.windowSize).toBe(50)
    engine.addChange({ kind: 'interval', intervalMs: 5, previous: 100 }, 10)
    engine.newRun()
    expect(engine.timeline.nextPendingSeq).toBe(Infinity)
    // The old run's samples are not downloaded under the new run's name; n keeps counting.
    expect(engine.samples.size).toBe(0)
    engine.addSamples(1, [0], times(1), 0)
    const held: number[] = []
    engine.samples.forEach((s) => held.push(s.seq))
    expect(held).toEqual([1])
    expect(engine.trials).toBe(2)
    expect(engine.timeline.marks.map((m) => m.kind)).toEqual(['prior', 'memory', 'restart'])
    expect(() =>
      engine.setTracking({ memory: 'window', windowSize: 0, forgetting: 0.995 })
    ).toThrow(RangeError)
  })

  it('stays exact and bounded at 1000 samples/s for ten minutes', () => {
    const { engine } = makeEngine()
    let ones = 0
    let seq = 1
    for (let batch = 0; batch < 37_500; batch++) {
      const values = Array.from({ length: 16 }, (_, i) => ((batch + i) % 3 === 0 ? 1 : 0) as 0 | 1)
      ones += values.filter((v) => v === 1).length
      engine.addSamples(seq, values, times(16), 0)
      seq += 16
    }
    expect(engine.trials).toBe(600_000)
    expect(engine.memory.ones).toBe(ones)
    for (const view of ['log', 'linear', 'window'] as const)
      expect(engine.history.series(view).size).toBeLessThanOrEqual(HISTORY_CAPACITY)
  })
})
